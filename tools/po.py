"""Write or update the gettext catalogues from a small Python table (a maintainer's tool).

Usage: ``python tools/po.py DOMAIN TABLE.py`` where TABLE.py defines
``MESSAGES = {key: (vietnamese, english)}``. Existing entries of the domain are kept and
overwritten by the table; the ``.po`` files stay the source of truth that apps read.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "coopkit" / "locale"


def update(domain: str, messages: dict[str, tuple[str, str]]) -> None:
    for index, lang in enumerate(("vi", "en")):
        path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
        if path.exists():
            with path.open("rb") as f:
                catalog = read_po(f, locale=lang, domain=domain)
        else:
            catalog = Catalog(
                locale=lang, domain=domain, project="coopkit", version="0.1",
                copyright_holder="the coopkit developers", charset="utf-8", fuzzy=False,
            )
        for key, texts in messages.items():
            if key in catalog:
                del catalog[key]  # Catalog.add merges into an existing entry and keeps its old text
            catalog.add(key, texts[index])
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as f:
            write_po(f, catalog, width=0, sort_output=True, omit_header=False)


if __name__ == "__main__":
    update(sys.argv[1], runpy.run_path(sys.argv[2])["MESSAGES"])
