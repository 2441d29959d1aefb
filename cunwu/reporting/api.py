"""API operations of the reporting app (mounted at /api/v1/ by cunwu/api.py), DESIGN.md §4."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Query, Router, Schema, UploadedFile

from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.errors import FieldError, Forbidden, Invalid

from . import compare, selectors
from .formfiles import Form, FormFileError, read_form

router = Router(tags=["填表报数"])


def _require_staff(request: HttpRequest) -> None:
    if not scope_for(request.user).has(Perm.FORM_VIEW):
        raise Forbidden("只有工作人员可以解析表格。")


def _read(upload: UploadedFile, field: str) -> Form:
    name = upload.name or "表格"
    try:
        return read_form(upload.read(), name)
    except FormFileError as exc:
        raise Invalid(exc.message, [FieldError(field, exc.message)], code=exc.code) from exc


@router.post("/reporting/forms/parse", summary="解析部门表格：表头、单位、类型、列的作用（四）")
def forms_parse(request: HttpRequest, file: File[UploadedFile]) -> dict[str, Any]:
    """Read one uploaded form (xlsx, xls, csv); nothing is saved."""
    _require_staff(request)
    return _read(file, "file").as_api()


@router.post("/reporting/forms/compare", summary="比对多张部门表格中重复采集的数据项（四）")
def forms_compare(request: HttpRequest, files: File[list[UploadedFile]]) -> dict[str, Any]:
    """Columns of different forms that collect the same datum, with unit factors; nothing is saved."""
    _require_staff(request)
    if len(files) < 2:
        raise Invalid.field("files", "请至少上传两张表格进行比对。")
    forms = [_read(f, f"files.{i}") for i, f in enumerate(files)]
    found = compare.overlaps([f.columns for f in forms], titles=[f.name for f in forms])
    return {
        "forms": [{"name": f.name, "columns": [c.as_api() for c in f.columns]} for f in forms],
        "overlaps": [o.as_api() for o in found],
    }


class ValuesQuery(Schema):
    element: str = ""
    period: str = ""
    region: str = ""


@router.get("/reporting/values", summary="部门取用本部门数据项的填报值（element × period × region）")
def values(request: HttpRequest, filters: Query[ValuesQuery]) -> dict[str, Any]:
    """Like DHIS2 dataValueSets: the department's own elements only (403 for others)."""
    items = selectors.values_for(request.user, element=filters.element, period=filters.period, region=filters.region)
    return {"count": len(items), "items": items}
