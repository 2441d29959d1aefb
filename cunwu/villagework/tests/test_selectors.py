"""Reads of the villagework app: scoped and with a bounded number of queries."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_demo_seed_fills_every_clause_and_the_score_counts(county_admin: Any, evaluation: Any, village: Any) -> None:
    from cunwu.signs import demo as signs_demo
    from cunwu.villagework import demo, selectors

    signs_demo.seed(scale="demo", stdout=io.StringIO())
    demo.seed(scale="demo", stdout=io.StringIO())
    demo.seed(scale="demo", stdout=io.StringIO())  # idempotent
    assert len(selectors.post_rows(village)) == 2
    result = selectors.satisfaction_for_evaluation(evaluation, [village.code])[village.code]
    assert result.answers == 34 and result.counts
    usage = selectors.usage_for(village)
    assert len(usage.shares) == 3 and usage.station_since is not None
    assert len(selectors.estate_alerts_for(county_admin, village.parent.parent)) == 1


def test_township_side_by_side_reads_in_a_fixed_number_of_queries(
    client_for: Any, clerk: Any, township_officer: Any, township: Any, village: Any, django_assert_max_num_queries: Any
) -> None:
    from cunwu.villagework import demo

    c = client_for(township_officer)
    url = reverse("villagework:region", kwargs={"code": township.code})
    c.get(url)
    demo.seed(scale="demo", stdout=io.StringIO())
    with django_assert_max_num_queries(12):
        assert c.get(url).status_code == 200
