"""Data scope: a union of memberships, each permission only in its own subtree (never the widest role)."""

from __future__ import annotations

import pytest

from cunwu.accounts.models import Membership
from cunwu.accounts.permissions import ROLE_PERMISSIONS, Perm, Role
from cunwu.accounts.scope import EMPTY, Grant, Scope, scope_for
from cunwu.errors import Forbidden, NotFound
from cunwu.regions.models import Organisation

from .factories import WUHUA, add_role, make_user

VILLAGE = "530124103200"
OTHER_VILLAGE = "530124103201"
TOWNSHIP = "530124103000"
YONGDING = "530124001000"  # 永定街道, another township of 富民县
COUNTY = "530124000000"


def grant(role: str, code: str, level: str, org: int | None = None) -> Grant:
    return Grant(role=role, region_code=code, region_level=level, organisation_id=org, perms=ROLE_PERMISSIONS[role])


# --- pure: Scope over grants ---------------------------------------------------------------


def test_a_village_role_reaches_only_its_village():
    scope = Scope((grant(Role.VILLAGE_CLERK, VILLAGE, "village"),))
    assert scope.can(Perm.CERT_INTAKE, VILLAGE)
    assert not scope.can(Perm.CERT_INTAKE, OTHER_VILLAGE)
    assert not scope.can(Perm.CERT_SIGN_OFF, VILLAGE)
    assert scope.has(Perm.CERT_INTAKE) and not scope.has(Perm.ACCOUNT_MANAGE)


def test_two_roles_in_two_places_give_exactly_the_union():
    # Head of one village and township officer of another township: each permission stays where it was given.
    scope = Scope((grant(Role.VILLAGE_HEAD, VILLAGE, "village"), grant(Role.TOWNSHIP_OFFICER, YONGDING, "township")))
    assert scope.can(Perm.CERT_SIGN_OFF, VILLAGE)
    assert not scope.can(Perm.CERT_SIGN_OFF, "530124001200")  # the head's right does not travel to 永定街道
    assert scope.can(Perm.CERT_COORDINATE, "530124001200")
    assert not scope.can(Perm.CERT_COORDINATE, VILLAGE)  # nor the township officer's to 罗免镇
    assert not scope.can(Perm.CERT_COORDINATE, OTHER_VILLAGE)
    assert scope.covers(VILLAGE, Perm.REGION_VIEW) and scope.covers("530124001200", Perm.REGION_VIEW)
    assert not scope.covers(OTHER_VILLAGE, Perm.REGION_VIEW)
    assert scope.roles() == {Role.VILLAGE_HEAD, Role.TOWNSHIP_OFFICER}
    assert scope.regions(Perm.CERT_SIGN_OFF) == [(VILLAGE, "village")]


def test_the_widest_role_does_not_win():
    # An auditor of the whole county who is also a village clerk may intake only in that village.
    scope = Scope((grant(Role.AUDITOR, COUNTY, "county"), grant(Role.VILLAGE_CLERK, VILLAGE, "village")))
    assert scope.covers(OTHER_VILLAGE, Perm.CERT_VIEW)
    assert scope.can(Perm.CERT_INTAKE, VILLAGE)
    assert not scope.can(Perm.CERT_INTAKE, OTHER_VILLAGE)


def test_require_is_404_outside_and_403_inside_without_the_permission():
    scope = Scope((grant(Role.VILLAGE_CLERK, VILLAGE, "village"),))
    with pytest.raises(NotFound):
        scope.require(Perm.CERT_SIGN_OFF, OTHER_VILLAGE, view=Perm.CERT_VIEW)
    with pytest.raises(Forbidden) as forbidden:
        scope.require(Perm.CERT_SIGN_OFF, VILLAGE, view=Perm.CERT_VIEW)
    assert forbidden.value.status == 403 and "权限" in forbidden.value.detail
    scope.require(Perm.CERT_INTAKE, VILLAGE, view=Perm.CERT_VIEW)  # allowed: no exception
    # Without a view permission, anything not allowed is a 403.
    with pytest.raises(Forbidden):
        scope.require(Perm.CERT_SIGN_OFF, OTHER_VILLAGE)


def test_department_officer_is_limited_to_its_own_department():
    scope = Scope((grant(Role.DEPARTMENT_OFFICER, COUNTY, "county", org=7),))
    assert scope.can(Perm.ADMISSION_FILE, VILLAGE, organisation_id=7)
    assert not scope.can(Perm.ADMISSION_FILE, VILLAGE, organisation_id=8)
    assert scope.department_ids(Perm.ADMISSION_FILE) == [7]
    with pytest.raises(NotFound):
        scope.require(Perm.ADMISSION_FILE, VILLAGE, organisation_id=8, view=Perm.ADMISSION_VIEW)


def test_empty_scope_sees_nothing():
    assert EMPTY.is_empty
    assert not EMPTY.covers(VILLAGE)
    assert not EMPTY.has(Perm.REGION_VIEW)
    with pytest.raises(NotFound):
        EMPTY.require(Perm.CERT_VIEW, VILLAGE, view=Perm.CERT_VIEW)


# --- with the database: scope_for and the Q filters ------------------------------------------


def test_scope_for_a_person_with_two_memberships(db):
    user = make_user("two_hats", Role.VILLAGE_HEAD, VILLAGE)
    add_role(user, Role.TOWNSHIP_OFFICER, YONGDING)
    scope = scope_for(user)
    assert {(g.role, g.region_code) for g in scope.grants} == {
        (Role.VILLAGE_HEAD, VILLAGE),
        (Role.TOWNSHIP_OFFICER, YONGDING),
    }
    visible = Membership.objects.filter(scope.region_q("region_id", Perm.REGION_VIEW))
    assert set(visible.values_list("region_id", flat=True)) == {VILLAGE, YONGDING}
    sign_off = Membership.objects.filter(scope.region_q("region_id", Perm.CERT_SIGN_OFF))
    assert set(sign_off.values_list("region_id", flat=True)) == {VILLAGE}
    assert not Membership.objects.filter(scope.region_q("region_id", Perm.ACCOUNT_MANAGE)).exists()


def test_region_q_uses_code_ranges_on_the_subtree(county_admin, db):
    scope = scope_for(county_admin)
    regions = set(
        Membership.objects.filter(scope.region_q("region_id", Perm.ACCOUNT_MANAGE)).values_list("region_id", flat=True)
    )
    assert VILLAGE in regions and TOWNSHIP in regions and COUNTY in regions
    assert "530000000000" not in regions and "530100000000" not in regions


def test_ended_memberships_and_inactive_people_have_no_scope(db):
    user = make_user("ended", Role.VILLAGE_CLERK, VILLAGE)
    Membership.objects.filter(user=user).update(active=False)
    user.refresh_from_db()
    assert scope_for(user).is_empty
    other = make_user("inactive", Role.VILLAGE_CLERK, VILLAGE)
    other.is_active = False
    assert scope_for(other) is EMPTY
    assert scope_for(None) is EMPTY


def test_scope_is_computed_once_per_user_object(clerk, django_assert_num_queries):
    scope_for(clerk)
    with django_assert_num_queries(0):
        scope_for(clerk).can(Perm.CERT_INTAKE, VILLAGE)


def test_department_officer_sees_only_its_department_records(department, other_department, db):
    # Memberships stand in for any record with a region and a department.
    civil = Organisation.objects.get(name="富民县民政局")
    police = Organisation.objects.get(name="富民县公安局")
    scope = scope_for(department)
    rows = Membership.objects.filter(scope.records_q("region_id", Perm.ADMISSION_VIEW, "organisation_id"))
    assert set(rows.values_list("organisation_id", flat=True)) == {civil.pk}
    assert scope.department_ids() == [civil.pk]
    # Without a department field a department grant reaches nothing.
    assert not Membership.objects.filter(scope.records_q("region_id", Perm.ADMISSION_VIEW)).exists()
    assert police.pk not in scope_for(department).department_ids()
    assert scope_for(other_department).department_ids() == [police.pk]


def test_records_q_for_ordinary_roles_is_the_region_subtree(reviewer, db):
    scope = scope_for(reviewer)
    rows = Membership.objects.filter(scope.records_q("region_id", Perm.ADMISSION_VIEW, "organisation_id"))
    assert rows.filter(organisation__name="富民县公安局").exists()
    assert rows.filter(region_id=VILLAGE).exists()


def test_outside_the_county_is_not_covered(county_admin, db):
    scope = scope_for(county_admin)
    assert not scope.covers(WUHUA, Perm.REGION_VIEW)
    with pytest.raises(NotFound):
        scope.require(Perm.ACCOUNT_MANAGE, WUHUA, view=Perm.REGION_VIEW)
    scope.require(Perm.ACCOUNT_MANAGE, VILLAGE, view=Perm.REGION_VIEW)


def test_auditor_sees_the_county_but_may_not_change_it(auditor, db):
    scope = scope_for(auditor)
    assert scope.covers(VILLAGE, Perm.CERT_VIEW)
    with pytest.raises(Forbidden):
        scope.require(Perm.ACCOUNT_MANAGE, VILLAGE, view=Perm.REGION_VIEW)
    writes = {p for p in Perm if not p.value.endswith(":view")}
    assert not any(scope.has(p) for p in writes)
