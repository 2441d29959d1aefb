from __future__ import annotations

from cunwu.accounts.permissions import Perm
from cunwu.accounts.selectors import people_holding


def test_people_holding_a_permission_at_a_village(village, head, custodian, clerk, django_assert_num_queries):
    with django_assert_num_queries(1):
        approvers = list(people_holding(village.code, Perm.SEAL_APPROVE))
    assert approvers == [head]
    assert list(people_holding(village.code, Perm.SEAL_STAMP)) == [custodian]
    assert clerk in people_holding(village.code, Perm.CERT_INTAKE)


def test_people_of_another_village_and_ended_memberships_do_not_count(village, other_head, head):
    assert other_head not in people_holding(village.code, Perm.SEAL_APPROVE)
    head.memberships.update(active=False)
    assert list(people_holding(village.code, Perm.SEAL_APPROVE)) == []


def test_roles_held_above_the_village_count_there(village, township_officer):
    assert township_officer in people_holding(village.code, Perm.SEAL_FILE)


def test_levels_keep_only_memberships_held_there(village, township_officer, supervisor, county_admin):
    local = list(people_holding(village.code, Perm.SEAL_VIEW, levels=("village", "community", "township")))
    assert township_officer in local and supervisor in local
    assert county_admin not in local
