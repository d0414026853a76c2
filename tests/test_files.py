"""write_atomically: old text or new, links followed, the umask honoured, no temporary file left
behind, not even by a writer killed with SIGKILL in the middle of a save."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import files
from autograd.files import TEMPORARY_SUFFIX, remove_stale_temporaries, write_atomically

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and signals")


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_writes_and_replaces(tmp_path):
    path = tmp_path / "a.txt"
    assert write_atomically(path, "one ∂") == path
    write_atomically(str(path), "two")
    assert path.read_text(encoding="utf-8") == "two" and names(tmp_path) == ["a.txt"]


def test_bytes_are_written_as_they_are(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\xff\r"  # no newline translation, no encoding
    path = write_atomically(tmp_path / "g.png", png)
    assert path.read_bytes() == png and names(tmp_path) == ["g.png"]


def test_writing_through_a_symbolic_link_writes_its_target(tmp_path):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "model.json"
    target.write_text("old")
    link = tmp_path / "model.json"
    link.symlink_to(Path("real") / "model.json")  # relative, as `ln -s` users make them
    chained = tmp_path / "latest.json"
    chained.symlink_to(link)
    write_atomically(chained, "new")
    assert link.is_symlink() and chained.is_symlink()
    assert target.read_text() == "new" and not target.is_symlink()
    assert names(tmp_path) == ["latest.json", "model.json", "real"]
    assert names(tmp_path / "real") == ["model.json"]


def test_a_dangling_link_creates_its_target(tmp_path):
    link = tmp_path / "out.html"
    link.symlink_to(tmp_path / "made.html")
    write_atomically(link, "page")
    assert link.is_symlink() and (tmp_path / "made.html").read_text() == "page"


def test_a_link_loop_is_refused(tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(OSError, match="symbolic links"):
        write_atomically(tmp_path / "a", "x")
    assert (tmp_path / "a").is_symlink() and (tmp_path / "b").is_symlink()


def test_a_missing_folder_or_a_folder_as_target_is_refused_up_front(tmp_path):
    with pytest.raises(FileNotFoundError, match="no folder"):
        write_atomically(tmp_path / "nowhere" / "a.txt", "x")
    (tmp_path / "sub").mkdir()
    with pytest.raises(IsADirectoryError, match="is a folder"):
        write_atomically(tmp_path / "sub", "x")
    assert names(tmp_path) == ["sub"]


def test_text_that_cannot_be_encoded_touches_nothing(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("old")
    with pytest.raises(UnicodeEncodeError):
        write_atomically(path, "bad \udcff")
    assert path.read_text() == "old" and names(tmp_path) == ["a.txt"]


@posix_only
@pytest.mark.parametrize("umask, expected", [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_a_new_file_honours_the_umask(tmp_path, umask, expected):
    old = os.umask(umask)
    try:
        write_atomically(tmp_path / "page.html", "<p>")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "page.html").stat().st_mode) == expected


@posix_only
def test_an_existing_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "private.json"
    path.write_text("old")
    path.chmod(0o600)
    write_atomically(path, "new")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.read_text() == "new"


FAILURE_POINTS = ["write", "fsync", "fchmod", "replace"]


@given(
    texts=st.lists(st.text(max_size=50), min_size=1, max_size=6),
    failures=st.lists(st.sampled_from([None, *FAILURE_POINTS]), min_size=6, max_size=6),
)
def test_a_failed_write_leaves_the_old_file_and_nothing_else(tmp_path_factory, texts, failures):
    """Whatever step fails (the write, the fsync, the rename), the file holds the last text that
    was written successfully, and no temporary file is left."""
    folder = tmp_path_factory.mktemp("atomic")
    path = folder / "model.json"
    path.write_text("first")
    expected = "first"
    for text, failure in zip(texts, failures):
        with FailingStep(failure):
            try:
                write_atomically(path, text)
                expected = text
            except OSError as error:
                assert failure is not None and "injected" in str(error)
        assert path.read_bytes().decode("utf-8") == expected
        assert names(folder) == ["model.json"]


class FailingStep:
    """Make one step of writing a file raise OSError (or none, for ``None``)."""

    def __init__(self, step: str | None) -> None:
        self.step = step
        self.original: object = None

    def __enter__(self) -> None:
        if self.step is None:
            return

        def fail(*args: object, **kwargs: object) -> None:
            raise OSError(f"injected failure in {self.step}")

        if self.step == "write":  # the file object's write: wrap what os.fdopen returns
            real_fdopen = os.fdopen

            def fdopen(*args: object, **kwargs: object) -> object:
                return FailingFile(real_fdopen(*args, **kwargs), fail)  # type: ignore[call-overload]

            self.original, self.step_name = real_fdopen, "fdopen"
            os.fdopen = fdopen  # type: ignore[assignment]
        else:
            self.original, self.step_name = getattr(os, self.step), self.step
            setattr(os, self.step, fail)

    def __exit__(self, *exc: object) -> None:
        if self.step is not None:
            setattr(os, self.step_name, self.original)


class FailingFile:
    """A real file whose ``write`` raises."""

    def __init__(self, file, fail) -> None:
        self.file, self.write = file, fail

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.file.close()

    def __getattr__(self, name: str):
        return getattr(self.file, name)


# ---- a writer killed with SIGKILL in the middle of a save ---------------------------------------

KILLED_WRITER = textwrap.dedent(
    """
    import os, sys, time
    from autograd.files import write_atomically

    def hang(handle):  # stop inside the save, after the data is written, before the rename
        print("writing", flush=True)
        time.sleep(120)

    os.fsync = hang
    write_atomically(sys.argv[1], "new " * 50_000)
    """
)


def killed_mid_save(path: Path) -> None:
    """Run a real process that saves to ``path`` and kill it (SIGKILL) in the middle."""
    writer = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline() == "writing\n"
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.kill()
        writer.wait(timeout=60)
    assert writer.returncode == -signal.SIGKILL


@posix_only
def test_a_save_killed_midway_leaves_the_old_file_and_the_next_write_sweeps_its_leftover(tmp_path):
    path = tmp_path / "model.json"
    write_atomically(path, "good")
    killed_mid_save(path)
    assert path.read_text() == "good"  # the old file, whole
    (leftover,) = [p for p in tmp_path.iterdir() if p.name.endswith(TEMPORARY_SUFFIX)]
    assert leftover.name.startswith(".model.json.") and leftover.stat().st_size == 200_000
    write_atomically(tmp_path / "other.json", "next save in the same folder")
    assert names(tmp_path) == ["model.json", "other.json"]


@posix_only
def test_only_temporary_files_of_dead_writers_on_this_host_are_swept(tmp_path):
    host = files._host()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        dead = subprocess.Popen([sys.executable, "-c", "pass"])
        dead.wait(timeout=60)
        made = {
            "live": f".m.json.{host}.{alive.pid}.0123abcd{TEMPORARY_SUFFIX}",
            "dead": f".m.json.{host}.{dead.pid}.0123abcd{TEMPORARY_SUFFIX}",
            "mine": f".m.json.{host}.{os.getpid()}.0123abcd{TEMPORARY_SUFFIX}",
            "elsewhere": f".m.json.otherhost.{dead.pid}.0123abcd{TEMPORARY_SUFFIX}",
            "not ours": f".m.json.{host}.{dead.pid}.tmp",
        }
        for name in made.values():
            (tmp_path / name).write_text("x")
        assert remove_stale_temporaries(tmp_path) == [tmp_path / made["dead"]]
        assert names(tmp_path) == sorted(n for k, n in made.items() if k != "dead")
    finally:
        alive.kill()
        alive.wait(timeout=60)
    assert remove_stale_temporaries(tmp_path) == [tmp_path / made["live"]]
