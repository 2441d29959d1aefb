"""`cunwu seed`: the real divisions, generated villages by the code rule, idempotent runs."""

from __future__ import annotations

import csv
import io
import random
import statistics

import pytest
from django.core.management import call_command

from cunwu.accounts.models import Membership, User
from cunwu.accounts.permissions import Role
from cunwu.audit.models import AuditEntry
from cunwu.regions import codes
from cunwu.regions.models import Organisation, OrgKind, Region
from cunwu.regions.seeding import (
    DEMO_COUNTY,
    DIVISIONS_CSV,
    YUNNAN_VILLAGE_UNITS,
    _plan_counts,
    seed_regions,
)

VILLAGE_LEVELS = [codes.VILLAGE, codes.COMMUNITY]


def _counts() -> dict[str, int]:
    return {
        "regions": Region.objects.count(),
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def test_divisions_are_the_real_yunnan_tree(db):
    by_level = {
        level: Region.objects.filter(level=level).count()
        for level in (codes.PROVINCE, codes.PREFECTURE, codes.COUNTY, codes.TOWNSHIP)
    }
    assert by_level == {codes.PROVINCE: 1, codes.PREFECTURE: 16, codes.COUNTY: 129, codes.TOWNSHIP: 1461}
    assert Region.objects.get(code="530124103000").name == "罗免镇"
    assert Region.objects.get(code="530124103000").parent_id == DEMO_COUNTY


def test_demo_county_villages_follow_the_code_rule(db):
    townships = Region.objects.filter(parent_id=DEMO_COUNTY, level=codes.TOWNSHIP)
    assert townships.count() == 7
    for township in townships:
        units = list(Region.objects.filter(parent=township))
        assert 4 <= len(units) <= 8, township.name
        for unit in units:
            assert unit.code[:9] == township.code[:9]
            number = int(unit.code[9:])
            if unit.level == codes.COMMUNITY:
                assert 1 <= number <= 199
                assert unit.name.endswith("社区居委会")
            else:
                assert unit.level == codes.VILLAGE
                assert 200 <= number <= 399
                assert unit.name.endswith("村委会")
            assert unit.households > 0 and unit.population > unit.households
            assert unit.generated
            kinds = sorted(Organisation.objects.filter(region=unit).values_list("kind", flat=True))
            assert kinds == sorted([OrgKind.PARTY, OrgKind.COMMITTEE, OrgKind.SUPERVISION, OrgKind.COLLECTIVE])
    # 罗免镇 holds the demo accounts' villages: villages only, numbered from 200.
    assert Region.objects.filter(parent_id="530124103000", level=codes.COMMUNITY).count() == 0
    assert Region.objects.filter(code__in=["530124103200", "530124103201"], level=codes.VILLAGE).count() == 2


def test_demo_county_has_its_departments(db):
    names = set(
        Organisation.objects.filter(region_id=DEMO_COUNTY, kind=OrgKind.DEPARTMENT).values_list("name", flat=True)
    )
    assert {"富民县民政局", "富民县公安局", "富民县应急管理局"} <= names
    assert Organisation.objects.filter(region_id=DEMO_COUNTY, kind=OrgKind.GOVERNMENT, name="富民县人民政府").exists()


def test_seed_demo_twice_adds_nothing(db):
    # The session seeded regions, accounts and catalogs; the first command adds the other apps' demo data.
    call_command("seed", scale="demo", stdout=io.StringIO())
    before = _counts()
    out = io.StringIO()
    call_command("seed", scale="demo", stdout=out)
    assert _counts() == before
    assert "新增 0 条" in out.getvalue()
    assert "演示账号：新增 0 个" in out.getvalue()


def test_one_demo_account_per_role(db):
    for role in Role.values:
        user = User.objects.get(username=role)
        assert user.is_active
        assert list(user.memberships.filter(active=True).values_list("role", flat=True)) == [role]
    second = {
        u: Membership.objects.get(user__username=u).region_id
        for u in ("village_clerk2", "village_head2", "seal_custodian2", "supervisor2")
    }
    assert set(second.values()) == {"530124103201"}
    assert Membership.objects.get(user__username="township_officer").region_id == "530124103000"
    assert Membership.objects.get(user__username="department_officer").organisation.name == "富民县民政局"
    assert Membership.objects.get(user__username="department_officer2").organisation.name == "富民县公安局"


def test_demo_accounts_sign_in_with_the_demo_password(db, client):
    from cunwu.accounts.demo import demo_password

    for username in ("village_clerk", "county_reviewer", "province_admin"):
        # Through the login form: django-axes needs the request to authenticate.
        response = client.post("/accounts/login/", {"username": username, "password": demo_password()})
        assert response.status_code == 302 and response["Location"] == "/accounts/workbench/", username
        client.post("/accounts/logout/")


def _real_townships() -> list[Region]:
    with DIVISIONS_CSV.open(encoding="utf-8") as fh:
        return [
            Region(code=r["code"], name=r["name"], level=r["level"])
            for r in csv.DictReader(fh)
            if r["level"] == codes.TOWNSHIP
        ]


def test_yunnan_plan_spreads_exactly_the_units_over_the_real_townships():
    townships = _real_townships()
    assert len(townships) == 1461
    plan = _plan_counts(townships, YUNNAN_VILLAGE_UNITS, random.Random(2027))
    totals = [c + v for c, v in plan]
    assert sum(totals) == YUNNAN_VILLAGE_UNITS
    assert min(totals) >= 2 and max(totals) <= 199
    # 街道 are urban: mostly communities.
    street = [c for t, (c, v) in zip(townships, plan, strict=True) if t.name.endswith("街道")]
    assert street and all(c >= 1 for c in street)


def test_plan_refuses_more_units_than_codes():
    with pytest.raises(ValueError):
        _plan_counts(_real_townships()[:2], 1000, random.Random(1))


def test_seed_yunnan_generates_14888_units_under_1461_townships(db):
    units = Region.objects.filter(level__in=VILLAGE_LEVELS)
    demo_units = units.count()  # the demo county's, generated by the session's demo seed
    result = seed_regions("yunnan")
    assert units.count() == YUNNAN_VILLAGE_UNITS
    assert result.villages == YUNNAN_VILLAGE_UNITS - demo_units
    assert units.values("parent_id").distinct().count() == 1461
    sample = list(units.order_by("?")[:300].values("code", "level", "parent_id", "households"))
    for row in sample:
        assert row["code"][:9] == row["parent_id"][:9]
        assert row["level"] == codes.village_level(row["code"])
    mean = statistics.mean(units.values_list("households", flat=True))
    assert 600 < mean < 760  # about 680 households per village-level unit
    assert Organisation.objects.filter(region__level__in=VILLAGE_LEVELS).count() == 4 * YUNNAN_VILLAGE_UNITS
    again = seed_regions("yunnan")
    assert (again.regions, again.villages) == (0, 0)
