"""Every page opens on a meaningful default view without an exception.

Pages are found by globbing, so each new lab is covered the moment it lands.
Each lab's own test module drives its widgets with tests.pagetest.
"""

from __future__ import annotations

import pytest

from tests.pagetest import ROOT, assert_clean, open_page
from ui.nav import LABS

PAGES = ["app.py"] + sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))


@pytest.mark.parametrize("page", PAGES)
def test_page_opens_clean(page):
    at = open_page(page)
    assert_clean(at, f"on {page}")
    assert at.title, f"{page} has no title"
    # The default view needs no input: nothing is wrong before the user acts.
    assert not at.error, f"{page} opens with an error: {[e.value for e in at.error]}"


def test_every_page_is_in_the_menu():
    menu = {lab.path for lab in LABS}
    for page in PAGES[1:]:
        assert page in menu, f"{page} is not listed in ui.nav.LABS, so the menu would not show it"


def test_home_links_every_existing_lab():
    at = open_page("app.py")
    assert_clean(at)
    present = sum((ROOT / lab.path).is_file() for lab in LABS)
    assert any(c.value == f"{present} of {len(LABS)} labs available." for c in at.caption)
    linked = {link.proto.page for link in at.get("page_link")}
    for lab in LABS:
        if (ROOT / lab.path).is_file():
            stem = lab.path.split("/")[-1].removesuffix(".py")
            name = (
                stem.split("_", 1)[1] if stem.split("_", 1)[0].isdigit() else stem
            )  # Streamlit drops "7_"
            assert any(name in str(p) for p in linked), lab.path
