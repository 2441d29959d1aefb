"""The county's element dictionary page: who may edit, errors at the field, the audited change."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from cunwu.audit.models import AuditEntry
from cunwu.errors import Forbidden
from cunwu.reporting import rules, services
from cunwu.reporting.models import DataElement
from cunwu.reporting.services import FieldIn

from .factories import make_request


@pytest.fixture
def element(department: Any) -> DataElement:
    form = make_request(department, [FieldIn("低保户数", "integer", "户")])
    return DataElement.objects.get(pk=form.fields.get().element_id)


def _posted(element: DataElement, **changes: Any) -> dict[str, Any]:
    data = {
        "code": element.code,
        "name": element.name,
        "synonyms": "",
        "type": element.type,
        "unit": element.unit,
        "definition": "",
        "department_id": element.department_id,
        "min_value": "",
        "max_value": "",
        "rollup": element.rollup,
    }
    return {**data, **changes}


def test_county_staff_edit_an_element_and_the_change_is_audited(
    client_for: Any, reviewer: Any, county: Any, element: DataElement
) -> None:
    url = f"/reporting/counties/{county.code}/elements/{element.pk}/"
    page = client_for(reviewer).post(
        url,
        _posted(
            element,
            name="最低生活保障户数",
            synonyms="低保户数\n城乡低保户数、低保户数",
            definition="当月享受农村最低生活保障的家庭户数。",
            min_value="0",
            max_value="5000",
            rollup="last",
        ),
    )
    assert page.status_code == 302
    element.refresh_from_db()
    assert element.name == "最低生活保障户数"
    assert element.synonyms == ["低保户数", "城乡低保户数"]
    assert (element.min_value, element.max_value, element.rollup) == (Decimal("0"), Decimal("5000"), "last")
    entry = AuditEntry.objects.get(action="reporting.element_update")
    assert entry.before is not None and entry.after is not None
    assert entry.before["name"] == "低保户数" and entry.after["name"] == "最低生活保障户数"
    listed = client_for(reviewer).get(f"/reporting/counties/{county.code}/elements/")
    assert "城乡低保户数" in listed.content.decode()


def test_errors_are_shown_at_the_field_keeping_what_was_typed(
    client_for: Any, reviewer: Any, county: Any, element: DataElement
) -> None:
    url = f"/reporting/counties/{county.code}/elements/{element.pk}/"
    page = client_for(reviewer).post(url, _posted(element, unit="箩筐", min_value="10", max_value="2"))
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert "不认识单位「箩筐」" in errors["unit"][0]
    assert errors["max_value"] == ["上限不能小于下限。"]
    assert 'value="箩筐"' in page.content.decode()
    element.refresh_from_db()
    assert element.unit == "户"
    assert not AuditEntry.objects.filter(action="reporting.element_update").exists()


def test_only_staff_who_integrate_forms_may_edit(
    client_for: Any, department: Any, clerk: Any, county: Any, element: DataElement
) -> None:
    url = f"/reporting/counties/{county.code}/elements/{element.pk}/"
    assert client_for(department).get(url).status_code == 403
    assert client_for(clerk).get(url).status_code == 404
    changes = services.ElementChanges(
        code=element.code,
        name="改名",
        synonyms=[],
        type=element.type,
        unit=element.unit,
        definition="",
        department_id=element.department_id,
        min_value=None,
        max_value=None,
        rollup=element.rollup,
    )
    with pytest.raises(Forbidden):
        services.element_update(actor=department, element=element, changes=changes)
    element.refresh_from_db()
    assert element.name == "低保户数"


def test_definition_rules_read_like_the_dictionary() -> None:
    units = ("户", "人", "万元")
    ok = rules.check_element_definition(
        name="低保户数", type="integer", unit="户", known_units=units, min_value=Decimal(0), max_value=None
    )
    assert ok == []
    text_with_unit = rules.check_element_definition(
        name="村名", type="text", unit="户", known_units=units, min_value=Decimal(1), max_value=None
    )
    assert [f for f, _ in text_with_unit] == ["unit", "min_value"]
    assert rules.check_element_definition(
        name=" ", type="integer", unit="", known_units=units, min_value=None, max_value=None
    ) == [("name", "请填写数据项名称。")]
