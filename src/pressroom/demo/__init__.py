"""Demo content shipped with the package: real listing pages of the reference site.

A fresh machine has no ``../shared`` data, so the README's main command loads these.
"""

from pathlib import Path

LISTING_DIR = Path(__file__).resolve().parent / "listing"


def listing_pages() -> list[Path]:
    return sorted(LISTING_DIR.glob("*.txt"))
