"""The label tables, the error summary's lines and the pending uploads (issue 16)."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.sessions.backends.db import SessionStore
from django.template import engines
from django.test import RequestFactory

from cunwu.admission import rules as admission_rules
from cunwu.documents.pending import PendingUploads
from cunwu.pagetext import error_lines, label_for, label_tables
from cunwu.textinput import TextForm


def test_every_admission_code_shown_to_people_has_a_label() -> None:
    table = label_tables()["admission"]
    codes = [admission_rules.IN_CATALOG, admission_rules.NEEDS_REVIEW, admission_rules.REJECTED, *admission_rules.RULES]
    assert all(table.get(code) for code in codes)
    assert label_for("admission", "needs_review") == "须县级审查"
    assert label_for("admission", "pledge") == "要求签订责任状（责任书、承诺书）"
    # Unknown codes show as they are, so the visible-text test names them.
    assert label_for("admission", "no_such_code") == "no_such_code"


def test_the_label_filter_needs_no_load() -> None:
    template = engines["django"].from_string('{{ code|label:"admission" }}')
    assert template.render({"code": "rejected"}) == "不予通过"


class _Form(TextForm):
    name = forms.CharField(label="姓名")
    kinds = forms.MultipleChoiceField(label="材料", choices=[("a", "甲")], widget=forms.CheckboxSelectMultiple)

    def clean(self) -> dict[str, Any]:
        raise forms.ValidationError("整张表有误")


def test_error_lines_link_each_field_and_list_form_errors_first() -> None:
    form = _Form({})
    lines = error_lines(form)
    assert [(ln.anchor, ln.label) for ln in lines] == [("", ""), ("id_name", "姓名"), ("id_kinds_0", "材料")]
    assert lines[0].message == "整张表有误"
    assert error_lines(_Form()) == [] and error_lines(None) == []


def test_the_error_summary_is_an_alert_that_takes_focus() -> None:
    html = engines["django"].get_template("_error_summary.html").render({"form": _Form({})})
    assert 'role="alert"' in html and 'tabindex="-1"' in html and "data-error-summary" in html
    assert '<a href="#id_name">姓名：' in html


def _request(session: SessionStore, data: dict[str, str] | None = None) -> Any:
    request = RequestFactory().post("/", data or {})
    request.session = session
    return request


@pytest.mark.django_db
def test_pending_uploads_are_kept_per_session_and_form_then_replaced_or_let_go() -> None:
    mine, theirs = SessionStore(), SessionStore()
    first = PendingUploads(_request(mine), "form:1")
    assert first.resolve("materials", [("租赁合同.pdf", b"%PDF-1")]) == [("租赁合同.pdf", b"%PDF-1")]
    first.keep()

    again = PendingUploads(_request(mine), "form:1")
    assert again.names() == {"materials": ["租赁合同.pdf"]}
    assert again.resolve("materials", []) == [("租赁合同.pdf", b"%PDF-1")]  # nothing chosen: the kept file
    assert PendingUploads(_request(theirs), "form:1").names() == {}  # another session sees nothing
    assert PendingUploads(_request(mine), "form:2").names() == {}  # nor does another form
    assert "form:1" not in again.key and str(mine.session_key) not in again.key  # hashed

    replaced = PendingUploads(_request(mine), "form:1")
    assert replaced.resolve("materials", [("新.pdf", b"%PDF-2")]) == [("新.pdf", b"%PDF-2")]
    dropped = PendingUploads(_request(mine, {"drop_materials": "1"}), "form:1")
    assert dropped.resolve("materials", []) == []
    dropped.keep()
    assert PendingUploads(_request(mine), "form:1").names() == {}


@pytest.mark.django_db
def test_pending_uploads_go_when_the_submit_succeeds() -> None:
    session = SessionStore()
    pending = PendingUploads(_request(session), "form:1")
    pending.resolve("materials", [("a.pdf", b"x")])
    pending.keep()
    PendingUploads(_request(session), "form:1").clear()
    assert PendingUploads(_request(session), "form:1").names() == {}


def test_a_question_label_is_not_followed_by_a_second_mark_in_the_summary() -> None:
    class Survey(forms.Form):
        q1 = forms.ChoiceField(label="村里办事是否方便？", choices=[("5", "很满意")], widget=forms.RadioSelect)
        code = forms.CharField(label="测评码：")

    lines = error_lines(Survey({}))
    assert [ln.label for ln in lines] == ["村里办事是否方便", "测评码"]
