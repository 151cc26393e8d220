"""The facilitator page's HTML pieces: the progress table, new codes and their slips, worksheet
links. Every value is escaped (`workbook.markup`); the look is in the stylesheet (healing.css).
"""

from __future__ import annotations

from collections.abc import Sequence

from babel import Locale

from ..aggregates import CoupleProgress
from ..domain import RECORDED_STEPS
from ..i18n import format_date, known, translator
from ..markup import Markup, html, join
from ..slips import slips_filename, slips_html
from ..worksheets import worksheet_filename, worksheet_html
from ..workshop import CoupleCode, format_code
from .base import download_link


def progress_html(
    rows: Sequence[CoupleProgress], lang: str | None = None, *, show_codes: bool = False
) -> Markup:
    """The progress table: couple, join code, steps done per partner, last activity.

    The codes are hidden unless `show_codes`: a facilitator's screen is often projected, and
    a code seen by the room opens that couple's workbook. Its look is in the stylesheet
    (healing.css, `.ht-progress-table`)."""
    _ = translator(lang).gettext
    hidden = html("<span class='ht-small'>{}</span>", _("hidden"))
    if not rows:
        return html("<p class='ht-empty'>{}</p>", _("No couples yet. Create them below."))
    total = len(RECORDED_STEPS)  # step 8 is never recorded
    code, a, b, when = _("Join code"), _("Partner A"), _("Partner B"), _("Last shared activity")
    body = []
    for r in rows:
        if r.problem:
            last = _(r.problem)
        elif r.last_activity:
            last = format_date(r.last_activity, lang, "dd MMM y")
        else:
            last = _("none yet")
        body.append(
            html(
                # Each cell names its column, for the phone's stacked rows (healing.css).
                "<tr><th scope='row'>{}</th><td class='ht-code' data-label='{}'>{}</td>"
                "<td data-label='{}'>{}</td><td data-label='{}'>{}</td>"
                "<td data-label='{}'>{}</td></tr>",
                r.name,
                code,
                (format_code(r.code) if show_codes else hidden) if r.code else "—",
                a,
                _("%(done)d of %(total)d") % {"done": r.steps_a, "total": total},
                b,
                _("%(done)d of %(total)d") % {"done": r.steps_b, "total": total},
                when,
                last,
            )
        )
    return html(
        "<div class='ht-table-wrap'><table class='ht-table ht-progress-table'>"
        "<caption>{}</caption>"
        "<thead><tr><th scope='col'>{}</th><th scope='col'>{}</th>"
        "<th scope='col'>{}</th><th scope='col'>{}</th>"
        "<th scope='col'>{}</th></tr></thead>"
        "<tbody>{}</tbody></table></div>",
        _(
            "Steps each partner has marked done (of steps 1 to 7: nothing on step 8 is "
            "ever recorded). Entries themselves are never shown here."
        ),
        _("Couple"),
        code,
        a,
        b,
        when,
        join(body),
    )


def codes_html(
    made: Sequence[CoupleCode],
    lang: str | None = None,
    *,
    show_codes: bool = False,
    replaced: bool = False,
) -> Markup:
    """The couples just created (or the one whose code was `replaced`) and their slips to
    print. The codes themselves are shown only with `show_codes`: right after a press is when
    a projected screen is most watched, and an overheard code is the one being replaced."""
    _ = translator(lang).gettext
    hidden = html("<span class='ht-small'>{}</span>", _("code hidden"))
    items = join(
        html("<li><strong class='ht-code'>{}</strong> · {}</li>", format_code(c.code), c.name)
        if show_codes
        else html("<li>{} · {}</li>", c.name, hidden)
        for c in made
    )
    if replaced:
        lead = _("Give %(name)s their new code, on its slip.") % {"name": made[0].name}
    else:
        lead = _(
            "Give each couple their code, on their slip. They type it on the start page to "
            "reach their own workbook."
        )
    return html(
        "<p class='ht-p'>{}</p><ul class='ht-list ht-codes'>{}</ul>{}",
        lead,
        items,
        slips_link(
            made,
            lang,
            translator(lang).ngettext(
                "Print the slip with this code", "Print the %(n)d slips with these codes", len(made)
            )
            % {"n": len(made)},
        ),
    )


def slips_link(codes: Sequence[CoupleCode], lang: str | None, said: str) -> Markup:
    """A download link for the join-code slips of `codes` (`workbook.slips`), a page to print
    and cut: the codes reach paper without being shown on a screen the room may see."""
    _ = translator(lang).gettext
    return download_link(
        slips_html(codes, lang), slips_filename(codes), said, cls="ht-link-button"
    ) + html(
        "<p class='ht-small'>{}</p>",
        _("Open the file and print it; cut along the dashed lines, one slip per couple.")
        if len(codes) > 1
        else _("Open the file and print it."),
    )


def step_title(step: int, lang: str | None = None) -> str:
    """A step's title as the pages show it ("Step 3: ...", "Paso 3: ..."), in `lang`."""
    from ..steps import steps_in

    said = translator(lang).gettext("Step %(number)d: %(title)s")
    return said % {"number": step, "title": steps_in(lang)[step].title}


def worksheet_link(step: int, lang: str | None = None, page_lang: str | None = None) -> Markup:
    """A download link for a step's blank worksheet in `lang`, as a data: URL (no server round
    trip); the link's words are in the page's language `page_lang`."""
    _ = translator(page_lang).gettext
    step_name = step_title(step, page_lang)
    if (known(lang) or "en") == (known(page_lang) or "en"):
        said = _("Download the %(step)s worksheet") % {"step": step_name}
    else:
        said = _("Download the %(step)s worksheet in %(language)s") % {
            "step": step_name,
            # The sheet's language as the page's language names it ("Spanish", "inglés").
            "language": Locale.parse(known(lang) or "en").get_display_name(page_lang or "en"),
        }
    return download_link(
        worksheet_html(step, lang=lang),
        worksheet_filename(step),
        said,
        cls="ht-link-button",
    ) + html(
        "<p class='ht-small'>{}</p>",
        _("Open the file and print it; it has room to write on paper."),
    )


def room_address_html(url: str, lang: str | None = None) -> Markup:
    """The address the couples open, to show the room (it carries the server's token, which
    every couple holds, and never the facilitator key)."""
    _ = translator(lang).gettext
    return html(
        "<p class='ht-p'>{}</p><p class='ht-room-address'><code>{}</code></p>",
        _(
            "Couples open this address on their phones or laptops, then type the join code "
            "from their slip. Show it to the room or write it on the board: it does not open "
            "this page."
        ),
        url,
    )
