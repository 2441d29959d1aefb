"""Reading an app's transition table (in its `rules.py`) the way a conditional update needs it."""

from __future__ import annotations

from collections.abc import Collection, Mapping


def sources(table: Mapping[str, Collection[str]], new: str) -> list[str]:
    """The statuses `table` allows moving to `new` from: the `status__in` of the conditional update.

    A service writes `filter(pk=..., status__in=sources(rules.TRANSITIONS, NEW)).update(status=NEW, ...)`;
    zero rows changed means the record was elsewhere (or someone got there first) → Conflict.
    """
    return sorted(old for old, allowed in table.items() if new in allowed)
