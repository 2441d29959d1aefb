"""Pagination for lists that can span the whole province.

Django's `Paginator` runs `SELECT COUNT(*)` over everything the list shows. For a village that is a
few hundred rows; for the province's seal-use register or audit log it is a scan of every row in
scope (150–200 ms at 5 % of the villages, seconds at full size), paid on every page view.

`ScopePaginator` asks PostgreSQL's planner first (`EXPLAIN (FORMAT JSON)`, planning only, ≈ 1 ms).
When the planner expects at least `ESTIMATE_ABOVE` rows it takes that estimate as the count and says
so (`estimated`; pages show “约 N 条（估计数）”); below it, and always on SQLite, it counts exactly.
Page links work either way; with an estimate the last pages may hold fewer rows than the figure
suggests, or none (the page then says there is nothing more).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

# Below this many rows an exact count is cheap (an index or a small scan): a township's register, a
# village's chain. Above it the count is a scan of the province's rows.
ESTIMATE_ABOVE = 20_000


def planner_rows(queryset: QuerySet[Any]) -> int | None:
    """The PostgreSQL planner's row estimate for the queryset, or None elsewhere or if it cannot plan."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    try:
        sql, params = queryset.order_by().query.sql_with_params()
    except EmptyResultSet:  # `.none()`: nothing to estimate, the exact count is 0 at no cost
        return None
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class ScopePaginator(Paginator):
    """A Paginator whose count is the planner's estimate above `estimate_above` rows on PostgreSQL."""

    def __init__(self, object_list: Any, per_page: int, *, estimate_above: int | None = None, **kwargs: Any):
        super().__init__(object_list, per_page, **kwargs)
        self.estimate_above = ESTIMATE_ABOVE if estimate_above is None else estimate_above
        self.estimated = False

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            rows = planner_rows(self.object_list)
            if rows is not None and rows >= self.estimate_above:
                self.estimated = True
                return rows
        return super().count

    @property
    def count_text(self) -> str:
        """“共 123 条” when counted, “约 120,000 条（估计数）” when the planner's estimate stands in."""
        if self.count and self.estimated:
            return f"约 {self.count:,} 条（估计数）"
        return f"共 {self.count} 条"
