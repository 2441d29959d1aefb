"""（一） 明晰……运行流程: every duty and assist item can state its procedure — ordered steps, who acts
(village, township, department), working days, materials in and out, the service channel — at the
level that sets the item, versioned with its revisions, imported and exported with the catalogs,
and printed as a one-page 办事指南 on the public item page."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from cunwu.catalogs import kinds, rules
from cunwu.catalogs.imports import catalog_import, catalog_template, export_catalog
from cunwu.catalogs.models import Revision
from cunwu.catalogs.selectors import catalog_item_get

from .helpers import FUMIN, PROVINCE, make_revision, region, xlsx

THREE_STEPS = (
    "【1】村：村民委员会｜受理申请并入户核实｜3｜申请书、户口簿｜入户调查表｜村便民服务站"
    "【2】乡镇：民政办｜审核｜5｜入户调查表｜审核意见｜乡镇便民服务中心"
    "【3】部门：县民政局｜审批｜10｜审核意见｜审批决定书｜一部手机办事通"
)


# ---------------------------------------------------------------------------- rules, no database


def test_clause_1_procedure_reads_steps_bodies_days_materials_and_channel():
    steps, problems = rules.parse_procedure(THREE_STEPS)
    assert problems == []
    assert [s["body"] for s in steps] == ["village", "township", "department"]
    assert steps[0] == {
        "body": "village",
        "actor": "村民委员会",
        "action": "受理申请并入户核实",
        "days": 3,
        "inputs": ["申请书", "户口簿"],
        "outputs": ["入户调查表"],
        "channel": "村便民服务站",
        "next": None,
    }
    assert rules.procedure_days(steps) == 18


def test_clause_1_procedure_text_round_trips_one_step_a_line():
    steps, _ = rules.parse_procedure(THREE_STEPS)
    text = rules.procedure_text(steps)
    assert text.count("\n") == 2 and text.startswith("【1】村：村民委员会｜")
    assert rules.parse_procedure(text) == (steps, [])
    # Excel and the spreadsheet reader fold line breaks into spaces; the 【n】 marks still split steps.
    assert rules.parse_procedure(text.replace("\n", " ")) == (steps, [])


def test_clause_1_blank_means_not_yet_stated_but_given_without_steps_is_refused():
    assert rules.parse_procedure("") == (None, [])
    steps, problems = rules.parse_procedure([])
    assert steps is None and "没有任何步骤" in problems[0].message
    _, problems = rules.parse_procedure("｜｜\n")
    assert "没有任何步骤" in problems[0].message


@pytest.mark.parametrize("days", ["0", "-2", "1.5", "三", ""])
def test_clause_1_time_limits_are_positive_working_days(days):
    _, problems = rules.parse_procedure(f"【1】村：村委会｜受理｜{days}｜｜｜村便民服务站")
    assert len(problems) == 1 and problems[0].field == "procedure"
    assert "第1步的时限应为 1 到 365 之间的整数个工作日" in problems[0].message


def test_clause_1_circular_hand_offs_are_refused():
    text = (
        "【1】村：村委会｜受理｜1｜｜｜村便民服务站"
        "【2】乡镇：民政办｜审核｜2｜｜｜乡镇便民服务中心"
        "【3】部门：县民政局｜审批｜3｜｜｜县政务服务中心｜1"
    )
    _, problems = rules.parse_procedure(text)
    assert len(problems) == 1
    assert "循环交接（第1步→第2步→第3步→第1步）" in problems[0].message


def test_clause_1_a_step_handed_nothing_or_to_a_missing_step_is_refused():
    _, problems = rules.parse_procedure(
        "【1】村：村委会｜受理｜1｜｜｜站｜3【2】乡镇：民政办｜审核｜2｜｜｜中心【3】部门：局｜审批｜1｜｜｜中心"
    )
    assert "第2步没有任何一步交给它" in problems[0].message
    _, problems = rules.parse_procedure("【1】村：村委会｜受理｜1｜｜｜站｜9")
    assert "第1步交给第9步，但流程只有1步" in problems[0].message


def test_clause_1_acting_body_must_be_village_township_or_department():
    _, problems = rules.parse_procedure("【1】县民政局｜审批｜1｜｜｜站")
    assert "办理主体“县民政局”无法识别" in problems[0].message
    _, problems = rules.parse_procedure("【1】村：村委会｜受理｜1｜｜")
    assert "应有6或7项" in problems[0].message
    _, problems = rules.parse_procedure("【1】村：村委会｜受理｜1｜｜｜站【3】乡镇：办｜审核｜1｜｜｜中心")
    assert "步骤序号应依次为" in problems[0].message


def test_clause_1_api_rows_may_give_steps_as_objects():
    steps, problems = rules.parse_procedure(
        [{"body": "village", "actor": "村委会", "action": "受理", "days": 2, "channel": "村便民服务站"}]
    )
    assert problems == [] and steps[0]["days"] == 2 and steps[0]["inputs"] == []


def test_clause_1_procedure_is_part_of_what_an_item_says():
    row = {
        "code": "A01",
        "name": "协助社会救助",
        "basis": "《社会救助暂行办法》",
        "department": "民政",
        "conditions": "经费",
    }
    without, _ = rules.clean_row("assist", row)
    with_steps, _ = rules.clean_row("assist", {**row, "procedure": THREE_STEPS})
    assert rules.changed_fields("assist", without, with_steps) == ["procedure"]
    assert rules.FIELD_HEADERS["procedure"] == "运行流程"


# ---------------------------------------------------------------------------- versions, imports, exports


def _assist_row(**extra):
    return {
        "code": "A01",
        "name": "协助开展社会救助工作（富民县）",
        "basis": "《社会救助暂行办法》第四条",
        "department": "富民县民政局",
        "conditions": "县民政局提供业务培训和工作经费",
        **extra,
    }


def test_clause_1_county_refines_the_procedure_and_it_is_versioned(db):
    base = catalog_item_get("assist", region(FUMIN), "A01", date(2024, 1, 1))
    assert base.get("procedure")[0]["body"] == "village"  # the example catalog states one
    make_revision(kind="assist", rows=[_assist_row(procedure=THREE_STEPS)], effective=date(2024, 3, 1))
    refined = catalog_item_get("assist", region(FUMIN), "A01", date(2024, 3, 1))
    assert refined.defined_by == FUMIN and len(refined.get("procedure")) == 3
    # the day before, the province's procedure is in force; another county keeps it
    assert catalog_item_get("assist", region(FUMIN), "A01", date(2024, 2, 29)).get("procedure") == base.get("procedure")
    assert catalog_item_get("assist", region("530125000000"), "A01", date(2024, 3, 1)).defined_by == PROVINCE


def _import(kind, data, name="目录.xlsx", code=FUMIN):
    return catalog_import(
        actor=None,
        region=region(code),
        kind=kind,
        data=data,
        filename=name,
        change="改",
        document="富政办〔2024〕7号",
        effective=date(2024, 3, 1),
    )


def test_clause_1_import_with_a_bad_procedure_writes_nothing(db):
    headers = ["编码", "事项名称", "设定依据", "协助的部门", "部门提供的工作条件", "运行流程"]
    good = [
        "A02",
        "协助统计调查",
        "《统计法》",
        "统计局",
        "经费",
        "【1】村：村委会｜入户登记｜5｜｜登记表｜村便民服务站",
    ]
    bad = ["A03", "协助防疫", "《传染病防治法》", "卫健局", "经费", "【1】村：村委会｜宣传｜0｜｜｜村广播"]
    circular = ["A04", "协助参保", "《社会保险法》", "医保局", "经费", "【1】村：村委会｜登记｜1｜｜｜站｜1"]
    before = Revision.objects.count()
    outcome = _import("assist", xlsx([headers, good, bad, circular], sheet="协助服务事项"))
    assert not outcome.ok and outcome.revision is None and Revision.objects.count() == before
    errors = {(e.row, e.column): e.message for e in outcome.row_errors}
    assert "时限应为 1 到 365 之间的整数个工作日" in errors[(3, "运行流程")]
    assert "循环交接" in errors[(4, "运行流程")]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_clause_1_export_carries_procedures_and_reimports_without_change(fmt, db):
    body, _mime, name = export_catalog("assist", region(PROVINCE), date(2024, 1, 1), fmt)
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
        a01 = next(r for r in rows if r["编码"] == "A01")
        assert a01["运行流程"].startswith("【1】村：村民委员会｜") and "【4】" in a01["运行流程"]
    outcome = _import("assist", body, name, code=PROVINCE)
    assert outcome.ok and outcome.changed_nothing


def test_clause_1_template_has_the_procedure_column_and_explains_it():
    wb = load_workbook(io.BytesIO(catalog_template("duty")))
    assert "运行流程" in [c.value for c in wb.worksheets[0][1]]
    notes = " ".join(str(c.value) for row in wb.worksheets[1].iter_rows() for c in row if c.value)
    assert "【1】办理主体｜办什么｜时限（工作日）" in notes
    assert "运行流程" not in [c.value for c in load_workbook(io.BytesIO(catalog_template("sign"))).worksheets[0][1]]
    assert kinds.PROCEDURE_KINDS == ("duty", "assist")


# ---------------------------------------------------------------------------- pages, PDF and API


def test_clause_1_public_item_page_shows_its_guide(client, db):
    page = client.get(f"/gongkai/{FUMIN}/assist/A01/")
    text = page.content.decode()
    assert page.status_code == 200 and "办事指南" in text and "共 <strong>30</strong> 个工作日" in text
    assert "村（社区）·村民委员会" in text and "县政务服务中心、一部手机办事通" in text
    assert f"/gongkai/{FUMIN}/assist/A01/banshizhinan.pdf" in text
    # an item without a stated procedure says so instead
    assert (
        "运行流程（办理步骤、承办单位、时限、材料和渠道）尚未制定"
        in client.get(f"/gongkai/{FUMIN}/duty/D01/").content.decode()
    )
    assert 'id="banshizhinan"' not in client.get(f"/gongkai/{FUMIN}/cert_retained/R05/").content.decode()


def test_clause_1_guide_pdf_is_one_page_with_the_steps(client, db):
    from pypdf import PdfReader

    response = client.get(f"/gongkai/{FUMIN}/assist/A01/banshizhinan.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = reader.pages[0].extract_text()
    assert len(reader.pages) == 1 and "办事指南" in text and "第4步" in text and "30" in text
    assert client.get(f"/gongkai/{FUMIN}/duty/D01/banshizhinan.pdf").status_code == 404


def test_clause_1_item_detail_api_adds_the_procedure_key(client, db):
    body = client.get(f"/api/v1/catalogs/assist/A01?region={FUMIN}").json()
    assert set(body) == {"kind", "region", "at", "item", "history", "procedure"}
    assert "procedure" not in body["item"]  # the item's own fields are unchanged
    assert body["procedure"]["working_days"] == 30 and body["procedure"]["steps"][2]["body"] == "department"
    assert body["procedure"]["steps"][-1]["hands_to"] is None
    assert client.get(f"/api/v1/catalogs/duty/D01?region={FUMIN}").json()["procedure"] is None


def test_clause_1_item_form_puts_procedure_errors_at_the_field(client, county_admin):
    client.force_login(county_admin)
    response = client.post(
        "/catalogs/items/assist/new/",
        {
            "region": FUMIN,
            "change": "立",
            "document": "富政办〔2024〕9号",
            "effective": "2024-03-01",
            **_assist_row(code="FM-A01", procedure="【1】村：村委会｜登记｜0｜｜｜站"),
        },
    )
    assert response.status_code == 422
    assert "时限应为 1 到 365 之间的整数个工作日" in response.context["form"].errors["procedure"][0]


def test_clause_1_catalog_page_counts_items_with_a_procedure(client, db):
    text = client.get(f"/gongkai/{FUMIN}/assist/").content.decode()
    assert "已写明运行流程（办事指南）4 项" in text and text.count("有办事指南") == 4
    assert "已写明运行流程" not in client.get(f"/gongkai/{FUMIN}/sign/").content.decode()


def test_clause_1_text_before_the_first_step_is_not_silently_dropped():
    _, problems = rules.parse_procedure("先到村里【1】村：村委会｜受理｜1｜｜｜村便民服务站")
    assert problems and "【1】之前有多余的内容“先到村里”" in problems[0].message


def test_clause_1_revision_api_takes_steps_as_objects_and_refuses_bad_ones(api, county_admin):
    step = {"body": "village", "actor": "村委会", "action": "受理申请", "days": 2, "channel": "村便民服务站"}
    payload = {
        "region": FUMIN,
        "kind": "assist",
        "change": "改",
        "document": "富政办〔2024〕8号",
        "effective": "2024-03-01",
        "items": [_assist_row(procedure=[step, {**step, "body": "township", "days": 0}])],
    }
    response = api(county_admin).post("catalog-revisions", payload)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors[0]["field"] == "rows.0.procedure" and "第2步的时限" in errors[0]["message"]
    assert not Revision.objects.filter(region_id=FUMIN).exists()
    payload["items"] = [_assist_row(procedure=[step, {**step, "body": "township", "days": 5}])]
    response = api(county_admin).post("catalog-revisions", payload)
    assert response.status_code == 201
    effect = response.json()["statements"][0]
    assert (
        effect["statement"]["procedure"][1]["days"] == 5 and effect["statement"]["procedure"][1]["body"] == "township"
    )
    # the staff revision page lists the steps for the approver
    client = Client()
    client.force_login(county_admin)
    text = client.get(f"/catalogs/revisions/{response.json()['id']}/").content.decode()
    assert "运行流程" in text and "【2】乡镇：村委会｜受理申请｜5｜｜｜村便民服务站" in text


_PIECES = st.sampled_from(
    [
        "【1】",
        "【2】",
        "【3】",
        "村：村委会",
        "乡镇：民政办",
        "部门：县民政局",
        "｜",
        "|",
        "受理",
        "0",
        "3",
        "-1",
        "申请书、户口簿",
        "村便民服务站",
        "\n",
        " ",
        "交给",
        "1",
    ]
)


@settings(max_examples=200, deadline=None, database=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_clause_1_any_procedure_text_is_either_refused_in_chinese_or_a_procedure_that_ends(text):
    steps, problems = rules.parse_procedure(text)
    if problems:
        assert steps is None and all(p.field == "procedure" and p.message.startswith("运行流程：") for p in problems)
        return
    if steps is None:
        assert not text.strip()
        return
    assert steps and all(1 <= s["days"] <= rules.MAX_STEP_DAYS and s["action"] and s["channel"] for s in steps)
    assert rules.check_hand_offs(steps) == [] and rules.procedure_days(steps) >= len(steps)
    assert rules.parse_procedure(rules.procedure_text(steps)) == (steps, [])


_STEP = st.fixed_dictionaries(
    {
        "body": st.sampled_from(["村：村委会", "乡镇：民政办", "部门：县民政局", "部门", "县民政局"]),
        "days": st.integers(-2, 400),
        "next": st.one_of(st.just(""), st.integers(0, 6).map(str)),
    }
)


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(_STEP, min_size=1, max_size=6))
def test_clause_1_accepted_procedures_have_positive_days_and_no_circular_hand_off(specs):
    text = "".join(
        f"【{i}】{s['body']}｜办理{i}｜{s['days']}｜申请书｜登记表｜村便民服务站"
        + (f"｜{s['next']}" if s["next"] else "")
        for i, s in enumerate(specs, start=1)
    )
    steps, problems = rules.parse_procedure(text)
    bad_days = any(not 1 <= s["days"] <= rules.MAX_STEP_DAYS for s in specs)
    bad_body = any(s["body"] == "县民政局" for s in specs)
    if bad_days or bad_body:
        assert problems and steps is None
        return
    if problems:
        assert any("循环" in p.message or "交给第" in p.message or "没有任何一步交给它" in p.message for p in problems)
        return
    seen, current = [], 1
    while current is not None:
        assert current not in seen  # no circle
        seen.append(current)
        current = steps[current - 1]["next"] or (current + 1 if current < len(steps) else None)
    assert sorted(seen) == list(range(1, len(steps) + 1))
    assert rules.procedure_days(steps) == sum(s["days"] for s in steps)
