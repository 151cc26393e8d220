"""Crisis resources by country and the plain word on abuse: one list, used everywhere.

Step 8 (`workbook.ui.safety`) shows the list of the country chosen on that page (the U.S.
unless another is chosen; the choice lives only in the open page and is never stored), every
page footer names each country's emergency number and the U.S. lines, and step 8's printable
worksheet (`workbook.worksheets`) prints every country's list. So a number cannot be right in
one place and stale in another. Phone links are E.164 (``tel:+1…``), except short codes
(911, 988, 999, 112, 116 123, 016, 024) dialled as they are.

Every resource names the public source it was checked against (`Source`: title, address and
the day it was checked). The U.S. lines were checked on 2026-11-27 (issue 15); the others on
2026-12-04 (issue 18) against the stored copies of the pages named. What could not be checked
against a named source is left out, and `Country.short` says so on the page:

* Canada: no national domestic violence line was checked (provinces run their own).
* Ireland: no domestic abuse line was checked; its emergency numbers 112 and 999 were not
  found in a stored source either, so they are not listed.
* Mexico: no national domestic violence line was checked.
* The 988 Lifeline's LGBTQ+ youth option ("press 3") ended on 17 July 2025 and is absent.

This is domain-level data with small HTML renderers (every value escaped): no widgets.
"""

from __future__ import annotations

from collections.abc import Callable

# The lists themselves are data of their own (workbook/helplines.py), re-exported here.
from .helplines import _ES_112
from .helplines import COUNTRIES as COUNTRIES
from .helplines import DEFAULT_COUNTRY as DEFAULT_COUNTRY
from .helplines import RESOURCES as RESOURCES
from .helplines import Contact as Contact
from .helplines import Country as Country
from .helplines import CrisisResource as CrisisResource
from .helplines import Source as Source
from .i18n import N_, SOURCE, languages, translator
from .markup import Markup, html, join

#: A call or text can be found afterwards on the phone itself.
PHONE_HISTORY = N_(
    "A call or text may show in your phone's history even when it is not on the bill. If "
    "someone checks your phone, you may want to delete it afterwards, or use a phone they "
    "cannot see."
)
_PHONE_HISTORY_SOURCE = _ES_112  # "sí se queda grabado el número en el registro del móvil"


def country(code: str | None) -> Country:
    """The country of `code`, or the default (the U.S.) for anything else."""
    return COUNTRIES.get(code or DEFAULT_COUNTRY, COUNTRIES[DEFAULT_COUNTRY])


#: The plain word on abuse, on step 8, on the start page's safety question and in every footer.
NOT_ADVISED = N_(
    "Couples exercises, including the ones in this workbook, are not advised when there is "
    "abuse in the relationship: physical, sexual or emotional violence, threats, or one "
    "partner controlling the other."
)
#: Why, on step 8 and its worksheet.
NOT_ADVISED_WHY = N_(
    "Talking openly in front of the person who hurts you can make things more dangerous, and "
    "abuse is not a shared communication problem that two people fix together. It is not your "
    "fault."
)
#: What to do instead, on step 8 and its worksheet.
HELP_INSTEAD = N_(
    "Talk in confidence to a domestic violence advocate, who can help you think through your "
    "options and make a safety plan; look for individual support from a counsellor experienced "
    "with abuse rather than couples therapy; and if you are in danger right now, call 911. "
    "Sometimes separating is the healthiest step, and an advocate can help you plan it safely."
)
#: The quick exit's words: the link, and what a screen reader says of it.
QUICK_EXIT = N_("Quick exit ✕")
QUICK_EXIT_HELP = N_("Quick exit: leave this page now (or press Escape twice)")


def quick_exit_words() -> dict[str, dict[str, str]]:
    """The quick exit's words in each language but English (the page template's own text),
    for the page to show when its address says ``lang=es``."""
    return {
        lang: {
            "label": translator(lang).gettext(QUICK_EXIT),
            "help": translator(lang).gettext(QUICK_EXIT_HELP),
        }
        for lang in languages()
        if lang != SOURCE
    }


#: The heading over the U.S. list (the default country).
RESOURCES_TITLE = COUNTRIES[DEFAULT_COUNTRY].title + ", day and night"


def _either(items: list[Markup], gettext: Callable[[str], str]) -> Markup:
    """``a, b or c`` in the reader's language."""
    if len(items) == 1:
        return items[0]
    either = gettext("%(some)s or %(last)s")
    return html(
        either.replace("%(some)s", "{}").replace("%(last)s", "{}"),
        join(items[:-1], ", "),
        items[-1],
    )


def _contacts_html(contacts: tuple[Contact, ...], gettext: Callable[[str], str]) -> Markup:
    links = [
        html("{} <a class='ht-call' href='{}'>{}</a>", gettext(c.how), c.href, gettext(c.shown))
        for c in contacts
    ]
    return _either(links, gettext)


def resource_html(
    resource: CrisisResource, *, details: bool = True, lang: str | None = None
) -> Markup:
    """One resource as HTML, in `lang`: name, tap-to-call and tap-to-text links, and (with
    `details`) the options on a call, hours and languages."""
    _ = translator(lang).gettext
    text = html("<strong>{}:</strong> {}", _(resource.name), _contacts_html(resource.contacts, _))
    if resource.options:
        text += html(" ({})", _(resource.options))
    if details:
        when = ", ".join(_(x) for x in (resource.hours, resource.languages) if x)
        text += html("; {}", when) if when else ""
    return text


def country_title(chosen: Country, lang: str | None = None) -> str:
    """The heading over a country's list, in `lang`."""
    _ = translator(lang).gettext
    return _(Country.title_template) % {"country": _(chosen.in_name)}


def resources_list_html(
    list_class: str = "", code: str | None = None, lang: str | None = None
) -> Markup:
    """Every resource of one country (the U.S. by default), with its details, as an HTML list,
    and the plain word when the list is short; in `lang`."""
    chosen = country(code)
    items = join(html("<li>{}</li>", resource_html(r, lang=lang)) for r in chosen.resources)
    if list_class:
        built = html("<ul class='{}'>{}</ul>", list_class, items)
    else:
        built = html("<ul>{}</ul>", items)
    if chosen.short:
        built += html("<p class='ht-p ht-short'>{}</p>", translator(lang).gettext(chosen.short))
    return built


def all_countries_html(list_class: str = "", lang: str | None = None) -> Markup:
    """Every country's list under its heading, for paper (step 8's worksheet), in `lang`."""
    return join(
        html("<p class='ht-p'><strong>{}</strong></p>", country_title(c, lang))
        + resources_list_html(list_class, c.code, lang)
        for c in COUNTRIES.values()
    )


def resources_line_html(lang: str | None = None) -> Markup:
    """The U.S. resources on one line, for a footer, and where the other countries' are."""
    _ = translator(lang).gettext
    us = join((resource_html(r, details=False, lang=lang) for r in RESOURCES), " · ")
    names = [_(c.in_name) for code, c in COUNTRIES.items() if code != DEFAULT_COUNTRY]
    others = _("%(some)s and %(last)s") % {"some": ", ".join(names[:-1]), "last": names[-1]}
    line = _("In the U.S.: %(lines)s. Help in %(others)s is on step 8.")
    before, _lines, after = line.partition("%(lines)s")
    return html("{}{}{}", before, us, after % {"others": others})
