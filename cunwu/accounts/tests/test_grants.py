"""No role above your own: who may grant which role where (issue 10, privilege escalation).

The attack as it was found: a county admin made an account holding `province_admin` at the county,
signed in as it and approved what only the province may approve; or made a second county admin to
approve their own catalog revision. Each path (page, service, import, hand-over, reset) is refused.
"""

from __future__ import annotations

import pytest

from cunwu.accounts import rules
from cunwu.accounts.imports import ImportFailed, staff_import
from cunwu.accounts.models import Membership, User
from cunwu.accounts.permissions import ROLE_GRANTS, ROLE_LEVELS, Role
from cunwu.accounts.scope import scope_for
from cunwu.accounts.services import membership_add, membership_hand_over, password_reset, user_create
from cunwu.audit.models import AuditEntry
from cunwu.errors import Forbidden, Invalid
from cunwu.regions.models import Organisation, Region

from .factories import PASSWORD, WUHUA, make_user
from .test_imports import STAFF_COLUMNS, staff, xlsx

VILLAGE = "530124103200"
COUNTY = "530124000000"
PREFECTURE = "530100000000"
COUNTY_HELD = [rules.Held(Role.COUNTY_ADMIN, COUNTY, "county")]


def _check(role: str, code: str, level: str, grantor=COUNTY_HELD, **kw) -> set[str]:
    found = rules.check_grant(
        grantor=grantor, grantor_id=1, grantee_id=kw.pop("grantee_id", None), role=role,
        region_code=code, region_level=level, **kw,
    )  # fmt: skip
    return {f.rule for f in found}


# --- the rule, without a database ---------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PROVINCE_ADMIN, Role.PREFECTURE_ADMIN, Role.COUNTY_ADMIN, Role.AUDITOR])
def test_a_county_admin_grants_no_admin_role_nor_the_auditor(role):
    assert "grant_authority" in _check(role, COUNTY, "county") or "grant_province_admin" in _check(
        role, COUNTY, "county"
    )


@pytest.mark.parametrize(
    ("role", "code", "level"),
    [
        (Role.COUNTY_REVIEWER, COUNTY, "county"),
        (Role.TOWNSHIP_OFFICER, "530124103000", "township"),
        (Role.VILLAGE_CLERK, VILLAGE, "village"),
        (Role.SUPERVISOR, VILLAGE, "village"),
    ],
)
def test_a_county_admin_grants_its_own_staff_township_and_village_roles(role, code, level):
    assert _check(role, code, level) == set()


def test_a_county_admin_grants_nothing_outside_its_county():
    assert _check(Role.VILLAGE_CLERK, "530102001200", "village") == {"grant_authority"}


def test_admin_roles_come_only_from_the_level_above():
    prefecture = [rules.Held(Role.PREFECTURE_ADMIN, PREFECTURE, "prefecture")]
    province = [rules.Held(Role.PROVINCE_ADMIN, "530000000000", "province")]
    assert _check(Role.COUNTY_ADMIN, COUNTY, "county", prefecture) == set()
    assert _check(Role.PREFECTURE_ADMIN, PREFECTURE, "prefecture", prefecture) == {"grant_authority"}
    assert _check(Role.PREFECTURE_ADMIN, PREFECTURE, "prefecture", province) == set()
    # Province admins only from the command line (grantor None), never from a person.
    assert _check(Role.PROVINCE_ADMIN, "530000000000", "province", province) == {"grant_province_admin"}
    assert _check(Role.PROVINCE_ADMIN, "530000000000", "province", None) == set()


def test_a_role_is_held_only_at_its_levels():
    assert _check(Role.VILLAGE_CLERK, COUNTY, "county") == {"grant_level"}
    assert _check(Role.PROVINCE_ADMIN, COUNTY, "county", None) == {"grant_level"}
    assert _check(Role.COUNTY_REVIEWER, VILLAGE, "village") == {"grant_level"}


def test_a_department_officer_sits_where_its_department_sits():
    assert _check(Role.DEPARTMENT_OFFICER, COUNTY, "county", organisation_region=COUNTY) == set()
    assert _check(Role.DEPARTMENT_OFFICER, "530124103000", "township", organisation_region=COUNTY) == {
        "grant_department"
    }


def test_nobody_grants_a_role_to_themselves():
    assert "grant_self" in _check(Role.VILLAGE_CLERK, VILLAGE, "village", grantee_id=1)


def test_every_role_has_levels_and_grants_name_only_known_roles():
    assert set(ROLE_LEVELS) == set(Role.values)
    assert all(set(granted) <= set(Role.values) for granted in ROLE_GRANTS.values())
    assert not any(Role.PROVINCE_ADMIN in granted for granted in ROLE_GRANTS.values())


# --- the service: the attack as it was found ----------------------------------------------------


def _user_count() -> int:
    return User.objects.count()


def test_county_admin_cannot_create_a_province_admin(county_admin, county):
    before = _user_count()
    with pytest.raises(Forbidden) as exc:
        user_create(
            actor=county_admin, username="evil", password=PASSWORD, display_name="冒充",
            role=Role.PROVINCE_ADMIN, region=county,
        )  # fmt: skip
    assert "命令行" in exc.value.detail and _user_count() == before


def test_county_admin_cannot_make_a_second_admin_to_approve_their_own_revision(county_admin, county):
    with pytest.raises(Forbidden):
        user_create(
            actor=county_admin, username="twin", password=PASSWORD, display_name="副本",
            role=Role.COUNTY_ADMIN, region=county,
        )  # fmt: skip
    # Nor by giving the role to an account they did make.
    helper = user_create(
        actor=county_admin, username="helper", password=PASSWORD, display_name="助手",
        role=Role.COUNTY_REVIEWER, region=county,
    )  # fmt: skip
    with pytest.raises(Forbidden):
        membership_add(actor=county_admin, user=helper, role=Role.COUNTY_ADMIN, region=county)
    assert not Membership.objects.filter(user=helper, role=Role.COUNTY_ADMIN).exists()
    assert not {Role.COUNTY_ADMIN, Role.PROVINCE_ADMIN} & scope_for(User.objects.get(pk=helper.pk)).roles()


def test_county_admin_cannot_grant_themselves_another_role(county_admin, village):
    with pytest.raises(Forbidden):
        membership_add(actor=county_admin, user=county_admin, role=Role.VILLAGE_HEAD, region=village)


def test_a_role_at_the_wrong_level_is_a_field_error(county_admin, county):
    with pytest.raises(Invalid) as exc:
        user_create(
            actor=county_admin, username="lvl", password=PASSWORD, display_name="层级",
            role=Role.VILLAGE_CLERK, region=county,
        )  # fmt: skip
    assert [e.field for e in exc.value.errors] == ["region"]


def test_prefecture_admin_makes_a_county_admin_and_the_log_says_who(prefecture_admin, county):
    user = user_create(
        actor=prefecture_admin, username="new_county", password=PASSWORD, display_name="新县管",
        role=Role.COUNTY_ADMIN, region=county,
    )  # fmt: skip
    membership = user.memberships.get()
    assert user.created_by == prefecture_admin and membership.granted_by == prefecture_admin
    entry = AuditEntry.objects.get(action="user.create", object_id=str(user.pk))
    assert entry.actor == prefecture_admin and entry.after["created_by"] == "prefecture_admin"


def test_hand_over_of_an_admin_role_needs_the_level_above(county_admin, county):
    colleague = User.objects.get(username="county_admin2")
    successor = make_user("succ", Role.COUNTY_REVIEWER, COUNTY)
    with pytest.raises(Forbidden):
        membership_hand_over(actor=county_admin, membership=colleague.memberships.get(), successor=successor)
    # Nor to themselves, nor ending a peer admin's role.
    with pytest.raises(Forbidden):
        membership_hand_over(actor=county_admin, membership=colleague.memberships.get(), successor=None)
    assert colleague.memberships.get().active


def test_hand_over_to_oneself_is_refused(county_admin):
    clerk = User.objects.get(username="village_clerk")
    with pytest.raises(Forbidden):
        membership_hand_over(actor=county_admin, membership=clerk.memberships.get(), successor=county_admin)
    assert clerk.memberships.get().active


def test_county_admin_cannot_reset_a_peer_admins_password(county_admin):
    colleague = User.objects.get(username="county_admin2")
    before = colleague.password
    with pytest.raises(Forbidden):
        password_reset(actor=county_admin, user=colleague)
    colleague.refresh_from_db()
    assert colleague.password == before


def test_import_refuses_admin_roles_and_wrong_levels(county_admin):
    rows = [
        staff("imp_ok"),
        staff("imp_prov", role="省级管理员", region=COUNTY),
        staff("imp_county", role="县级管理员", region=COUNTY),
        staff("imp_level", role="村经办人", region=COUNTY),
    ]
    with pytest.raises(ImportFailed) as exc:
        staff_import(actor=county_admin, data=xlsx(STAFF_COLUMNS, rows), filename="人员.xlsx")
    rows_refused = {e.row for e in exc.value.result.errors}
    assert len(rows_refused) == 3
    assert not User.objects.filter(username__startswith="imp_").exists()


def test_outsider_county_admin_gets_404_for_our_county(county):
    outsider = make_user("wuhua_admin", Role.COUNTY_ADMIN, WUHUA)
    from cunwu.errors import NotFound

    with pytest.raises(NotFound):
        user_create(
            actor=outsider, username="x1", password=PASSWORD, display_name="外县",
            role=Role.COUNTY_REVIEWER, region=county,
        )  # fmt: skip


# --- the page ---------------------------------------------------------------------------------


def test_the_page_refuses_province_admin_at_the_role_field(client_for, county_admin):
    response = client_for(county_admin).post(
        "/accounts/users/new/",
        {
            "username": "page_evil",
            "display_name": "冒充",
            "role": Role.PROVINCE_ADMIN,
            "region": COUNTY,
            "password": PASSWORD,
        },
    )
    assert response.status_code == 422
    assert not User.objects.filter(username="page_evil").exists()
    form = response.context["form"]
    assert form.errors.get("role")


def test_the_page_offers_only_grantable_roles(client_for, county_admin):
    html = client_for(county_admin).get("/accounts/users/new/").content.decode()
    assert 'value="county_reviewer"' in html and 'value="province_admin"' not in html
    assert 'value="county_admin"' not in html


def test_an_account_made_by_an_admin_must_change_its_password(county_admin, village):
    user = user_create(
        actor=county_admin, username="fresh", password=PASSWORD, display_name="新人",
        role=Role.VILLAGE_CLERK, region=village,
    )  # fmt: skip
    assert user.must_change_password


def test_department_officer_at_another_region_than_its_department(county_admin):
    org = Organisation.objects.get(name="富民县民政局")
    township = Region.objects.get(code="530124103000")
    with pytest.raises(Invalid) as exc:
        user_create(
            actor=county_admin, username="dept_x", password=PASSWORD, display_name="部门",
            role=Role.DEPARTMENT_OFFICER, region=township, organisation=org,
        )  # fmt: skip
    assert "organisation" in [e.field for e in exc.value.errors]


# --- the Django admin shows roles but cannot grant them -----------------------------------------


@pytest.mark.django_db
def test_the_django_admin_shows_memberships_but_cannot_add_one(client) -> None:
    """The admin's user page was a way round the grant rule: a role added there had no check, no audit."""
    superuser = User.objects.create_superuser(username="root", password=PASSWORD)
    target = make_user("someone", Role.VILLAGE_CLERK, VILLAGE)
    client.force_login(superuser)
    page = client.get(f"/admin/accounts/user/{target.pk}/change/")
    assert page.status_code == 200
    assert "memberships-TOTAL_FORMS" in page.content.decode()
    assert "添加另一个" not in page.content.decode()  # no "add another role" row
    region = Region.objects.get(code=COUNTY)
    form = {
        "username": target.username, "display_name": "某人", "phone": "", "is_active": "on",
        "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
        "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-role": Role.PROVINCE_ADMIN, "memberships-0-region": str(region.pk),
        "memberships-0-active": "on", "memberships-0-user": str(target.pk),
    }  # fmt: skip
    client.post(f"/admin/accounts/user/{target.pk}/change/", form)
    assert not Membership.objects.filter(user=target, role=Role.PROVINCE_ADMIN).exists()
    assert list(Membership.objects.filter(user=target).values_list("role", flat=True)) == [Role.VILLAGE_CLERK]
