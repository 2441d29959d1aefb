"""The API contracts of DESIGN.md §4: POST /signs/check and POST /facilities/check."""

from __future__ import annotations

import pytest

from cunwu.regions.models import Region
from cunwu.signs.demo import short_name

from .helpers import make_sign, request_approved
from .inventories import CASES

pytestmark = pytest.mark.django_db

COMMUNITY = "530124001001"


def fill(text, region):
    township = region.parent
    return text.format(v=short_name(region.name), county=township.parent.name, township=township.name)


def body(region, plates):
    return {"region": region.code, "signs": [{"name": fill(n, region), "placement": p} for n, p in plates]}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_labelled_inventories_through_the_api(api, county_admin, village, case):
    region = village if case.level == "village" else Region.objects.get(code=COMMUNITY)
    response = api(county_admin).post("signs/check", body(region, case.plates))
    assert response.status_code == 200, response.json()
    data = response.json()
    assert set(data) == {"compliant", "findings", "missing"}
    assert sorted((f["index"], f["problem"], f["catalog_code"]) for f in data["findings"]) == sorted(case.findings)
    assert data["compliant"] is (not data["findings"])
    if case.missing is not None:
        assert data["missing"] == list(case.missing)
    for f in data["findings"]:
        assert set(f) == {"index", "problem", "catalog_code", "clause", "message"}
        assert (
            f["clause"]
            == {"not_in_catalog": "（九）", "wrong_placement": "（十）", "duplicate": "（九）", "over_limit": "（九）"}[
                f["problem"]
            ]
        )
        assert f["message"]


def test_clerk_checks_own_village_and_nothing_is_saved(api, clerk, village):
    from cunwu.signs.models import Sign

    response = api(clerk).post(
        "signs/check", body(village, [("中国共产党富民县罗免镇{v}村支部委员会", "gate"), ("{v}村综治中心", "gate")])
    )
    assert response.status_code == 200
    data = response.json()
    assert data["compliant"] is False
    assert data["findings"] == [
        {
            "index": 1,
            "problem": "not_in_catalog",
            "catalog_code": None,
            "clause": "（九）",
            "message": data["findings"][0]["message"],
        }
    ]
    assert "S04" not in data["missing"]
    assert not Sign.objects.exists()


def test_empty_list_is_compliant_with_everything_missing(api, clerk, village):
    data = api(clerk).post("signs/check", {"region": village.code, "signs": []}).json()
    assert data == {
        "compliant": True,
        "findings": [],
        "missing": ["S01", "S02", "S03", "S04", "S05", "S06", "S07", "S08", "S09", "S10"],
    }


def test_approved_exception_counts_in_its_village_only(
    api, clerk, other_clerk, reviewer, province_admin, county_admin, village, other_village
):
    request_approved(clerk, reviewer, province_admin, village, name="大箐村普洱茶产业协会")
    plates = [("{v}村普洱茶产业协会", "interior")]
    assert api(clerk).post("signs/check", body(village, plates)).json()["compliant"] is True
    assert (
        api(county_admin).post("signs/check", body(other_village, plates)).json()["findings"][0]["problem"]
        == "not_in_catalog"
    )


@pytest.mark.parametrize(
    ("signs", "field", "fragment"),
    [
        (
            [
                {"name": "村委会", "placement": "gate"},
                {"name": "村委会", "placement": "gate"},
                {"name": "村委会", "placement": "roof"},
            ],
            "signs.2.placement",
            "exterior_mark",
        ),
        ([{"name": "   ", "placement": "gate"}], "signs.0.name", "牌子名称"),
        ([{"name": "", "placement": "gate"}], "signs.0.name", "牌子名称"),
        ([{"placement": "gate"}], "signs.0.name", "必填"),
        ([{"name": "村委会"}], "signs.0.placement", "必填"),
        ([{"name": "村委会", "placement": None}], "signs.0.placement", "悬挂位置"),
    ],
)
def test_bad_signs_are_422_at_the_field(api, clerk, village, signs, field, fragment):
    response = api(clerk).post("signs/check", {"region": village.code, "signs": signs})
    assert response.status_code == 422
    data = response.json()
    assert data["code"] == "validation_error"
    errors = {e["field"]: e["message"] for e in data["errors"]}
    assert field in errors and fragment in errors[field]


def test_region_problems(api, clerk, county_admin, village, township):
    assert api(clerk).post("signs/check", {"region": "12345", "signs": []}).status_code == 422
    response = api(county_admin).post("signs/check", {"region": township.code, "signs": []})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "region"
    assert api(clerk).post("signs/check", {"region": "530124103999", "signs": []}).status_code == 404
    missing = api(clerk).post("signs/check", {"signs": []})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "region"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 401),
        ("other_clerk", 404),
        ("department", 404),
        ("clerk", 200),
        ("head", 200),
        ("township_officer", 200),
        ("county_admin", 200),
        ("reviewer", 200),
        ("auditor", 200),
        ("province_admin", 200),
    ],
)
def test_check_authorization_matrix(api, request, village, who, status):
    user = request.getfixturevalue(who) if who else None
    response = api(user).post(
        "signs/check", {"region": village.code, "signs": [{"name": "村委会", "placement": "gate"}]}
    )
    assert response.status_code == status
    if status == 404:
        assert response.json()["code"] == "not_found"


def test_village_compliance_endpoint(api, clerk, other_clerk, village):
    make_sign(clerk, village, "{v}村综治中心", "gate")
    data = api(clerk).get(f"signs/villages/{village.code}/compliance").json()
    assert data["compliant"] is False and data["findings"][0]["problem"] == "not_in_catalog"
    assert api(other_clerk).get(f"signs/villages/{village.code}/compliance").status_code == 404
    assert api(None).get(f"signs/villages/{village.code}/compliance").status_code == 401


# --- POST /facilities/check ---


@pytest.mark.parametrize(
    ("households", "area", "compliant", "required"),
    [
        (680, 320, True, 300.0),
        (680, 299.5, False, 300.0),
        (1001, 300.3, True, 300.3),
        (1500, 420, False, 450.0),
        (1, 0.5, False, 300.0),
    ],
)
def test_facility_check(api, households, area, compliant, required):
    response = api(None).post("facilities/check", {"households": households, "building_area": area})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"compliant", "required_area", "message"}
    assert data["compliant"] is compliant
    assert data["required_area"] == pytest.approx(required)
    assert isinstance(data["required_area"], float)
    assert "（七）" in data["message"]


def test_required_area_is_not_rounded(api):
    data = api(None).post("facilities/check", {"households": 1234, "building_area": 100}).json()
    assert data["required_area"] == pytest.approx(370.2)


@pytest.mark.parametrize(
    ("payload", "field", "fragment"),
    [
        ({"households": 0, "building_area": 300}, "households", "至少为 1 户"),
        ({"households": -3, "building_area": 300}, "households", "至少为 1 户"),
        ({"households": 12.5, "building_area": 300}, "households", "整数"),
        ({"households": True, "building_area": 300}, "households", "整数"),
        ({"households": 100, "building_area": -20}, "building_area", "大于 0"),
        ({"households": 100, "building_area": 0}, "building_area", "大于 0"),
        ({"households": 100}, "building_area", "必填"),
        ({"households": 100, "building_area": "abc"}, "building_area", "数字"),
    ],
)
def test_facility_check_bad_input(api, payload, field, fragment):
    response = api(None).post("facilities/check", payload)
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert fragment in errors[field]


def test_facility_check_is_rate_limited(api, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public": 2}
    client = api(None)
    statuses = [client.post("facilities/check", {"households": 10, "building_area": 300}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
