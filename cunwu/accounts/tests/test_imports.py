"""County imports of villages and staff: all-or-nothing, per-row Chinese errors, scope-checked."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from cunwu.accounts.imports import (
    STAFF_COLUMNS,
    VILLAGE_COLUMNS,
    ImportFailed,
    staff_import,
    staff_template,
    village_template,
    villages_import,
)
from cunwu.accounts.models import Membership, User
from cunwu.audit.models import AuditEntry
from cunwu.documents.xlsx import build_template, write_csv
from cunwu.regions.models import Organisation, Region

VILLAGE = "530124103200"
TOWNSHIP_STEM = "530124103"


def xlsx(columns, rows: list[dict[str, str]]) -> bytes:
    """A filled-in workbook as an official would upload it: the template, its first row replaced by ours."""
    wb = load_workbook(io.BytesIO(build_template("导入", columns, rows[0], ["测试"])))
    ws = wb.worksheets[0]
    for row in rows[1:]:
        ws.append([row.get(c.key, "") for c in columns])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def gbk_csv(columns, rows: list[dict[str, str]]) -> bytes:
    lines = [",".join(c.header for c in columns)] + [",".join(r.get(c.key, "") for c in columns) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode("gbk")


def staff(username: str, **kw: str) -> dict[str, str]:
    return {
        "username": username,
        "display_name": "李四",
        "phone": "",
        "role": "村经办人",
        "region": VILLAGE,
        "organisation": "",
        "password": "",
    } | kw


def _messages(exc: pytest.ExceptionInfo) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in exc.value.result.errors]


# --- staff ------------------------------------------------------------------------------------


def test_staff_import_creates_accounts_that_must_change_their_password(county_admin):
    data = xlsx(
        STAFF_COLUMNS,
        [
            staff("imp_a"),
            staff(
                "imp_b",
                role="部门工作人员",
                region="530124000000",
                organisation="富民县民政局",
                password="Strong-pass-2027",
            ),
        ],
    )
    result = staff_import(actor=county_admin, data=data, filename="人员.xlsx")
    assert (result.created, result.errors) == (2, [])
    a, b = User.objects.get(username="imp_a"), User.objects.get(username="imp_b")
    assert a.must_change_password and b.must_change_password
    assert [u for u, _ in result.passwords] == ["imp_a"]  # generated only where the sheet left it blank
    assert a.check_password(result.passwords[0][1]) and b.check_password("Strong-pass-2027")
    assert b.memberships.get().organisation.name == "富民县民政局"
    assert (
        AuditEntry.objects.filter(
            action="user.create", object_id__in=[str(a.pk), str(b.pk)], actor=county_admin
        ).count()
        == 2
    )


def test_staff_import_from_a_gbk_csv(county_admin):
    result = staff_import(
        actor=county_admin, data=gbk_csv(STAFF_COLUMNS, [staff("csv_user", display_name="王小明")]), filename="人员.csv"
    )
    assert result.created == 1
    assert User.objects.get(username="csv_user").display_name == "王小明"


def test_staff_import_is_all_or_nothing_with_an_error_per_row(county_admin):
    rows = [
        staff("fine_one"),
        staff("village_clerk"),  # already taken
        staff("dup"),
        staff("dup"),  # twice in the sheet
        staff("bad role", role="村长"),
        staff("far_away", region="530102000000"),  # 五华区: outside the county
        staff("bad_code", region="5301"),
        staff("no_dept", role="部门工作人员", region="530124000000"),
        staff("weak_pw", password="123"),
    ]
    before = (User.objects.count(), Membership.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ImportFailed) as exc:
        staff_import(actor=county_admin, data=xlsx(STAFF_COLUMNS, rows), filename="人员.xlsx")
    errors = _messages(exc)
    assert [(row, column) for row, column, _ in errors] == [
        (3, "用户名"),
        (5, "用户名"),
        (6, "角色"),
        (6, "用户名"),
        (7, "区划代码"),
        (8, "区划代码"),
        (9, "所属部门"),
        (10, "初始密码"),
    ]
    text = dict(((r, c), m) for r, c, m in errors)
    assert "已被使用" in text[(3, "用户名")] and "重复" in text[(5, "用户名")]
    assert "不在您的管辖范围内" in text[(7, "区划代码")] and "12位数字" in text[(8, "区划代码")]
    assert "密码太短" in text[(10, "初始密码")]
    assert (User.objects.count(), Membership.objects.count(), AuditEntry.objects.count()) == before
    assert not User.objects.filter(username="fine_one").exists()


def test_staff_import_reports_an_unknown_role_from_the_drop_down(county_admin):
    with pytest.raises(ImportFailed) as exc:
        staff_import(actor=county_admin, data=gbk_csv(STAFF_COLUMNS, [staff("r1", role="村长")]), filename="a.csv")
    assert any(column == "角色" for _, column, _ in _messages(exc))


# --- villages ---------------------------------------------------------------------------------


def village(code: str, name: str = "新建村委会", households: str = "560", population: str = "1800") -> dict[str, str]:
    return {"code": code, "name": name, "households": households, "population": population}


def test_villages_import_creates_and_updates(county_admin):
    data = xlsx(
        VILLAGE_COLUMNS,
        [
            village(f"{TOWNSHIP_STEM}250", "新华村委会"),
            village(f"{TOWNSHIP_STEM}050", "新城社区居委会"),
            village(VILLAGE, "大箐村委会", "702", ""),
        ],
    )
    result = villages_import(actor=county_admin, data=data, filename="村.xlsx")
    assert (result.created, result.updated) == (2, 1)
    new = Region.objects.get(code=f"{TOWNSHIP_STEM}250")
    assert (new.name, new.level, new.parent_id, new.households, new.population, new.generated) == (
        "新华村委会",
        "village",
        f"{TOWNSHIP_STEM}000",
        560,
        1800,
        False,
    )
    assert Region.objects.get(code=f"{TOWNSHIP_STEM}050").level == "community"
    assert sorted(Organisation.objects.filter(region=new).values_list("name", flat=True)) == sorted(
        ["中共新华村支部委员会", "新华村民委员会", "新华村务监督委员会", "新华村股份经济合作社"]
    )
    updated = Region.objects.get(code=VILLAGE)
    assert (updated.name, updated.households, updated.population, updated.generated) == ("大箐村委会", 702, None, False)
    actions = list(AuditEntry.objects.filter(actor=county_admin).values_list("action", flat=True))
    assert (
        actions.count("region.create") == 2
        and actions.count("region.update") == 1
        and actions.count("region.import") == 1
    )


def test_villages_import_is_all_or_nothing(county_admin):
    rows = [
        village(f"{TOWNSHIP_STEM}251"),
        village("530102001201"),  # 五华区: outside
        village("530124888201"),  # no such township
        village(f"{TOWNSHIP_STEM}000"),  # the township itself
        village(f"{TOWNSHIP_STEM}450"),  # beyond 399
        village(f"{TOWNSHIP_STEM}252", households="0"),
        village(f"{TOWNSHIP_STEM}253", population="很多"),
        village(f"{TOWNSHIP_STEM}251"),  # twice
        village("5301241032"),
    ]
    before = (Region.objects.count(), Organisation.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ImportFailed) as exc:
        villages_import(actor=county_admin, data=xlsx(VILLAGE_COLUMNS, rows), filename="村.xlsx")
    errors = _messages(exc)
    assert [row for row, _, _ in errors] == [3, 4, 5, 6, 7, 8, 9, 10]
    text = {row: message for row, _, message in errors}
    assert "不在您的管辖范围内" in text[3] or "不是已知乡镇" in text[3]
    assert (
        "不是已知乡镇" in text[4]
        and "001–399" in text[6]
        and "户数" in text[7]
        and "人口" in text[8]
        and "重复" in text[9]
        and "12位数字" in text[10]
    )
    assert (Region.objects.count(), Organisation.objects.count(), AuditEntry.objects.count()) == before


def test_village_import_outside_scope_is_refused(county_admin):
    # A real township of 五华区 exists; the county admin of 富民县 may not add villages there.
    township = Region.objects.filter(parent_id="530102000000", level="township").order_by("code").first()
    with pytest.raises(ImportFailed) as exc:
        villages_import(
            actor=county_admin, data=xlsx(VILLAGE_COLUMNS, [village(township.code[:9] + "201")]), filename="v.xlsx"
        )
    assert "不在您的管辖范围内" in _messages(exc)[0][2]


def test_templates_download_as_xlsx():
    for data in (staff_template(), village_template()):
        wb = load_workbook(io.BytesIO(data))
        assert wb.worksheets[0].max_row >= 2 and "填表说明" in wb.sheetnames


# --- the import page ----------------------------------------------------------------------------


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_import_page_creates_villages_and_redirects(client_for, county_admin):
    data = xlsx(VILLAGE_COLUMNS, [village(f"{TOWNSHIP_STEM}260", "页面村委会")])
    response = client_for(county_admin).post(
        "/accounts/users/import/", {"kind": "villages", "file": _upload("v.xlsx", data)}
    )
    assert response.status_code == 302
    assert Region.objects.filter(code=f"{TOWNSHIP_STEM}260", name="页面村委会").exists()


def test_import_page_lists_errors_and_imports_nothing(client_for, county_admin):
    data = xlsx(STAFF_COLUMNS, [staff("page_ok"), staff("village_clerk")])
    response = client_for(county_admin).post(
        "/accounts/users/import/", {"kind": "staff", "file": _upload("s.xlsx", data)}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "未导入任何数据" in html and "已被使用" in html
    assert not User.objects.filter(username="page_ok").exists()


def test_import_page_shows_generated_passwords_once(client_for, county_admin):
    client = client_for(county_admin)
    response = client.post(
        "/accounts/users/import/",
        {"kind": "staff", "file": _upload("s.xlsx", xlsx(STAFF_COLUMNS, [staff("pw_shown")]))},
        follow=True,
    )
    assert "pw_shown：" in response.content.decode()
    assert "pw_shown：" not in client.get("/accounts/users/").content.decode()


def test_import_page_without_a_file_is_a_chinese_field_error(client_for, county_admin):
    response = client_for(county_admin).post("/accounts/users/import/", {"kind": "staff"})
    assert response.status_code == 422 and "这个字段是必填项。" in response.content.decode()


@pytest.mark.parametrize("persona", ["clerk", "auditor"])
def test_import_page_refuses_those_without_the_right(client_for, request, persona):
    response = client_for(request.getfixturevalue(persona)).post(
        "/accounts/users/import/", {"kind": "villages", "file": _upload("v.xlsx", b"x")}
    )
    assert response.status_code == 403


def test_imported_village_names_reach_the_matcher_at_once(county_admin, django_capture_on_commit_callbacks):
    from cunwu.regions.models import Region
    from cunwu.regions.selectors import region_place_names

    village = Region.objects.get(code="530124103200")
    assert village.name in region_place_names(village)
    data = write_csv(["区划代码", "名称", "户数", "人口"], [["530124103200", "龙潭村委会", "700", "2300"]])
    with django_capture_on_commit_callbacks(execute=True):
        villages_import(actor=county_admin, data=data, filename="villages.csv")
    village.refresh_from_db()
    names = region_place_names(village)
    assert "龙潭村委会" in names and "大箐村委会" not in names
