"""The page's one way to announce a change: publish a topic, and the views of it refresh.

Each page `Session` owns one `Bus`. A view subscribes its refresh to the topics (kinds of
data) it shows; a save publishes the topic it changed, once, and only the views of that data
refresh. The partner's saves, found by the page's watcher (`ui.live`), arrive the same way:
it publishes `EVERYTHING`, since the file says only that something moved.

Topics are words, optionally narrowed with ``:`` (``"reflections:2:feelings"``). A view of
``"reflections"`` hears every reflection topic; a view of ``"reflections:2:feelings"`` hears
that prompt, and a publish of plain ``"reflections"`` (whatever changed among them).

A replaced view must not keep listening: every subscription can be cancelled, and the views
built together (say, the start page's body after a rename) are collected in a `Group` that
releases them all at once. Closing the bus (the page's session ends) releases everything.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

#: Published when the page cannot tell what changed (the partner saved): every data view.
EVERYTHING = "*"

#: Topics about this page itself, not the couple's file: the partner's news never reaches them.
LOCAL_TOPICS = frozenset({"privacy", "passphrase-panel"})


def _matches(subscribed: str, published: str) -> bool:
    if published == EVERYTHING:
        return subscribed.split(":", 1)[0] not in LOCAL_TOPICS
    return (
        subscribed == published
        or published.startswith(subscribed + ":")
        or subscribed.startswith(published + ":")
    )


class Subscription:
    """One view's interest in some topics; `cancel` ends it."""

    def __init__(self, bus: Bus, callback: Callable[[], None], topics: frozenset[str]) -> None:
        self.bus = bus
        self.callback = callback
        self.topics = topics
        self.active = True

    def wants(self, published: tuple[str, ...]) -> bool:
        """Whether any published topic is one this view shows."""
        return any(_matches(s, p) for s in self.topics for p in published)

    def cancel(self) -> None:
        """Stop receiving (idempotent)."""
        if self.active:
            self.active = False
            self.bus._forget(self)


class Group:
    """Subscriptions made together (while the group was current); released together."""

    def __init__(self) -> None:
        self.subscriptions: list[Subscription] = []

    def release(self) -> None:
        """Cancel every subscription of the group."""
        subs, self.subscriptions = self.subscriptions, []
        for sub in subs:
            sub.cancel()


class Bus:
    """Publish/subscribe for one page's views (see the module's text)."""

    def __init__(self) -> None:
        self._subs: list[Subscription] = []
        self._groups: list[Group] = []
        self.closed = False

    @property
    def count(self) -> int:
        """How many subscriptions are live."""
        return len(self._subs)

    def subscribe(self, callback: Callable[[], None], *topics: str) -> Subscription:
        """Call `callback` after each publish of one of `topics` (at least one is required)."""
        if not topics:
            raise ValueError("A subscription names the topics it shows.")
        sub = Subscription(self, callback, frozenset(topics))
        if self.closed:
            sub.active = False
            return sub
        self._subs.append(sub)
        if self._groups:
            self._groups[-1].subscriptions.append(sub)
        return sub

    def publish(self, *topics: str) -> int:
        """Refresh every view of these topics, each once; returns how many were called."""
        called = 0
        for sub in list(self._subs):
            # A view cancelled by an earlier refresh of this same publish is not called.
            if sub.active and sub.wants(topics):
                sub.callback()
                called += 1
        return called

    @contextlib.contextmanager
    def collect(self, group: Group | None = None) -> Iterator[Group]:
        """Put every subscription made inside the block into `group` (a new one if None)."""
        group = group or Group()
        self._groups.append(group)
        try:
            yield group
        finally:
            self._groups.remove(group)

    @property
    def current_group(self) -> Group | None:
        """The group subscriptions go into now (for views that build parts later)."""
        return self._groups[-1] if self._groups else None

    def close(self) -> None:
        """The page's session ended: release every subscription."""
        self.closed = True
        for sub in list(self._subs):
            sub.cancel()

    def _forget(self, sub: Subscription) -> None:
        with contextlib.suppress(ValueError):
            self._subs.remove(sub)
