"""Selectors: scoped reads, the bulk scan agreeing with the one-village check, progress in few queries."""

from __future__ import annotations

import pytest

from cunwu.errors import NotFound
from cunwu.regions.models import Region
from cunwu.regions.selectors import region_place_names, villages_under
from cunwu.signs import compliance, selectors
from cunwu.signs.models import Sign

from .helpers import make_inventory, make_sign, open_campaign
from .inventories import CASES

pytestmark = pytest.mark.django_db


def test_bulk_pass_strips_the_same_names_as_region_place_names(county, monkeypatch):
    """The scan builds place names in bulk; they must be the ones the matcher gets one village at a time."""
    seen: dict[str, tuple[str, ...]] = {}
    real = compliance.rules.SignIdentifier.identify

    def spy(self, name, place, exceptions=()):
        seen[name] = place.all
        return real(self, name, place, exceptions)

    monkeypatch.setattr(compliance.rules.SignIdentifier, "identify", spy)
    villages = villages_under(county)
    Sign.objects.bulk_create([Sign(region=v, name=f"牌{v.code}", placement="gate") for v in villages])
    list(compliance.check_villages(county))
    for v in villages:
        assert set(seen[f"牌{v.code}"]) == set(region_place_names(v)), v.code


def test_bulk_pass_agrees_with_the_one_village_check(clerk, other_clerk, village, other_village, county):
    make_inventory(clerk, village)
    make_inventory(other_clerk, other_village, CASES[8])
    results = {r.code: r for r in compliance.check_villages(county, include_empty=True)}
    assert len(results) == len(villages_under(county))
    for region in (village, other_village):
        assert results[region.code].result.findings == compliance.village_compliance(region).check.findings
    assert results[village.code].sign_ids == tuple(
        Sign.objects.filter(region=village).order_by("id").values_list("id", flat=True)
    )


def test_scan_per_county_and_per_township(clerk, village, county, township):
    make_inventory(clerk, village)
    province = Region.objects.get(code="530000000000")
    result = compliance.scan(province)
    assert [r.code for r in result.rows] == [county.code]
    row = result.rows[0]
    assert (row.plates, row.villages_with_plates, row.problems["not_in_catalog"], row.problems["wrong_placement"]) == (
        9,
        1,
        2,
        1,
    )
    assert row.compliant_villages == row.villages - 1
    per_township = compliance.scan(county, group_level="township")
    assert township.code in [r.code for r in per_township.rows]
    per_village = compliance.scan(township, group_level="village")
    assert {r.code for r in per_village.rows} == {v.code for v in villages_under(township)}
    assert next(r for r in per_village.rows if r.code == village.code).name == village.name


def test_village_scope(clerk, other_clerk, township_officer, department, village, other_village):
    assert selectors.village_get_for(clerk, village.code) == village
    with pytest.raises(NotFound):
        selectors.village_get_for(other_clerk, village.code)
    with pytest.raises(NotFound):
        selectors.village_get_for(department, village.code)
    assert selectors.village_get_for(township_officer, other_village.code) == other_village
    with pytest.raises(NotFound):
        selectors.village_get_for(clerk, "not-a-code")


def test_sign_and_photo_scope(clerk, other_clerk, auditor, village, jpeg):
    from cunwu.signs.services import Upload

    sign = make_sign(clerk, village, "村委会", photo=Upload(jpeg, "a.jpg"))
    assert selectors.sign_get_for(auditor, sign.pk) == sign
    with pytest.raises(NotFound):
        selectors.sign_get_for(other_clerk, sign.pk)
    with pytest.raises(NotFound):
        selectors.photo_get_for(other_clerk, sign.photo_id)
    assert selectors.photo_get_for(clerk, sign.photo_id).pk == sign.photo_id


def test_home_region(clerk, township_officer, county_admin, province_admin, department, village, township, county):
    assert selectors.home_region_for(clerk) == village
    assert selectors.home_region_for(township_officer) == township
    assert selectors.home_region_for(county_admin) == county
    assert selectors.home_region_for(province_admin).code == "530000000000"
    assert selectors.home_region_for(department) is None


def test_campaign_visibility(clerk, other_clerk, township_officer, county_admin, prefecture_admin, department, county):
    campaign = open_campaign(county_admin, county)
    for user in (clerk, other_clerk, township_officer, county_admin, prefecture_admin):
        assert list(selectors.campaign_list_for(user)) == [campaign]
    assert list(selectors.campaign_list_for(department)) == []


def test_progress_scoped_and_in_few_queries(
    clerk, other_clerk, village, other_village, county_admin, township_officer, county, django_assert_max_num_queries
):
    make_inventory(clerk, village)
    make_sign(other_clerk, other_village, "{v}村综治中心", "gate")
    campaign = open_campaign(county_admin, county)
    with django_assert_max_num_queries(8):
        progress = selectors.campaign_progress(county_admin, campaign)
    assert progress.level == "township"
    assert progress.total.tasks == 4 and progress.total.plates_before == 10
    assert progress.total.villages == len(villages_under(county))
    mine = selectors.campaign_progress(clerk, campaign)
    assert [r.code for r in mine.rows] == [village.code]
    assert mine.total.tasks == 3
    township_view = selectors.campaign_progress(township_officer, campaign)
    assert township_view.level == "village"
    assert {r.code for r in township_view.rows} == {v.code for v in villages_under(village.parent)}


def test_requests_scoped(clerk, other_clerk, reviewer, province_admin, village):
    from .helpers import request_approved

    req = request_approved(clerk, reviewer, province_admin, village)
    assert list(selectors.request_list_for(clerk)) == [req]
    assert list(selectors.request_list_for(other_clerk)) == []
    assert selectors.request_get_for(province_admin, req.pk) == req
    with pytest.raises(NotFound):
        selectors.request_get_for(other_clerk, req.pk)
