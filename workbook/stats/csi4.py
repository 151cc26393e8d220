"""CSI-4 totals, the distress cutoff and the Jacobson & Truax reliable change index."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from ..domain import CSI4_DISTRESS_CUTOFF, CSI4Answer, PartnerId

#
# Funk, J. L., & Rogge, R. D. (2007). Testing the ruler with item response theory: Increasing
# precision of measurement for relationship satisfaction with the Couples Satisfaction Index.
# Journal of Family Psychology, 21(4), 572-583. https://doi.org/10.1037/0893-3200.21.4.572
# Total 0 to 21; below 13.5 marks notable relationship dissatisfaction.
#
# The pages show change in points and the 13.5 band only. A reliable change index needs the
# standard deviation and reliability of CSI-4 totals in a reference sample; no stored source
# gives them, so this module assumes neither. `reliable_change` takes both as arguments, for a
# clinician who has values of their own.
#
# Jacobson, N. S., & Truax, P. (1991). Clinical significance: A statistical approach to
# defining meaningful change in psychotherapy research. Journal of Consulting and Clinical
# Psychology, 59(1), 12-19. https://doi.org/10.1037/0022-006X.59.1.12
# S_diff = sqrt(2) * SD * sqrt(1 - r); RCI = (x2 - x1) / S_diff; reliable when |RCI| > 1.96.
RCI_CRITERION = 1.96

#: What the line means, in one kind sentence, wherever a total is shown beside it.


@dataclass(frozen=True)
class ReliableChange:
    """A Jacobson & Truax (1991) reliable change between two scores."""

    before: float
    after: float
    s_diff: float
    rci: float
    criterion: float = RCI_CRITERION

    @property
    def change(self) -> float:
        """`after - before`."""
        return self.after - self.before

    @property
    def reliable(self) -> bool:
        """True when |RCI| exceeds the criterion (1.96 by default)."""
        return abs(self.rci) > self.criterion

    @property
    def direction(self) -> Literal["improved", "worsened", "no reliable change"]:
        """Improved or worsened when the change is reliable; higher CSI-4 is better."""
        if not self.reliable:
            return "no reliable change"
        return "improved" if self.rci > 0 else "worsened"


@dataclass(frozen=True)
class CSI4Point:
    """One partner's CSI-4 total on one day, with its change in points since their first."""

    day: date
    partner: PartnerId
    total: int
    distressed: bool
    change: int | None


def csi4_distressed(total: float, cutoff: float = CSI4_DISTRESS_CUTOFF) -> bool:
    """True when a CSI-4 total falls below the cutoff (13.5, Funk & Rogge 2007)."""
    return total < cutoff


def s_diff(sd: float, reliability: float) -> float:
    """Standard error of the difference, sqrt(2) * SD * sqrt(1 - r) (Jacobson & Truax 1991)."""
    if sd <= 0 or not 0 <= reliability < 1:
        raise ValueError("SD must be positive and reliability in [0, 1).")
    return math.sqrt(2) * sd * math.sqrt(1 - reliability)


def reliable_change(
    before: float,
    after: float,
    *,
    sd: float,
    reliability: float,
    criterion: float = RCI_CRITERION,
) -> ReliableChange:
    """Jacobson & Truax RCI = (after - before) / S_diff, for a reference SD and reliability.

    Give the SD and reliability of the measure in a sample that fits the people measured;
    the workbook's pages do not use this (see the module notes).
    """
    sdiff = s_diff(sd, reliability)
    return ReliableChange(before, after, sdiff, (after - before) / sdiff, criterion)


def reliable_change_threshold(
    *, sd: float, reliability: float, criterion: float = RCI_CRITERION
) -> float:
    """The smallest |change| in points that counts as reliable: criterion * S_diff."""
    return criterion * s_diff(sd, reliability)


def csi4_series(answers: Iterable[CSI4Answer]) -> list[CSI4Point]:
    """Every CSI-4 total by partner then day, with its change in points since their first.

    When a partner answered more than once on one day, the last answer given (highest id, or
    the later one in the input) stands for that day.
    """
    latest: dict[tuple[PartnerId, date], CSI4Answer] = {}
    for a in answers:
        key = (a.author, a.day)
        held = latest.get(key)
        if held is None or (a.id or 0) >= (held.id or 0):
            latest[key] = a
    out: list[CSI4Point] = []
    baseline: dict[PartnerId, int] = {}
    for (partner, day), a in sorted(latest.items()):
        total = a.total
        change = None
        if partner in baseline:
            change = total - baseline[partner]
        else:
            baseline[partner] = total
        out.append(CSI4Point(day, partner, total, csi4_distressed(total), change))
    return out
