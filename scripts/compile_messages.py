"""Compile locale/*/LC_MESSAGES/*.po to .mo with polib, so no GNU gettext is needed."""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    for po_path in sorted(ROOT.glob("locale/*/LC_MESSAGES/*.po")):
        catalogue = polib.pofile(str(po_path))
        catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
        print(
            f"compiled {po_path.relative_to(ROOT)} ({catalogue.percent_translated()}% translated)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
