"""One translation catalogue (workbook.i18n): Spanish from the committed .po, a third language
by adding a file, and the catalogue checks (no marked string without a translation, no entry
the code no longer uses)."""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import jinja2
import pytest
from babel.messages.pofile import read_po

from workbook import i18n
from workbook.i18n_extract import marked
from workbook.steps import HEALING_STEPS, steps_in
from workbook.worksheets import worksheet_html

PO = i18n.LOCALE_DIR / "es" / "LC_MESSAGES" / "workbook.po"


def catalogue(path: Path = PO) -> dict[str, object]:
    """The .po's entries (msgid, a plural's by its singular, as `marked` names it), to their
    translation."""
    with path.open("rb") as fh:
        cat = read_po(fh, locale=path.parent.parent.name)
    return {(m.id[0] if isinstance(m.id, tuple) else m.id): m for m in cat if m.id}


@pytest.fixture
def locale_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The package's catalogues copied to a folder of the test's own (caches cleared)."""
    copy = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, copy)
    monkeypatch.setattr(i18n, "LOCALE_DIR", copy)
    for cached in (i18n.languages, i18n.translator, steps_in):
        cached.cache_clear()
    yield copy
    for cached in (i18n.languages, i18n.translator, steps_in):
        cached.cache_clear()


# --- the catalogue checks, on the committed .po ------------------------------------------------


def test_every_marked_string_has_a_spanish_translation() -> None:
    entries = catalogue()
    missing = sorted(m for m in marked() if m not in entries)
    assert not missing, f"marked but not in the Spanish catalogue (make translations): {missing}"
    untranslated = sorted(
        k
        for k, m in entries.items()
        if not (all(m.string) if isinstance(m.string, tuple) else m.string)  # type: ignore[attr-defined]
        or m.fuzzy  # type: ignore[attr-defined]
    )
    assert not untranslated, (
        f"in the Spanish catalogue with no (or a fuzzy) translation: {untranslated}"
    )


def test_the_spanish_catalogue_has_no_entry_the_code_no_longer_uses() -> None:
    unused = sorted(set(catalogue()) - marked())
    assert not unused, f"in the Spanish catalogue but no longer in the code: {unused}"


def test_the_steps_are_in_the_catalogue_from_their_definitions() -> None:
    texts = marked()
    for step in HEALING_STEPS.values():
        assert step.title in texts
        assert step.intro in texts
        for ex in step.exercises:
            assert set(ex.strings()) <= texts


def test_translations_keep_their_placeholders() -> None:
    for msgid, entry in catalogue().items():
        for field in ("{partner}",):
            assert (field in msgid) == (field in entry.string), msgid  # type: ignore[attr-defined]


# --- the translator ------------------------------------------------------------------------------


def test_spanish_from_the_catalogue_and_english_as_written() -> None:
    assert i18n.translator("es").gettext("When to walk away") == "Cuándo alejarse"
    assert i18n.translator("ES-mx").gettext("When to walk away") == "Cuándo alejarse"
    for lang in ("en", None, "xx", "", 3):
        assert i18n.translator(lang).gettext("When to walk away") == "When to walk away"  # type: ignore[arg-type]
    assert i18n.N_("Journal") == "Journal"  # a marker only: translated where it is shown


def test_languages_are_the_catalogues_found() -> None:
    assert i18n.languages() == ("en", "es")
    assert i18n.known("es") == "es"
    assert i18n.known(" es_ES ") == "es"
    assert i18n.known("fr") is None
    assert i18n.known(None) is None


def test_steps_read_in_a_language_keep_their_shape_and_keys() -> None:
    es, en = steps_in("es"), steps_in("en")
    assert en == HEALING_STEPS
    assert es[8].title == "Cuándo alejarse"
    assert es[1].exercise("validation").question_for("Alex").startswith("¿Qué le escuchaste")
    for n, step in HEALING_STEPS.items():
        assert [e.prompt for e in es[n].exercises] == [e.prompt for e in step.exercises]
        assert [e.kind for e in es[n].exercises] == [e.kind for e in step.exercises]
        assert es[n].title != step.title
        assert es[n].intro != step.intro


def test_a_checkout_without_a_compiled_mo_compiles_the_po_on_first_use(
    locale_copy: Path,
) -> None:
    folder = locale_copy / "es" / "LC_MESSAGES"
    for mo in folder.glob("*.mo"):
        mo.unlink()
    assert i18n.translator("es").gettext("Journal") == "Diario"


def test_a_mo_older_than_its_po_is_not_used(locale_copy: Path) -> None:
    """A translator's edit to the .po shows at the next start, with no build step."""
    from babel.messages.mofile import write_mo

    folder = locale_copy / "es" / "LC_MESSAGES"
    with (folder / "workbook.po").open("rb") as fh:
        cat = read_po(fh, locale="es")
    cat["Journal"].string = "Diario viejo"
    with (folder / "workbook.mo").open("wb") as fh:
        write_mo(fh, cat)
    po = folder / "workbook.po"
    mo = folder / "workbook.mo"
    stamp = mo.stat().st_mtime
    import os

    os.utime(po, (stamp + 10, stamp + 10))
    assert i18n.translator("es").gettext("Journal") == "Diario"
    i18n.translator.cache_clear()
    os.utime(mo, (stamp + 20, stamp + 20))  # a .mo compiled after its .po is used as it is
    assert i18n.translator("es").gettext("Journal") == "Diario viejo"


THIRD = """\
msgid ""
msgstr ""
"Language: fr\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgid "When to walk away"
msgstr "Quand partir"

msgid "%(num)d day"
msgid_plural "%(num)d days"
msgstr[0] "%(num)d jour"
msgstr[1] "%(num)d jours"
"""


def test_a_third_language_is_a_new_po_and_no_code(locale_copy: Path) -> None:
    folder = locale_copy / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "workbook.po").write_text(THIRD, encoding="utf-8")
    assert i18n.languages() == ("en", "es", "fr")
    fr = i18n.translator("fr")
    assert fr.gettext("When to walk away") == "Quand partir"
    assert fr.gettext("Journal") == "Journal"  # not yet translated: English, never blank
    assert fr.ngettext("%(num)d day", "%(num)d days", 1) % {"num": 1} == "1 jour"
    assert fr.ngettext("%(num)d day", "%(num)d days", 2) % {"num": 2} == "2 jours"
    assert steps_in("fr")[8].title == "Quand partir"


def test_templates_translate_with_jinjas_i18n_extension() -> None:
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    page = env.from_string("{% trans %}When to walk away{% endtrans %}: {{ _('Journal') }}")
    assert i18n.install_jinja(env, "es") is env
    assert page.render() == "Cuándo alejarse: Diario"
    i18n.install_jinja(env, "en")
    assert page.render() == "When to walk away: Journal"


def test_dates_and_numbers_in_the_languages_form() -> None:
    day = date(2026, 12, 5)
    assert i18n.format_date(day, "es") == "5 de diciembre de 2026"
    assert i18n.format_date(day, "en") == "December 5, 2026"
    assert i18n.format_decimal(0.5, "es") == "0,5"
    assert i18n.format_decimal(12345.5, "es") == "12.345,5"
    assert i18n.format_decimal(1234.5, "en") == "1,234.5"


# --- the worksheets in Spanish -------------------------------------------------------------------

#: English words that no Spanish sentence uses.
ENGLISH_WORDS = re.compile(r"\b(the|and|you|your|with|what|when|of|to|is|not|here|step)\b", re.I)


def visible_text(page: str) -> str:
    """What a reader sees of a page: no style, no tags, entities decoded."""
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    page = re.sub(r"<title>.*?</title>", " ", page, flags=re.S)  # checked on its own
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def english_left(text: str) -> list[str]:
    """Every English catalogue string (translated differently) found in `text`, and every
    English word."""
    found = [
        msgid
        for msgid, entry in catalogue().items()
        if entry.string != msgid  # type: ignore[attr-defined]
        and re.search(r"(?<!\w)" + re.escape(msgid.split("%(")[0].strip()) + r"(?!\w)", text)
        and msgid.split("%(")[0].strip()
    ]
    return found + ENGLISH_WORDS.findall(text.replace("Healing Together", ""))


@pytest.mark.parametrize("step", sorted(HEALING_STEPS))
def test_the_spanish_worksheet_of_every_step_has_no_english_left(step: int) -> None:
    page = worksheet_html(step, lang="es")
    assert "<html lang='es'>" in page
    text = visible_text(page)
    assert not english_left(text), f"step {step}: English on the Spanish worksheet"
    assert f"Paso {step}: {steps_in('es')[step].title}" in text
    title = re.search(r"<title>(.*?)</title>", page).group(1)  # type: ignore[union-attr]
    assert not english_left(html.unescape(title).replace("Healing Together", "")), title
    english = visible_text(worksheet_html(step))
    assert english_left(english), "the check finds English on the English worksheet"


def test_the_spanish_worksheet_says_what_each_line_offers_in_spanish() -> None:
    text = " ".join(visible_text(worksheet_html(8, lang="es")).split())
    assert "marca 2 para hablar en español" in text
    assert "escribe AYUDA al 988" in text
    assert "Línea Nacional sobre la Violencia Doméstica" in text
    assert "en español y en inglés" in text
    assert "016, atención a víctimas de violencia contra las mujeres" in text
    assert "Línea de la Vida" in text
    assert "llama" not in text or "teléfono 911" in text


def test_a_filled_spanish_worksheet_dates_in_spanish_and_keeps_the_words_as_written(
    demo: object,
) -> None:
    wb = demo
    page = worksheet_html(2, wb, lang="es")  # type: ignore[arg-type]
    today = i18n.format_date(date.today(), "es")
    assert f"impresas el {today}" in " ".join(visible_text(page).split())
    english = [r.text for r in wb.reflections(2, "what-happened", viewer=None)]  # type: ignore[attr-defined]
    assert english
    for written in english:
        assert html.escape(written, quote=False)[:40] in page


def test_the_cli_prints_the_spanish_worksheet(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from workbook import cli

    assert cli.main(["worksheet", "3", "--lang", "es"]) == 0
    out = capsys.readouterr().out
    assert "Paso 3: Empatía y paciencia" in out
    assert "Step 3" not in out
    out_file = tmp_path / "hoja.html"
    assert cli.main(["worksheet", "8", "--lang", "es", "--out", str(out_file)]) == 0
    assert f"Hoja de trabajo del paso 8 guardada en {out_file}" in capsys.readouterr().err
    assert "Paso 8: Cuándo alejarse" in out_file.read_text(encoding="utf-8")
    with pytest.raises(SystemExit):
        cli.main(["worksheet", "3", "--lang", "xx"])
    assert "invalid choice: 'xx'" in capsys.readouterr().err


def test_the_quick_exit_speaks_the_addresss_language() -> None:
    """The page template puts each language's exit words on the link; healing.js shows the
    ones the address's lang= names (the template itself is rendered once for every page)."""
    import json
    from html.parser import HTMLParser

    import workbook
    from workbook.resources import quick_exit_words

    words = quick_exit_words()
    assert words == {
        "es": {
            "label": "Salida rápida ✕",
            "help": "Salida rápida: sal de esta página ahora (o pulsa Escape dos veces)",
        }
    }
    folder = Path(workbook.__file__).parent / "templates/voila/templates/healing"
    template = (folder / "index.html.j2").read_text(encoding="utf-8")
    start = template.index('<a id="ht-exit"')
    link = template[start : template.index("</a>", start) + 4]
    env = jinja2.Environment(autoescape=True)
    rendered = env.from_string("{% set exit_url = 'https://x.test/' %}" + link).render(
        resources={"ht_exit_words": {**words, "xx": {"label": 'it\'s <b>"odd"</b>'}}}
    )
    found: dict[str, str | None] = {}

    class Attrs(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.update(attrs)

    Attrs().feed(rendered)
    assert json.loads(found["data-words"] or "")["es"]["label"] == "Salida rápida ✕"
    assert json.loads(found["data-words"] or "")["xx"]["label"] == 'it\'s <b>"odd"</b>'
    script = (folder / "static" / "healing.js").read_text(encoding="utf-8")
    assert 'getAttribute("data-words")' in script
    assert "document.documentElement.lang = lang" in script


def test_an_error_for_a_person_is_said_in_their_language_with_its_values() -> None:
    from workbook.domain import ValidationError

    err = ValidationError(
        "In the U.S.: %(lines)s. Help in %(others)s is on step 8.", lines="988", others="Canada"
    )
    assert str(err) == "In the U.S.: 988. Help in Canada is on step 8."
    said = err.in_language(i18n.translator("es").gettext)
    assert said == "En Estados Unidos: 988. La ayuda en Canadá está en el paso 8."


def test_english_left_finds_english_and_leaves_spanish_and_a_persons_words() -> None:
    from english import english_left

    spanish = ["Guardado. Tu pareja lo verá cuando quiera.", "Paso 3 de 8", "Ánimo: 7"]
    assert english_left(spanish) == []
    assert english_left(["Guardar", "Nothing was saved."]) == ["Nothing was saved."]
    assert english_left(["Australia/Broken_Hill", "https://example.org/the-day"]) == []
    assert english_left(["Tú: I hear you, with love"], allowed=["I hear you, with love"]) == []
    # A join code is random letters: one spelled "WE" once and read as English (a flaky run).
    assert english_left(["pareja-06\tGTAG-HEKU-B3WE\t0 de 7", "Código: THEY47"]) == []
    assert english_left(["pareja-06 the code"]) == ["pareja-06 the code"]


def test_a_day_pattern_is_the_languages_own_wherever_it_is_written() -> None:
    # The Spanish walk found "06 dic 2026" beside "6 dic 2026": one pattern, two spellings.
    day = date(2026, 12, 6)
    assert i18n.format_date(day, "en", "dd MMM y") == "06 Dec 2026"
    assert i18n.format_date(day, "es", "dd MMM y") == "6 dic 2026"
    assert i18n.format_date(day, "es", "long") == "6 de diciembre de 2026"
