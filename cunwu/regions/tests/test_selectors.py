from __future__ import annotations

import pytest

from cunwu.errors import Invalid, NotFound
from cunwu.regions.selectors import region_get, region_path, region_place_names, villages_under


def test_region_get_refuses_malformed_and_unknown_codes(db):
    with pytest.raises(Invalid) as bad:
        region_get("53012")
    assert bad.value.code == "invalid_region_code" and "12位数字" in bad.value.detail
    with pytest.raises(NotFound) as unknown:
        region_get("530124999999")
    assert unknown.value.code == "unknown_region" and "530124999999" in unknown.value.detail


def test_region_path_runs_from_the_province(village):
    assert [r.name for r in region_path(village)][:4] == ["云南省", "昆明市", "富民县", "罗免镇"]
    assert region_path(village)[-1] == village


def test_place_names_hold_the_tree_and_the_village_organisations(village):
    names = region_place_names(village)
    assert {"云南省", "富民县", "罗免镇", village.name} <= set(names)
    assert any(n.endswith("村民委员会") for n in names)
    assert len(names) == len(set(names))


def test_villages_under_a_township_and_a_county(township, county, village):
    in_township = villages_under(township)
    assert village in in_township
    assert {v.parent_id for v in in_township} == {township.code}
    assert len(villages_under(county)) > len(in_township)
    assert villages_under(village) == [village]


def test_region_with_children_matches_region_get(township):
    from cunwu.regions.selectors import region_children, region_with_children

    region, children = region_with_children(township.code)
    assert region == township and children == region_children(township)
    with pytest.raises(NotFound):
        region_with_children("530124999999")
    with pytest.raises(Invalid):
        region_with_children("x")
