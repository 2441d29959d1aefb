"""`cunwu import-catalog`: the same all-or-nothing import from the command line."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from cunwu.catalogs.models import Revision, RevisionStatus
from cunwu.catalogs.selectors import catalog_item_get

from .helpers import FUMIN, RETAINED_HEADERS, VILLAGE, region, xlsx

GOOD = ["R05", "居住证明（富民县）", "", "《居住证暂行条例》", "", "派出所", "身份证明", ""]


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import-catalog", "cert_retained", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_and_approve(tmp_path, db):
    path = tmp_path / "富民县.xlsx"
    path.write_bytes(xlsx([RETAINED_HEADERS, GOOD]))
    out, _ = run(
        path,
        "--region",
        FUMIN,
        "--document",
        "富政办〔2024〕12号",
        "--effective",
        "2024-03-01",
        "--change",
        "改",
        "--approve",
    )
    revision = Revision.objects.get(document="富政办〔2024〕12号")
    assert revision.status == RevisionStatus.APPROVED and revision.change == "改" and "已批准" in out
    assert catalog_item_get("cert_retained", region(VILLAGE), "R05").name == "居住证明（富民县）"
    out, _ = run(path, "--region", FUMIN, "--document", "富政办〔2024〕12号", "--effective", "2024-03-01")
    assert "没有需要调整的内容" in out


def test_errors_are_listed_and_nothing_changes(tmp_path, db):
    path = tmp_path / "bad.csv"
    path.write_bytes((",".join(RETAINED_HEADERS) + "\n" + "R06,,,,,,,\n").encode("gbk"))
    before = Revision.objects.count()
    with pytest.raises(CommandError, match="未导入任何内容"):
        run(path, "--region", FUMIN, "--document", "x")
    assert Revision.objects.count() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "530124999999", "--document", "x"], "530124999999"),
        (["--region", FUMIN, "--document", "x", "--effective", "明天"], "无法识别的日期"),
        (["--region", "530124103000", "--document", "x"], "乡镇和村不能修改目录"),
    ],
)
def test_bad_options(tmp_path, db, args, message):
    path = tmp_path / "a.xlsx"
    path.write_bytes(xlsx([RETAINED_HEADERS, GOOD]))
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import-catalog", "cert_retained", str(path), *args, stdout=io.StringIO(), stderr=err)
    assert message in str(exc.value) + err.getvalue()


def test_missing_document_is_reported(tmp_path, db):
    path = tmp_path / "a.xlsx"
    path.write_bytes(xlsx([RETAINED_HEADERS, GOOD]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import-catalog", "cert_retained", str(path), "--region", FUMIN, stdout=io.StringIO(), stderr=err)
    assert "--document" in err.getvalue()
