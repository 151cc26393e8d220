"""Issue 21, the measures in Spanish: the check-in, the weekly CSI-4 check, the trends page, the
charts (titles, axes, legends, month and day names), the sentences beside them, the group trend
and the counsellor's report; English as it was."""

from __future__ import annotations

import base64
import functools
import html
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from babel.messages.pofile import read_po
from english import english_left, shown_text
from matplotlib.text import Text

import workbook
from workbook import aggregates, charts, i18n, stats
from workbook.report import report_html
from workbook.ui.base import Session, resolve_session
from workbook.ui.checkin import CheckInForm
from workbook.ui.counsellor import ReportConsent, ReportMaker
from workbook.ui.satisfaction import SatisfactionCheck
from workbook.ui.trend_parts import about_measures
from workbook.ui.trends import TrendsDashboard

TODAY = date(2026, 12, 5)
NAMES = ["Sam", "Alex"]
#: A journal's name is the same in every language.
JOURNAL = "Journal of Family Psychology"
#: The correction control of every list comes from `ui.corrections` (another part of issue 21).
CORRECTIONS = ["Correct or delete one of mine"]


@functools.cache
def _english_entries() -> tuple[frozenset[str], tuple[str, ...]]:
    """The catalogue's English texts that Spanish writes differently: whole (any length), and
    the longer ones without placeholders, to find inside a line."""
    with (i18n.LOCALE_DIR / "es" / "LC_MESSAGES" / "workbook.po").open("rb") as fh:
        cat = read_po(fh, locale="es")
    ids = set()
    for m in cat:
        pairs = (
            zip(m.id, m.string[:2], strict=True) if isinstance(m.id, tuple) else [(m.id, m.string)]
        )
        ids.update(i for i, t in pairs if i and t and i != t)
    longer = tuple(i for i in ids if len(i) >= 12 and "%" not in i)
    return frozenset(ids), longer


def left_in_english(lines: list[str], allowed: list[str]) -> list[str]:
    """`english_left`, and lines that are (or hold) an English catalogue text as written."""
    whole, longer = _english_entries()
    found = english_left(lines, allowed=allowed)
    for line in lines:
        if line not in found and (line in whole or any(e in line for e in longer)):
            found.append(line)
    return found


def _spanish(wb: workbook.Workbook, who: str = "a") -> Session:
    session = resolve_session(query={"wb": wb.name, "who": who, "lang": "es"})
    assert not isinstance(session, str)
    assert session.lang == "es"
    return session


@pytest.fixture
def filled(wb: workbook.Workbook) -> workbook.Workbook:
    """Six weeks of Spanish entries for both partners: check-ins, promises, CSI-4, a step."""
    start = datetime(2026, 10, 20, 20, 0, tzinfo=UTC)
    for day in range(46):
        at = start + timedelta(days=day)
        wb.add_checkin("a", 3 + day % 5, 4 + day % 4, "Cansancio del trabajo", at=at)
        if day % 2:
            wb.add_checkin("b", 6, 5 + day % 3, at=at)
    kept = wb.add_promise("a", "Llamar a mamá el domingo", made=date(2026, 10, 21))
    wb.resolve_promise(kept.id, "kept", on=date(2026, 10, 26))  # type: ignore[arg-type]
    broken = wb.add_promise("b", "Cocinar juntos el viernes", made=date(2026, 10, 22))
    wb.resolve_promise(broken.id, "broken", on=date(2026, 10, 31))  # type: ignore[arg-type]
    wb.add_promise("b", "Salir a caminar", made=date(2026, 11, 2))
    wb.add_csi4("a", (3, 3, 3, 3), day=date(2026, 10, 21))
    wb.add_csi4("a", (4, 4, 4, 3), day=date(2026, 11, 20))
    wb.add_csi4("b", (2, 2, 2, 2), day=date(2026, 10, 22))
    wb.mark_step("a", 1, at=datetime(2026, 11, 10, 12, 0, tzinfo=UTC))
    return wb


# --- the sentences: Spanish words, decimal comma, Spanish dates ------------------------------


def test_the_summaries_speak_spanish_with_a_decimal_comma(filled: workbook.Workbook) -> None:
    names = filled.names()
    checkins = filled.checkins(viewer=None)
    said = stats.summarize_mood_trust(checkins, names, today=TODAY, weeks=4, lang="es")
    assert "en las últimas cuatro semanas" in said
    assert re.search(r"\d,\d", said), said  # 4,5, never 4.5
    assert english_left([said], allowed=NAMES) == []
    csi4 = stats.summarize_csi4(filled.csi4(), names, lang="es")
    assert "El último total del CSI-4 de Sam es 15 de 21 (por encima de la línea de 13,5)." in csi4
    assert "Subió 3 puntos desde la primera respuesta." in csi4
    assert "por debajo de la línea de 13,5" in csi4  # Alex's 8
    promises = stats.summarize_promises(filled.promises(), names, lang="es")
    assert promises == (
        "De 2 promesas ya resueltas (cumplidas o no), se cumplió 1 (50\xa0%). 1 sigue pendiente."
    )
    gap = stats.summarize_gap(checkins, names, today=TODAY, weeks=4, lang="es")
    calendar = stats.summarize_calendar(checkins, names, year=2026, lang="es")
    assert "Sam hizo su registro 46 días en 2026" in calendar
    for text in (gap, calendar, stats.csi4_line_meaning("es")):
        assert english_left([text], allowed=NAMES) == [], text
    assert stats.csi4_line_meaning("es").startswith("La línea de 13,5 viene")


def test_the_summaries_in_english_are_as_they_were(filled: workbook.Workbook) -> None:
    names, checkins = filled.names(), filled.checkins(viewer=None)
    for lang in (None, "en"):
        assert stats.summarize_promises(filled.promises(), names, lang=lang) == (
            "Of 2 promises kept or broken, 1 was kept (50%). 1 is still open."
        )
        assert stats.summarize_csi4(filled.csi4(), names, lang=lang).startswith(
            "Sam's latest CSI-4 total is 15 of 21 (above the 13.5 line). That is up 3 points"
        )
    old = stats.summarize_trend(checkins, names, "b", "mood", today=date(2027, 3, 1))
    assert (
        old == "No check-ins from Alex in the last four weeks; the last one was on 4 December 2026."
    )
    spanish = stats.summarize_trend(checkins, names, "b", "mood", today=date(2027, 3, 1), lang="es")
    assert spanish == (
        "Alex no hizo ningún registro en las últimas cuatro semanas; "
        "el último fue el 4 de diciembre de 2026."
    )
    assert stats.private_only(names, "b", 2, viewer="a", lang="es") == (
        "Alex tiene 2 registros privados en este período; las gráficas no los incluyen."
    )


def test_an_empty_workbook_says_so_in_spanish(wb: workbook.Workbook) -> None:
    names = wb.names()
    for text in (
        stats.summarize_mood_trust([], names, lang="es"),
        stats.summarize_gap([], names, lang="es"),
        stats.summarize_promises([], names, lang="es"),
        stats.summarize_csi4([], names, lang="es"),
        stats.summarize_calendar([], names, year=2026, lang="es"),
    ):
        assert text
        assert english_left([text], allowed=NAMES) == [], text


# --- the charts -------------------------------------------------------------------------------


def _chart_text(fig: object) -> list[str]:
    charts.figure_to_png(fig, dpi=30)  # type: ignore[arg-type] # drawn: tick labels are set
    texts = [t.get_text() for t in fig.findobj(Text)]  # type: ignore[attr-defined]
    return [t for t in texts if t.strip()]


def test_every_chart_speaks_spanish_months_included(filled: workbook.Workbook) -> None:
    names = filled.names()
    checkins = filled.checkins(viewer=None)
    figures = {
        "mood": charts.mood_trust_chart(checkins, names, filled.milestones(), lang="es"),
        "gap": charts.partner_gap_chart(checkins, names, lang="es"),
        "promises": charts.promise_keeping_chart(filled.promises(), names, lang="es"),
        "csi4": charts.csi4_chart(filled.csi4(), names, lang="es"),
        "calendar": charts.mood_calendar_chart(checkins, names, year=2026, lang="es"),
    }
    words = {key: _chart_text(fig) for key, fig in figures.items()}
    for key, texts in words.items():
        assert left_in_english(texts, allowed=NAMES) == [], key
        assert not {"Oct", "Nov", "Dec", "Mon", "Thu", "Sun"} & set(" ".join(texts).split()), key
    assert "Ánimo y confianza a lo largo del tiempo" in words["mood"]
    assert "Paso 1" in " ".join(words["mood"])  # the step milestone
    assert "dic" in words["mood"] or "nov" in words["mood"], words["mood"]
    assert "por debajo de 13,5: insatisfacción notable" in words["csi4"]
    assert "50\xa0%" in words["promises"]
    assert {"lun", "jue", "dom", "ene", "nov"} <= set(words["calendar"])
    assert "Ánimo por día, 2026" in words["calendar"]
    english = _chart_text(charts.mood_calendar_chart(checkins, names, year=2026))
    assert {"Mon", "Thu", "Sun", "Jan", "Mood by day, 2026"} <= set(english)


def test_an_empty_chart_says_so_in_spanish() -> None:
    names = {"a": "Sam", "b": "Alex"}
    for fig in (
        charts.mood_trust_chart([], names, lang="es"),
        charts.partner_gap_chart([], names, lang="es"),
        charts.promise_keeping_chart([], names, lang="es"),
        charts.csi4_chart([], names, lang="es"),
        charts.mood_calendar_chart([], names, lang="es"),
        charts.aggregate_chart([], lang="es"),
    ):
        texts = _chart_text(fig)
        assert texts
        assert left_in_english(texts, allowed=NAMES) == [], texts


def test_the_group_trend_speaks_spanish(data_dir: object) -> None:
    result = aggregates.aggregate_trends(min_couples=3, lang="es")
    assert result.message == (
        "Menos de tres parejas han aceptado compartir su ánimo y su confianza (0 hasta ahora), "
        "así que no se muestra ninguna tendencia del grupo. Así los números de cada pareja "
        "siguen siendo anónimos."
    )
    assert aggregates.aggregate_trends(min_couples=3).message.startswith("Fewer than three")


# --- the pages ------------------------------------------------------------------------------


def test_the_trends_page_parts_are_spanish_from_an_empty_workbook(wb: workbook.Workbook) -> None:
    session = _spanish(wb)
    checkin = CheckInForm(session)
    weekly = SatisfactionCheck(session)
    dashboard = TrendsDashboard(session, today=TODAY)
    about = about_measures(session.gettext)
    checkin.save.click()  # nothing chosen
    weekly.save.click()  # nothing answered
    assert checkin.status.kind == weekly.status.kind == "error"
    assert "Primero elige tu ánimo y tu confianza" in checkin.status.message
    assert "Elige una respuesta para cada una" in weekly.status.message
    weekly.questions[0].value = 3
    weekly.save.click()
    assert weekly.status.message.startswith("Responde también la pregunta 2, 3, 4")
    dashboard.end.value = date(2026, 1, 1)
    dashboard.start.value = date(2026, 2, 1)  # after the end
    assert dashboard.status.message == (
        "El inicio del período es posterior a su final. Elige otra fecha."
    )
    for part in (checkin, weekly, dashboard, about):
        assert left_in_english(shown_text(part), allowed=[*NAMES, JOURNAL]) == []
    assert "Últimas 4 semanas" in shown_text(dashboard)
    session.close()


def test_the_trends_page_parts_are_spanish_with_entries(filled: workbook.Workbook) -> None:
    session = _spanish(filled)
    checkin = CheckInForm(session)
    checkin.mood.value, checkin.trust.value = 7, 6
    checkin.save.click()
    assert (
        checkin.status.message == "Guardado: ánimo 7, confianza 6. Gracias por hacer tu registro."
    )
    weekly = SatisfactionCheck(session)
    dashboard = TrendsDashboard(session, today=TODAY)
    allowed = [*NAMES, "Cansancio del trabajo", JOURNAL, *CORRECTIONS]
    for part in (checkin, weekly, dashboard):
        assert left_in_english(shown_text(part), allowed=allowed) == []
    summaries = " ".join(p.summary.value for p in dashboard.panels.values())
    assert "13,5" in summaries
    assert "13.5" not in summaries
    assert "Ánimo: 3 de 10" in checkin.mood.tooltips
    session.close()


def test_the_english_trends_page_is_as_it_was(wb: workbook.Workbook) -> None:
    session = resolve_session(query={"wb": wb.name, "who": "a"})
    assert not isinstance(session, str)
    checkin = CheckInForm(session)
    checkin.save.click()
    assert (
        checkin.status.message == "Choose your mood and trust (1 to 10) first. Nothing was saved."
    )
    dashboard = TrendsDashboard(session, today=TODAY)
    assert dashboard.range.options[0][0] == "Last 4 weeks"
    assert dashboard.panels["mood_trust"].title == "Mood and trust"
    session.close()


def _report_in(link_html: str) -> str:
    found = re.search(r"base64,([A-Za-z0-9+/=]+)", link_html)
    assert found, link_html
    return base64.b64decode(found.group(1)).decode("utf-8")


#: The CSI-4's citation is a title, the same in every language.
CITATION = (
    "Funk, J. L., & Rogge, R. D. (2007). Testing the ruler with item response theory. "
    "Journal of Family Psychology, 21(4), 572–583."
)


def test_the_counsellor_page_and_report_are_spanish(filled: workbook.Workbook) -> None:
    filled.add_reflection("a", 1, "i-statement", "Me siento en calma cuando planeamos la semana.")
    for who in ("a", "b"):  # a step-3 answer to a question about "{partner}", both answered
        filled.add_reflection(who, 3, "perspective-feel", "Cansancio.", visibility="paired")
    session = _spanish(filled)
    consent, maker = ReportConsent(session), ReportMaker(session)
    assert "Esperando a que Sam y Alex den su acuerdo." in maker.note.value
    for part in (consent, maker):
        assert left_in_english(shown_text(part), allowed=NAMES) == []
    consent.box.value = True
    assert consent.status.message.startswith("Gracias: diste tu acuerdo.")
    filled.set_report_consent("b", True)
    consent.refresh()
    maker.refresh()
    assert "Alex también está de acuerdo (desde el" in consent.state.value
    maker.make.click()
    assert maker.status.kind == "ok", maker.status.message
    assert maker.status.message.startswith("El informe está listo. Contiene: nuestras respuestas")
    for part in (consent, maker):
        assert left_in_english(shown_text(part), allowed=NAMES) == []
    report = _report_in(maker.link.value)
    assert "<html lang='es'>" in report
    assert "Para compartir en terapia" in report
    assert "Paso 1:" in report
    assert "13,5" in report
    visible = html.unescape(re.sub(r"<style>.*?</style>|<[^>]+>", "\n", report, flags=re.S))
    lines = [line.strip() for line in visible.splitlines() if line.strip()]
    assert "¿Qué podría estar sintiendo tu pareja" in report, "{partner} on paper, in Spanish"
    assert "Sam y Alex" in report
    typed = ["Me siento en calma cuando planeamos la semana.", "Llamar a mamá el domingo"]
    typed.append("Cansancio.")
    typed += ["Cocinar juntos el viernes", "Salir a caminar", CITATION, "Healing Together"]
    assert left_in_english(lines, allowed=NAMES + typed) == []
    alt = " ".join(re.findall(r"alt='([^']*)'", report))
    assert english_left([html.unescape(alt)], allowed=NAMES) == []
    assert re.search(r"\d{1,2} de [a-z]+ de 2026", report)  # dates in Spanish form
    session.close()


def test_a_report_not_agreed_says_so_in_spanish(filled: workbook.Workbook) -> None:
    session = _spanish(filled)
    filled.set_report_consent("a", True)
    with pytest.raises(workbook.ValidationError) as err:
        report_html(filled, lang="es")
    said = err.value.in_language(session.gettext)
    assert said.startswith("El informe solo se prepara cuando hay acuerdo de ambas partes, y Alex")
    assert str(err.value).startswith("The report is made only when both of you agree, and Alex has")
    session.close()
