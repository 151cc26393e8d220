"""Issue 18, item 7: help for the country chosen on step 8, from one list with named sources."""

from __future__ import annotations

import re
from datetime import date

import ipywidgets as widgets
from widget_utils import html_of, walk

from workbook import resources
from workbook.markup import esc
from workbook.resources import COUNTRIES, DEFAULT_COUNTRY, country, resources_list_html
from workbook.ui import pages
from workbook.ui.base import Session
from workbook.ui.safety import HelpFirst, SafetyCheck
from workbook.worksheets import worksheet_html


def test_the_countries_asked_for_are_there() -> None:
    assert list(COUNTRIES) == ["us", "ca", "uk", "ie", "es", "mx"]
    assert DEFAULT_COUNTRY == "us"
    assert country(None) is COUNTRIES["us"]
    assert country("no-such-place") is COUNTRIES["us"]


def test_every_entry_names_its_source_and_the_day_it_was_checked() -> None:
    for c in COUNTRIES.values():
        assert c.resources, c.name
        for r in c.resources:
            assert r.source is not None, f"{c.name}: {r.name} has no source"
            assert r.source.title.strip(), r.name
            assert re.fullmatch(r"https://[^\s]+", r.source.url), r.source.url
            assert date(2026, 11, 1) <= r.source.checked <= date(2026, 12, 31), r.name
            assert r.hours
            for contact in r.contacts:
                assert re.fullmatch(
                    r"tel:(\+\d{10,12}|\d{3}|116123)|sms:\d+(\?body=\w+)?", contact.href
                ), contact


def test_the_published_numbers_per_country() -> None:
    def hrefs(code: str) -> list[str]:
        return [k.href for r in COUNTRIES[code].resources for k in r.contacts]

    assert hrefs("us") == [
        "tel:911",
        "tel:+18007997233",
        "tel:+18007873224",
        "sms:88788?body=START",
        "tel:988",
        "sms:988",
    ]
    assert "texting AYUDA to 988" in COUNTRIES["us"].resources[2].options
    assert hrefs("ca") == ["tel:911", "tel:988", "sms:988"]
    assert "English and French" in COUNTRIES["ca"].resources[1].languages
    assert hrefs("uk") == ["tel:999", "tel:+448082000247", "tel:116123"]
    assert hrefs("ie") == ["tel:116123"]
    assert hrefs("es") == ["tel:112", "tel:016", "tel:024"]
    assert hrefs("mx") == ["tel:911", "tel:+528009112000"]


def test_a_short_list_says_so_on_the_page() -> None:
    for code in ("ca", "ie", "mx"):
        html = resources_list_html("ht-list", code)
        assert "This list is short" in html, code
    for code in ("us", "uk", "es"):
        assert "This list is short" not in resources_list_html("ht-list", code), code


def test_mexicos_short_list_says_what_to_do_in_danger_in_both_languages() -> None:
    """It said only that no line had been checked: cold to someone who is afraid (Spanish walk)."""
    assert "If you are in danger now, call 911." in resources_list_html("ht-list", "mx")
    spanish = resources_list_html("ht-list", "mx", "es")
    assert "Si estás en peligro ahora, llama al 911." in spanish


def test_the_help_card_shows_the_chosen_country_and_stores_nothing(sam: Session) -> None:
    before = sam.wb._con.execute("PRAGMA data_version").fetchone()
    total = sam.wb._con.total_changes
    page = pages.StepPage(sam, 8)
    [help_first] = [w for w in walk(page) if isinstance(w, HelpFirst)]
    [check] = [w for w in walk(page) if isinstance(w, SafetyCheck)]
    assert "tel:+18007997233" in help_first.list.value
    help_first.country.value = "es"
    assert "tel:016" in help_first.list.value
    assert "tel:+18007997233" not in help_first.list.value
    assert esc(COUNTRIES["es"].title) in help_first.list.value
    # The safety check's answer names the same country's help.
    check.questions[0].value = True
    check.check.click()
    assert "tel:016" in check.result.value
    help_first.country.value = "uk"
    assert "tel:+448082000247" in check.result.value
    assert sam.wb._con.total_changes == total  # nothing written
    assert sam.wb._con.execute("PRAGMA data_version").fetchone() == before


def test_help_comes_first_on_step_8(sam: Session) -> None:
    page = pages.StepPage(sam, 8)
    first = page.children[0]
    assert isinstance(first, HelpFirst)
    assert "ht-header" not in first._dom_classes
    assert "ht-header" in page.children[1]._dom_classes
    assert "tel:911" in html_of(first)


def test_step_8_worksheet_prints_every_country_and_footers_point_there(sam: Session) -> None:
    sheet = worksheet_html(8)
    for c in COUNTRIES.values():
        assert esc(c.title) in sheet, c.name
        for r in c.resources:
            for k in r.contacts:
                assert f"href='{esc(k.href)}'" in sheet, k
    footer = next(
        w.value
        for w in walk(pages.StepPage(sam, 3))
        if isinstance(w, widgets.HTML) and "ht-footer" in w.value
    )
    assert "Canada, the UK, Ireland, Spain and Mexico is on step 8" in footer
    assert resources.PHONE_HISTORY not in footer
