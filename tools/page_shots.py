"""Screenshots of a stepper page as a class sees it projected: one per press of the → key.

    .venv/bin/python tools/page_shots.py demo-output/steps.html shots/
    .venv/bin/python tools/page_shots.py steps.html shots/ --size 1920x1080 --presses 60 --every 5

For each screen size (1280×720 and 1920×1080 unless ``--size`` is given, once per size) the page
is opened in headless Chromium, photographed, then stepped with the right-arrow key ``--presses``
times, photographed after every ``--every``-th press. The pictures are
``shots/<W>x<H>/step-NNN.png`` (NNN is the number of presses), ready for slides or for a look from
the back row before a lecture.

It needs Playwright (``pip install -e '.[screenshots]'``, or ``make test``, which installs it) and
a Chromium on the PATH or at /usr/bin/chromium (``make chromium`` installs Debian's; Playwright's
own browser download is never used). Bad arguments, a missing page or a missing browser are
reported in one line with exit status 2.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path


def _size(text: str) -> tuple[int, int]:
    """``"1280x720"`` as (1280, 720)."""
    width, _, height = text.lower().partition("x")
    if not (width.isdigit() and height.isdigit()) or min(int(width), int(height)) < 100:
        raise argparse.ArgumentTypeError(f"a size is WIDTHxHEIGHT, such as 1280x720, not {text!r}")
    return int(width), int(height)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 1, not {text!r}")
    return int(text)


def _chromium() -> str | None:
    found = shutil.which("chromium")
    return found or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="tools/page_shots.py", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("page", type=Path, help="the HTML page (from export_html or make demo)")
    parser.add_argument("out", type=Path, help="the folder for the screenshots")
    parser.add_argument("--size", type=_size, action="append", help="WIDTHxHEIGHT, repeatable")
    parser.add_argument("--presses", type=_positive, default=40, help="→ presses (default 40)")
    parser.add_argument("--every", type=_positive, default=1, help="a picture every N presses")
    args = parser.parse_args(argv)
    if not args.page.is_file():
        parser.error(f"no page at {args.page}")
    executable = _chromium()
    if executable is None:
        parser.error("no chromium on the PATH or at /usr/bin/chromium (make chromium installs it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        parser.error("Playwright is missing: pip install -e '.[screenshots]'")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        for width, height in args.size or [(1280, 720), (1920, 1080)]:
            folder = args.out / f"{width}x{height}"
            folder.mkdir(parents=True, exist_ok=True)
            page = browser.new_page(viewport={"width": width, "height": height})
            errors: list[str] = []
            page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
            page.goto(args.page.resolve().as_uri())
            settled = "document.body.dataset.moving !== '1'"  # the page's camera has stopped
            page.wait_for_function(settled)
            page.screenshot(path=str(folder / "step-000.png"))
            for press in range(1, args.presses + 1):
                page.keyboard.press("ArrowRight")
                if press % args.every == 0:
                    page.wait_for_function(settled)
                    page.screenshot(path=str(folder / f"step-{press:03d}.png"))
            count = len(list(folder.glob("step-*.png")))
            print(f"{folder}: {count} screenshots" + (f"; page errors: {errors}" if errors else ""))
            page.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
