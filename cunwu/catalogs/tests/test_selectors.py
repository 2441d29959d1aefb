"""The catalog in force: province base, prefecture and county refinements, dates, history, changes, scoping."""

from __future__ import annotations

import csv
from datetime import date, timedelta

import pytest
from django.utils import timezone

from cunwu.catalogs import kinds
from cunwu.catalogs.demo import load_examples
from cunwu.catalogs.imports import EXAMPLE_DIR
from cunwu.catalogs.models import RevisionStatus
from cunwu.catalogs.present import LOCAL, REFINED, item_cards, origins
from cunwu.catalogs.selectors import (
    catalog_compare,
    catalog_in_force,
    catalog_item_get,
    catalog_matcher,
    catalog_search,
    item_history,
    revision_effects,
    revision_get_for,
    revision_list_for,
    revisions_affecting,
    revisions_awaiting,
)
from cunwu.errors import NotFound

from .helpers import FUMIN, KUNMING, OTHER_COUNTY, PROVINCE, make_revision, region, retained_row


def codes_of(items):
    return [i.code for i in items]


@pytest.mark.parametrize("kind", kinds.KINDS)
def test_province_base_is_the_example_catalog(kind, village):
    with (EXAMPLE_DIR / f"{kind}.csv").open(encoding="utf-8") as fh:
        expected = [row["code"] for row in csv.DictReader(fh)]
    items = catalog_in_force(kind, village)
    assert sorted(codes_of(items)) == sorted(expected)
    assert all(
        i.defined_by == PROVINCE and i.revision.document == "示例目录" and i.revision.change == "立" for i in items
    )
    assert all(i.is_example for i in items)


def test_examples_load_once(db):
    assert load_examples() == 0


def test_natural_code_order(village):
    assert codes_of(catalog_in_force("cert_forbidden", village))[:10] == [f"F{n:02d}" for n in range(1, 11)]


def test_county_refinement_applies_to_its_villages_only(village, county):
    make_revision(rows=[retained_row(name="居住证明（富民县表述）")])
    at = date(2024, 3, 1)
    assert catalog_item_get("cert_retained", village, "R05", at).name == "居住证明（富民县表述）"
    assert catalog_item_get("cert_retained", county, "R05", at).defined_by == FUMIN
    other = region(OTHER_COUNTY)
    assert catalog_item_get("cert_retained", other, "R05", at).name == "居（租）住证明"
    assert catalog_item_get("cert_retained", region(KUNMING), "R05", at).defined_by == PROVINCE


def test_prefecture_refinement_reaches_its_counties_and_county_wins(village):
    make_revision(code=KUNMING, rows=[retained_row(name="居住证明（昆明市）")], effective=date(2024, 1, 1))
    at = date(2024, 2, 1)
    assert catalog_item_get("cert_retained", village, "R05", at).name == "居住证明（昆明市）"
    assert catalog_item_get("cert_retained", region(OTHER_COUNTY), "R05", at).name == "居住证明（昆明市）"
    make_revision(rows=[retained_row(name="居住证明（富民县）")], effective=date(2024, 3, 1))
    assert catalog_item_get("cert_retained", village, "R05", date(2024, 3, 1)).name == "居住证明（富民县）"
    assert catalog_item_get("cert_retained", region(OTHER_COUNTY), "R05", date(2024, 3, 1)).name == "居住证明（昆明市）"


def test_county_withdrawal_and_local_addition(village):
    make_revision(
        rows=[
            {"code": "R04", "op": "取消", "basis": "某县规定"},
            retained_row(code="FM-R01", name="林权流转村民小组意见证明"),
        ]
    )
    at = date(2024, 3, 1)
    found = codes_of(catalog_in_force("cert_retained", village, at))
    assert "R04" not in found and "FM-R01" in found
    assert "R04" in codes_of(catalog_in_force("cert_retained", region(OTHER_COUNTY), at))
    assert origins("cert_retained", village, at) == {"FM-R01": LOCAL}


def test_dates_past_today_and_future(village):
    today = timezone.localdate()
    make_revision(rows=[retained_row(name="明天起的表述")], effective=today + timedelta(days=1))
    assert catalog_item_get("cert_retained", village, "R05").name == "居（租）住证明"
    assert catalog_item_get("cert_retained", village, "R05", today + timedelta(days=1)).name == "明天起的表述"
    assert catalog_in_force("duty", village, date(2022, 12, 31)) == ()


def test_drafts_are_invisible_until_approved(village, county_admin, prefecture_admin):
    revision = make_revision(
        rows=[retained_row(name="草稿表述")], actor=county_admin, approve=False, effective=date(2024, 3, 1)
    )
    assert catalog_item_get("cert_retained", village, "R05").name == "居（租）住证明"
    from cunwu.catalogs.services import revision_approve

    revision_approve(actor=prefecture_admin, revision=revision)
    # Published at once in this process (no waiting for the cache).
    assert catalog_item_get("cert_retained", village, "R05").name == "草稿表述"


def test_past_dates_answer_as_it_was(village):
    make_revision(rows=[retained_row(name="第一版")], effective=date(2024, 3, 1), document="一号")
    make_revision(rows=[retained_row(name="第二版")], effective=date(2025, 3, 1), document="二号")
    assert catalog_item_get("cert_retained", village, "R05", date(2024, 6, 1)).name == "第一版"
    assert catalog_item_get("cert_retained", village, "R05", date(2025, 3, 1)).revision.document == "二号"
    assert catalog_item_get("cert_retained", village, "R05", date(2024, 2, 29)).revision.document == "示例目录"


def test_unknown_kind_and_item(village):
    with pytest.raises(NotFound) as exc:
        catalog_in_force("certs", village)
    assert exc.value.code == "unknown_kind"
    with pytest.raises(NotFound) as exc:
        catalog_item_get("duty", village, "ZZ")
    assert exc.value.code == "unknown_item"


def test_item_history_marks_the_current_statement(village, county_admin):
    make_revision(code=KUNMING, rows=[retained_row(name="昆明表述")], effective=date(2024, 1, 1))
    make_revision(rows=[retained_row(name="富民表述", basis="《居住证暂行条例》第十条")], effective=date(2024, 3, 1))
    make_revision(
        rows=[retained_row(name="富民草稿")],
        actor=county_admin,
        approve=False,
        effective=date(2024, 5, 1),
        document="草稿号",
    )
    public = item_history("cert_retained", village, "R05", at=date(2024, 4, 1))
    assert [e.level_name for e in public] == ["云南省", "昆明市", "富民县"]
    assert [e.current for e in public] == [False, False, True]
    assert public[2].changed == ["事项名称", "设定依据"]
    staff = item_history("cert_retained", village, "R05", user=county_admin, at=date(2024, 4, 1))
    assert staff[-1].pending and staff[-1].revision.document == "草稿号"


def test_compare_two_dates(village):
    make_revision(
        rows=[
            retained_row(name="新表述"),
            {"code": "R04", "op": "withdraw", "basis": "依据"},
            retained_row(code="FM-1", name="本地新增证明"),
        ],
        effective=date(2024, 3, 1),
    )
    diff = catalog_compare("cert_retained", village, date(2024, 1, 1), date(2024, 3, 1))
    assert codes_of(diff.added) == ["FM-1"]
    assert codes_of(diff.withdrawn) == ["R04"]
    assert [(old.code, new.name, fields) for old, new, fields in diff.changed] == [("R05", "新表述", ["事项名称"])]
    assert diff.unchanged == 5
    assert catalog_compare("cert_retained", village, date(2023, 6, 1), date(2024, 1, 1)).empty


def test_search_through_the_matcher_then_literal_text(village):
    assert codes_of(catalog_search("cert_retained", village, None, "居住"))[0] == "R05"
    assert codes_of(catalog_search("cert_forbidden", village, None, "F08")) == ["F08"]
    literal = catalog_search("cert_forbidden", village, None, "养犬登记主管部门")
    assert codes_of(literal) == ["F04"]
    assert catalog_search("cert_forbidden", village, None, "火星移民证明") == []
    assert len(catalog_search("duty", village, None, "")) == len(catalog_in_force("duty", village))


def test_matcher_over_both_certificate_catalogs(village):
    matcher, items = catalog_matcher(["cert_retained", "cert_forbidden"], village)
    best = matcher.best("开亲属关系证明")
    assert (best.kind, best.code) == ("cert_forbidden", "F01")
    assert items[("cert_retained", "R05")].name == "居（租）住证明"


def test_revision_effects_label_each_statement(county_admin):
    revision = make_revision(
        rows=[
            retained_row(name="富民表述"),
            retained_row(code="FM-1", name="本地"),
            {"code": "R04", "op": "withdraw", "basis": "依据"},
        ],
        actor=county_admin,
        approve=False,
    )
    effects = {e.statement.code: e for e in revision_effects(revision)}
    assert effects["R05"].effect == "refine" and effects["R05"].changed == ["事项名称"]
    assert effects["FM-1"].effect == "add"
    assert effects["R04"].effect == "withdraw" and effects["R04"].current.name == "学生参加活动情况反馈证明"


def test_drafts_are_seen_only_by_editors_of_that_level(county_admin, prefecture_admin, province_admin, clerk, reviewer):
    draft = make_revision(rows=[retained_row(name="草稿")], actor=county_admin, approve=False)
    for user in (county_admin, prefecture_admin, province_admin):
        assert draft.pk in [r.pk for r in revision_list_for(user)]
        assert revision_get_for(user, draft.pk).pk == draft.pk
    for user in (clerk, reviewer, None):
        assert draft.pk not in [r.pk for r in revision_list_for(user)]
        with pytest.raises(NotFound):
            revision_get_for(user, draft.pk)
    approved = revision_list_for(clerk, status=RevisionStatus.APPROVED)
    assert len(approved) == 5 and all(r.status == RevisionStatus.APPROVED for r in approved)


def test_awaiting_excludes_own_drafts(county_admin, prefecture_admin):
    draft = make_revision(rows=[retained_row(name="草稿")], actor=county_admin, approve=False)
    assert draft not in revisions_awaiting(county_admin)
    assert draft in revisions_awaiting(prefecture_admin)


def test_revisions_affecting_a_village(village):
    make_revision(rows=[retained_row(name="富民")])
    make_revision(code=OTHER_COUNTY, rows=[retained_row(name="宜良")])
    found = revisions_affecting(village)
    assert [r.region_id for r in found][:1] == [FUMIN]
    assert OTHER_COUNTY not in {r.region_id for r in found}


def test_item_cards_say_where_items_come_from(village):
    make_revision(rows=[retained_row(name="富民表述")])
    at = date(2024, 3, 1)
    cards = {
        c.code: c for c in item_cards("cert_retained", village, at, catalog_in_force("cert_retained", village, at))
    }
    assert cards["R05"].origin == REFINED and cards["R05"].origin_label == "富民县细化"
    assert cards["R01"].origin_label == "示例目录"
    assert ("所需材料", "身份证明、租赁合同或房屋权属材料") in cards["R05"].facts
