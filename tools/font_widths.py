"""Regenerate the advance-width table in autograd/readers/text_width.py from DejaVu Sans Bold.

    .venv/bin/python tools/font_widths.py > /tmp/widths.txt   # then paste it over _TABLE

DejaVu Sans is the sans-serif font Chromium falls back to on Linux and one of the widest common
sans-serif fonts for Latin and Greek; its bold face is wider still. Sizing boxes by it leaves room
for the narrower fonts of Windows (Segoe UI, Arial, Microsoft YaHei) and macOS (Helvetica, PingFang).
The font comes with matplotlib (a test dependency); fontTools reads it.
"""

from pathlib import Path

import matplotlib
from fontTools.ttLib import TTFont

RANGES = [
    (0x20, 0x7E),  # ASCII
    (0xA0, 0x17F),  # Latin-1, Latin Extended-A
    (0x370, 0x3FF),  # Greek
    (0x2000, 0x206F),  # general punctuation
    (0x2070, 0x209F),  # superscripts and subscripts
    (0x2100, 0x214F),  # letterlike symbols (ℓ)
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators (∂ Σ ×)
]

font = TTFont(Path(matplotlib.get_data_path()) / "fonts/ttf/DejaVuSans-Bold.ttf")
units = font["head"].unitsPerEm
cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
for start, end in RANGES:
    widths = [
        round(1000 * metrics[cmap[cp]][0] / units) if cp in cmap else 0
        for cp in range(start, end + 1)
    ]
    print(f"    ({start:#x}, {','.join(map(str, widths))!r}),")
