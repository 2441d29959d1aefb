from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import timezone


@pytest.fixture
def evaluation(county_admin: Any, county: Any) -> Any:
    from cunwu.admission import services
    from cunwu.admission.models import Evaluation

    year = timezone.localdate().year
    found = Evaluation.objects.filter(county=county, year=year).first()
    return found or services.evaluation_create(
        actor=county_admin, county=county, year=year, title=f"{year}年度综合考评"
    )


@pytest.fixture
def survey(county_admin: Any, evaluation: Any, village: Any) -> Any:
    from cunwu.villagework import services

    return services.survey_open(
        actor=county_admin,
        evaluation=evaluation,
        village=village,
        opens_on=date(evaluation.year, 1, 1),
        closes_on=date(evaluation.year, 12, 31),
    )


def marks(value: int = 4) -> dict[str, int | None]:
    from cunwu.villagework import rules

    return {q: value for q, _ in rules.QUESTIONS}
