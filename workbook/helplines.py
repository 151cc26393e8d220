"""The crisis lines of each country, with the public source each was checked against.

Plain data (see `workbook.resources` for how the lists are shown and why each was chosen).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .i18n import N_


@dataclass(frozen=True)
class Source:
    """Where a resource was checked: a public page's title and address, and the day."""

    title: str
    url: str
    checked: date


@dataclass(frozen=True)
class Contact:
    """One way to reach a service: how ("call", "TTY", "text"), as shown, and its link."""

    how: str
    shown: str
    href: str


@dataclass(frozen=True)
class CrisisResource:
    """A crisis service: its name, ways to reach it, options on a call, hours and languages,
    and the source it was checked against."""

    name: str
    contacts: tuple[Contact, ...]
    hours: str
    languages: str = ""
    options: str = ""
    source: Source | None = None


@dataclass(frozen=True)
class Country:
    """The resources of one country (or of two that share them), in the order shown."""

    code: str
    name: str
    #: How the country reads after "Help in" ("the U.S.", "Canada").
    in_name: str
    resources: tuple[CrisisResource, ...]
    #: Said plainly on the page when the list is short: what is missing and why.
    short: str = ""

    @property
    def title(self) -> str:
        """The heading over this country's list."""
        return self.title_template % {"country": self.in_name}

    #: The heading's words, for the catalogue; "%(country)s" is `in_name`.
    title_template = N_("Help in %(country)s, free and confidential")

    @property
    def emergency(self) -> CrisisResource:
        """The first resource: what to call in immediate danger."""
        return self.resources[0]


_ISSUE_15 = date(2026, 11, 27)
_CHECKED = date(2026, 12, 4)
_NDVH = Source(
    "National Domestic Violence Hotline: Get Help (thehotline.org), stored copy",
    "https://www.thehotline.org/",
    _ISSUE_15,
)
_LIFELINE = Source(
    "988 Suicide & Crisis Lifeline (988lifeline.org), stored copy; LGBTQ+ youth option "
    "ended 17 July 2025",
    "https://988lifeline.org/",
    _ISSUE_15,
)
_CA_988 = Source(
    "Government of Canada launches three-digit suicide crisis helpline (CNW, 30 Nov 2023)",
    "https://www.newswire.ca/news-releases/"
    "government-of-canada-launches-three-digit-suicide-crisis-helpline-896472116.html",
    _CHECKED,
)
_CA_911 = Source(
    "Department of Justice Canada: Get help with family violence",
    "https://www.justice.gc.ca/eng/cj-jp/fv-vf/help-aide.html",
    _CHECKED,
)
_UK_NDAH = Source(
    "Centre 56: Domestic Abuse (National Domestic Abuse Helpline 0808 2000 247, 24 hours; "
    "emergency 999); Refuge: freephone 24-hour National Domestic Abuse Helpline",
    "https://www.centre56.org.uk/domestic-abuse",
    _CHECKED,
)
_SAMARITANS = Source(
    "Newstalk: Samaritans free phone number extended (116 123 free across the island of "
    "Ireland and the UK); Samaritans: the journey to a free call number",
    "https://www.samaritans.org/your-community/samaritans-ireland-scotland-and-wales/"
    "samaritans-ireland/journey",
    _CHECKED,
)
_ES_016 = Source(
    "El Mirón de Soria: El servicio 016 recibe 59.317 consultas de enero a junio (24 Aug 2025, "
    "figures from the Ministerio de Igualdad)",
    "https://elmirondesoria.es/nacional/politica/el-servicio-016-recibe-59-317-consultas-de-"
    "enero-a-junio",
    _CHECKED,
)
_ES_112 = Source(
    "El Periódico Extremadura: el 016 ... si la persona que llama se encuentra en una "
    "emergencia, debe marcar el 112 (Oct 2019)",
    "https://www.elperiodicoextremadura.com/noticias/extremadura/"
    "extremadura-realizan-tres-llamadas-dia-telefono-016_1194873.html",
    _CHECKED,
)
_ES_024 = Source(
    "RTVE: Sanidad presenta el 024, línea de atención a la conducta suicida (9 May 2022)",
    "https://www.rtve.es/noticias/20220509/sanidad-presenta-telefono-prevencion-suicidio/"
    "2347183.shtml",
    _CHECKED,
)
_MX_VIDA = Source(
    "El Universal: Línea de la Vida, 800-911-2000, sin costo, 24 horas (24 Dec 2025)",
    "https://www.eluniversal.com.mx/nacion/promueven-la-linea-de-la-vida-tras-presentar-"
    "encuesta-sobre-consumo-de-drogas-asi-puedes-pedir-ayuda/",
    _CHECKED,
)
_MX_911 = Source(
    "Proceso: Se triplican llamadas a la Línea de la Vida (11 Oct 2025; calls referred to "
    "the 9-1-1 emergency service)",
    "https://www.proceso.com.mx/ciencia-tecnologia/salud/2025/10/11/"
    "se-triplican-llamadas-la-linea-de-la-vida-en-el-primer-trimestre-de-2025-360581.html",
    _CHECKED,
)

_DAY_AND_NIGHT = N_("day and night")


def _line(
    name: str,
    shown: str,
    source: Source,
    *,
    href: str = "",
    hours: str = _DAY_AND_NIGHT,
    texts: bool = False,
    **more: str,
) -> CrisisResource:
    """A service reached by a call to ``shown`` (``tel:`` + ``href``, by default the number
    without spaces or dashes), and also by a text to the same number with ``texts``."""
    tel = href or shown.replace(" ", "").replace("-", "")
    contacts: tuple[Contact, ...] = (Contact(N_("call"), shown, f"tel:{tel}"),)
    if texts:
        contacts += (Contact(N_("text"), shown, f"sms:{tel}"),)
    return CrisisResource(name, contacts, hours=hours, source=source, **more)


def _danger(number: str, source: Source, name: str = N_("In immediate danger")) -> CrisisResource:
    """What to call in immediate danger: the emergency number, day and night."""
    return _line(name, number, source)


_SAMARITANS_LINE = _line("Samaritans", "116 123", _SAMARITANS, hours=N_("free, day and night"))

COUNTRIES: dict[str, Country] = {
    c.code: c
    for c in (
        Country(
            "us",
            "United States",
            N_("the U.S."),
            (
                _danger("911", _NDVH),
                CrisisResource(
                    N_("National Domestic Violence Hotline"),
                    (
                        Contact(N_("call"), "1-800-799-7233", "tel:+18007997233"),
                        Contact("TTY", "1-800-787-3224", "tel:+18007873224"),
                        Contact(N_("text"), N_("START to 88788"), "sms:88788?body=START"),
                    ),
                    hours=_DAY_AND_NIGHT,
                    languages=N_(
                        "in English and Spanish, and over 200 other languages through interpreters"
                    ),
                    source=_NDVH,
                ),
                _line(
                    N_("988 Suicide & Crisis Lifeline"),
                    "988",
                    _LIFELINE,
                    texts=True,
                    options=N_(
                        "press 1 for veterans, press 2 for Spanish; in Spanish also by "
                        "texting AYUDA to 988"
                    ),
                    languages=N_(
                        "in English and Spanish, with interpreters for other languages on a call"
                    ),
                ),
            ),
        ),
        Country(
            "ca",
            "Canada",
            N_("Canada"),
            (
                _danger("911", _CA_911),
                _line(
                    N_("9-8-8 Suicide Crisis Helpline"),
                    "9-8-8",
                    _CA_988,
                    texts=True,
                    languages=N_("in English and French"),
                ),
            ),
            short=N_(
                "This list is short: we have not yet checked a national domestic violence "
                "line for Canada (each province runs its own), so none is listed here."
            ),
        ),
        Country(
            "uk",
            "United Kingdom",
            N_("the UK"),
            (
                _danger("999", _UK_NDAH),
                _line(
                    N_("National Domestic Abuse Helpline (Refuge)"),
                    "0808 2000 247",
                    _UK_NDAH,
                    href="+448082000247",
                    hours=N_("free, 24 hours"),
                ),
                _SAMARITANS_LINE,
            ),
        ),
        Country(
            "ie",
            "Ireland",
            N_("Ireland"),
            (_SAMARITANS_LINE,),
            short=N_(
                "This list is short: we have not yet checked a domestic abuse line or the "
                "emergency numbers for Ireland against a source, so only Samaritans is listed. "
                "Samaritans will listen to anything, day and night."
            ),
        ),
        Country(
            "es",
            N_("Spain"),
            N_("Spain"),
            (
                _danger("112", _ES_112, N_("Emergencias (in immediate danger)")),
                _line(
                    N_("016, violencia contra las mujeres (violence against women)"),
                    "016",
                    _ES_016,
                    hours=N_("free, confidential, 24 hours; not shown on the phone bill"),
                    languages=N_("in 53 languages"),
                ),
                _line(
                    N_("024, línea de atención a la conducta suicida (suicidal thoughts)"),
                    "024",
                    _ES_024,
                    hours=N_("free, confidential, day and night"),
                ),
            ),
        ),
        Country(
            "mx",
            N_("Mexico"),
            N_("Mexico"),
            (
                _danger("911", _MX_911, N_("Emergencias (in immediate danger)")),
                _line(
                    N_("Línea de la Vida (mental health, suicidal thoughts, violence)"),
                    "800 911 2000",
                    _MX_VIDA,
                    href="+528009112000",
                    hours=N_("free, day and night"),
                ),
            ),
            short=N_(
                "This list is short: we list only numbers we have checked against a source, "
                "and we have not yet been able to check a national line for violence at home "
                "in Mexico. If you are in danger now, call 911."
            ),
        ),
    )
}
#: The country shown until another is chosen on the page.
DEFAULT_COUNTRY = "us"
#: The U.S. list, as before (the footer's lines and older callers).
RESOURCES: tuple[CrisisResource, ...] = COUNTRIES[DEFAULT_COUNTRY].resources
