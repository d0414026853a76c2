"""Writing files safely: all of the new text or none of it, and nothing left lying around.

:func:`write_atomically` is what ``Module.save``, ``export_html`` and ``save_drawing`` use. Its
guarantees:

* **Old or new, never half.** The text goes to a temporary file in the target's folder, is flushed
  to disk (``fsync``), and is then renamed over the target; a rename within one folder is atomic.
  If anything fails before the rename, the temporary file is removed and the target is untouched.
* **Symbolic links are followed.** Writing to a link writes the file it points to; the link stays a
  link (the temporary file is made beside the link's target, so the rename stays in one folder).
* **Permissions as a user expects.** A new file gets the usual permissions for the umask (0644
  under the common umask 022, so a course web server can read it), not a private temporary file's
  0600; a file that already exists keeps its permission bits.
* **No stray temporary files, even after ``kill -9``.** A process killed between creating its
  temporary file and the rename cannot clean up after itself. So each temporary file's name carries
  the host and the process id of its writer (``.model.json.myhost.4242.1a2b3c4d.stepgrad-tmp``),
  and every write first removes the temporary files in its folder whose writer, on this host, is no
  longer running. A killed save's leftover lasts only until the next write into that folder.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import socket
import stat
from pathlib import Path

__all__ = ["write_atomically", "remove_stale_temporaries", "TEMPORARY_SUFFIX"]

TEMPORARY_SUFFIX = ".stepgrad-tmp"
"""How the names of :func:`write_atomically`'s temporary files end."""

_TEMPORARY = re.compile(
    r"\.(?P<name>.+)\.(?P<host>[A-Za-z0-9-]*)\.(?P<pid>[0-9]{1,10})\.[0-9a-f]{8}"
    + re.escape(TEMPORARY_SUFFIX)
)
_NAME_KEPT = 100  # characters of the target's name kept in a temporary name (NAME_MAX is 255)


def write_atomically(path: str | os.PathLike[str], content: str | bytes) -> Path:
    """Write ``content`` to ``path``: afterwards the file holds the old content or the new.

    Text is written as UTF-8; bytes (a PNG, say) as they are.

    See the module's docstring for the guarantees. Raises ``FileNotFoundError`` if the folder does
    not exist and ``IsADirectoryError`` if ``path`` is a folder, before anything is written; any
    other ``OSError`` (a full disk, no permission) leaves the old file as it was. Returns ``path``.
    """
    # a text that cannot be encoded fails here, before any file work
    data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    target = _follow_links(Path(path))
    folder = target.parent
    if not folder.is_dir():
        raise FileNotFoundError(
            errno.ENOENT, f"no folder {str(folder)!r} to write {target.name!r} into"
        )
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, f"{str(target)!r} is a folder, not a file")
    keep_mode = _permission_bits(target)
    remove_stale_temporaries(folder)
    temporary = folder / _temporary_name(target.name)
    # O_EXCL: never write into a file someone else made; 0o666 is reduced by the umask, as open() is
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            if keep_mode is not None:
                os.fchmod(file.fileno(), keep_mode)
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(folder)
    return Path(path)


def remove_stale_temporaries(folder: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporary files in ``folder`` left by writers on this host that have died (say,
    killed during a save); return what was removed. Files of live writers are left alone."""
    if os.name != "posix":  # no cheap, harmless "is this process alive?" elsewhere
        return []
    host = _host()
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:  # a folder we may write into but not list: nothing we can find to remove
        return removed
    for entry in entries:
        match = _TEMPORARY.fullmatch(entry.name)
        if match is None or match["host"] != host or _is_running(int(match["pid"])):
            continue
        try:
            os.unlink(entry.path)
        except OSError:  # swept by another writer first, or not ours to remove
            continue
        removed.append(Path(entry.path))
    return removed


def _follow_links(path: Path) -> Path:
    """The file ``path`` names once every symbolic link is followed (it need not exist yet)."""
    target = Path(os.path.realpath(path))
    if target.is_symlink():  # realpath gives up on a loop and returns a link
        raise OSError(errno.ELOOP, f"{str(path)!r}: too many levels of symbolic links")
    return target


def _permission_bits(path: Path) -> int | None:
    """The permission bits of an existing file (to keep them), or None for a new file."""
    try:
        return stat.S_IMODE(path.stat().st_mode) & 0o777  # never copy setuid, setgid or sticky
    except FileNotFoundError:
        return None


def _host() -> str:
    """This machine's name, reduced to the characters a temporary name allows."""
    return re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:32]


def _temporary_name(name: str) -> str:
    return f".{name[:_NAME_KEPT]}.{_host()}.{os.getpid()}.{secrets.token_hex(4)}{TEMPORARY_SUFFIX}"


def _is_running(pid: int) -> bool:
    """Whether a process ``pid`` exists (signal 0 checks without sending anything)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, but belongs to another user
        return True
    except OverflowError:  # not a possible pid
        return False
    return True


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry for the renamed file to disk, where the system allows it."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:  # some file systems cannot sync a folder; the rename itself has happened
        pass
    finally:
        os.close(handle)
