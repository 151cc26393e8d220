"""Promises kept, broken and open, as counts and as a running share kept."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..domain import PartnerId, Promise


class _KeptBroken:
    """The share kept, for the records below that count kept and broken promises."""

    kept: int
    broken: int

    @property
    def resolved(self) -> int:
        """Kept plus broken (open promises are never counted)."""
        return self.kept + self.broken

    @property
    def rate(self) -> float | None:
        """kept / (kept + broken), or None when nothing was resolved."""
        return self.kept / self.resolved if self.resolved else None


@dataclass(frozen=True)
class KeepingPoint(_KeptBroken):
    """Promises kept and broken, cumulative up to `day`."""

    day: date
    kept: int
    broken: int


@dataclass(frozen=True)
class PromiseCounts(_KeptBroken):
    """How many promises are kept, broken and still open."""

    kept: int
    broken: int
    open: int


def _resolved(promises: Iterable[Promise], author: PartnerId | None) -> list[Promise]:
    return sorted(
        (
            p
            for p in promises
            if p.status != "open" and p.resolved is not None and author in (None, p.author)
        ),
        key=lambda p: p.resolved or date.min,
    )


def promise_counts(
    promises: Iterable[Promise], *, author: PartnerId | None = None, until: date | None = None
) -> PromiseCounts:
    """Kept, broken and open promises (of `author`, or both), as things stood on `until`.

    A promise resolved after `until` counts as open on `until`; one made after it is left out.
    """
    kept = broken = still_open = 0
    for p in promises:
        if author is not None and p.author != author:
            continue
        if until is not None and p.made > until:
            continue
        if p.status == "open" or (until is not None and p.resolved and p.resolved > until):
            still_open += 1
        elif p.status == "kept":
            kept += 1
        else:
            broken += 1
    return PromiseCounts(kept, broken, still_open)


def cumulative_keeping(
    promises: Iterable[Promise], *, author: PartnerId | None = None
) -> list[KeepingPoint]:
    """Running kept and broken counts, one point per day on which a promise was resolved."""
    out: list[KeepingPoint] = []
    kept = broken = 0
    for p in _resolved(promises, author):
        assert p.resolved is not None
        if p.status == "kept":
            kept += 1
        else:
            broken += 1
        if out and out[-1].day == p.resolved:
            out[-1] = KeepingPoint(p.resolved, kept, broken)
        else:
            out.append(KeepingPoint(p.resolved, kept, broken))
    return out
