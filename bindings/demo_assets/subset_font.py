"""Rebuild NotoSerifSC-demo-subset.otf, the font of the demo employment proofs (bindings/demo.py), from Noto Serif
CJK SC: only the characters the demo draws, so the repository carries a few dozen kilobytes instead of 20 MB.

Needs fontTools and the full font (Debian: fonts-noto-cjk); run from the repository root when the demo's words
change:  .venv/bin/pip install fonttools && .venv/bin/python bindings/demo_assets/subset_font.py
The font is under the SIL Open Font License 1.1 (OFL.txt beside it)."""

import logging
import os
import string
import sys
from pathlib import Path

SOURCE = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
SOURCE_INDEX = 2  # Noto Serif CJK SC in the collection

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kos_platform.settings.local")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402
from fontTools import subset  # noqa: E402
from fontTools.ttLib import TTCollection  # noqa: E402

from accounts.management.commands.load_demo import DEMO_REGIONS, ENTERPRISES, RED_ACCOUNTS  # noqa: E402
from bindings.choices import Position  # noqa: E402
from bindings.demo import FONT_PATH, STATIC_TEXT  # noqa: E402

with translation.override("zh-hans"):
    positions = "".join(str(label) for label in Position.labels)
text = "".join(
    [
        STATIC_TEXT,
        string.printable.strip(),
        "（）：，。、·—",
        "".join(name for name, *_ in ENTERPRISES),
        "".join(real_name for *_, real_name, _overrides in RED_ACCOUNTS),
        positions,
        "".join(DEMO_REGIONS),
    ]
)
logging.getLogger("fontTools").setLevel(logging.WARNING)
font = TTCollection(SOURCE).fonts[SOURCE_INDEX]
options = subset.Options()
options.name_IDs = ["*"]
options.name_languages = ["*"]
options.layout_features = []  # no alternates: the document draws plain text
options.notdef_outline = True
subsetter = subset.Subsetter(options)
subsetter.populate(text=text)
subsetter.subset(font)
font.save(FONT_PATH)
print(f"{FONT_PATH}: {len(set(text))} characters, {FONT_PATH.stat().st_size} bytes")
