"""The sentences beside the promise-keeping and CSI-4 charts (see `workbook.charts`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..domain import CSI4_DISTRESS_CUTOFF, PARTNER_IDS, CSI4Answer, PartnerId, Promise
from .csi4 import csi4_series
from .promises import promise_counts
from .wording import decimal, gettext_for, ngettext_for, percent


def csi4_line_meaning(lang: str | None = None) -> str:
    """What the 13.5 line means, said wherever a total is shown (`domain.CSI4_LINE_MEANING`)."""
    _ = gettext_for(lang)
    return _(
        "The %(line)s line comes from the questionnaire's authors: below it, the people they "
        "studied described their relationship as notably hard, a sign to talk things through "
        "rather than a verdict on either of you."
    ) % {"line": decimal(CSI4_DISTRESS_CUTOFF, lang)}


def _name(names: Mapping[str, str], partner: PartnerId) -> str:
    return names.get(partner) or f"Partner {partner.upper()}"


def summarize_promises(
    promises: Sequence[Promise],
    names: Mapping[str, str],
    *,
    author: PartnerId | None = None,
    lang: str | None = None,
) -> str:
    """The companion text for the promise-keeping chart: kept out of resolved, and open ones."""
    _, ngettext = gettext_for(lang), ngettext_for(lang)
    counts = promise_counts(promises, author=author)
    name = None if author is None else _name(names, author)
    still_open = (
        [
            ngettext("%(n)d is still open.", "%(n)d are still open.", counts.open)
            % {"n": counts.open}
        ]
        if counts.open
        else []
    )
    if counts.rate is None:
        if counts.open:
            none = (
                _("None of your promises has been kept or broken yet.")
                if name is None
                else _("None of %(name)s's promises has been kept or broken yet.") % {"name": name}
            )
            return " ".join([none, *still_open])
        return _("No promises yet. Promises you make and keep will show here.")
    values = {
        "name": name,
        "resolved": counts.resolved,
        "kept": counts.kept,
        "rate": percent(counts.rate, lang),
    }
    # One whole sentence for each number of promises resolved (one, more) and kept.
    if name is None and counts.resolved == 1:
        text = ngettext(
            "Of %(resolved)d promise kept or broken, %(kept)d was kept (%(rate)s).",
            "Of %(resolved)d promise kept or broken, %(kept)d were kept (%(rate)s).",
            counts.kept,
        )
    elif name is None:
        text = ngettext(
            "Of %(resolved)d promises kept or broken, %(kept)d was kept (%(rate)s).",
            "Of %(resolved)d promises kept or broken, %(kept)d were kept (%(rate)s).",
            counts.kept,
        )
    elif counts.resolved == 1:
        text = ngettext(
            "Of %(name)s's %(resolved)d promise kept or broken, %(kept)d was kept (%(rate)s).",
            "Of %(name)s's %(resolved)d promise kept or broken, %(kept)d were kept (%(rate)s).",
            counts.kept,
        )
    else:
        text = ngettext(
            "Of %(name)s's %(resolved)d promises kept or broken, %(kept)d was kept (%(rate)s).",
            "Of %(name)s's %(resolved)d promises kept or broken, %(kept)d were kept (%(rate)s).",
            counts.kept,
        )
    return " ".join([text % values, *still_open])


def summarize_csi4(
    answers: Sequence[CSI4Answer], names: Mapping[str, str], *, lang: str | None = None
) -> str:
    """The companion text for the CSI-4 chart: each partner's latest total, band and change."""
    _, ngettext = gettext_for(lang), ngettext_for(lang)
    series = csi4_series(answers)
    if not series:
        return _("No relationship-satisfaction (CSI-4) answers yet.")
    lines = []
    for pid in PARTNER_IDS:
        mine = [p for p in series if p.partner == pid]
        name = _name(names, pid)
        if not mine:
            lines.append(_("%(name)s has not answered the CSI-4 yet.") % {"name": name})
            continue
        last = mine[-1]
        values = {"name": name, "total": last.total, "line": decimal(CSI4_DISTRESS_CUTOFF, lang)}
        lines.append(
            (
                _("%(name)s's latest CSI-4 total is %(total)d of 21 (below the %(line)s line).")
                if last.distressed
                else _(
                    "%(name)s's latest CSI-4 total is %(total)d of 21 (above the %(line)s line)."
                )
            )
            % values
        )
        change = last.change
        if change is None:
            lines.append(_("One answer so far; change shows after the next one."))
        elif change == 0:
            lines.append(_("The same as the first answer."))
        elif change > 0:
            lines.append(
                ngettext(
                    "That is up %(n)d point from the first answer.",
                    "That is up %(n)d points from the first answer.",
                    change,
                )
                % {"n": change}
            )
        else:
            lines.append(
                ngettext(
                    "That is down %(n)d point from the first answer.",
                    "That is down %(n)d points from the first answer.",
                    -change,
                )
                % {"n": -change}
            )
    return " ".join(lines)
