"""What every page template may use without `{% load %}` (a template builtin, see settings.TEMPLATES).

- `code|label:"app"`: a code shown to people (a rule id, an outcome, a status, a problem) in the
  words of that app's label table (`<app>/labels.py`, `LABELS`). A code missing from the table is
  shown as it is, so the visible-text test (cunwu/tests/test_visible_text.py) catches it.
- `form|error_lines`: the lines of the error summary at the top of a page form (`_error_summary.html`),
  each with the id of the field it links to.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django import forms, template
from django.core.exceptions import NON_FIELD_ERRORS

from cunwu.plugins import app_modules

register = template.Library()


@cache
def label_tables() -> dict[str, dict[str, str]]:
    """{app: {code: label}} from each app's `labels.py` (read once per process)."""
    return {m.__name__.split(".")[1]: dict(m.LABELS) for m in app_modules("labels")}


def label_for(app: str, code: Any) -> str:
    table = label_tables().get(app, {})
    return table.get(str(code), str(code))


@register.filter(name="label")
def label_filter(code: Any, app: str) -> str:
    return label_for(app, code)


@dataclass(frozen=True)
class ErrorLine:
    anchor: str  # the id of the field's input ("" for a form-wide error)
    label: str
    message: str


def _anchor(bound: forms.BoundField) -> str:
    auto = bound.auto_id or ""
    if not auto:
        return ""
    widget = bound.field.widget
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return f"{auto}_0"  # the first choice: the group itself has no id
    return str(bound.id_for_label or auto)


@register.filter
def error_lines(form: Any) -> list[ErrorLine]:
    """Form-wide errors first, then each field's errors in the order the fields are shown."""
    if not isinstance(form, forms.BaseForm) or not form.errors:
        return []
    errors = form.errors
    lines = [ErrorLine("", "", str(m)) for m in errors.get(NON_FIELD_ERRORS, [])]
    for name in form.fields:
        for message in errors.get(name, []):
            bound = form[name]
            # The summary writes "label：message"; a label that is a question or ends in a colon
            # would print "？：" or "：：".
            label = str(bound.label or "").rstrip("？?：:。 ")
            lines.append(ErrorLine(_anchor(bound), label, str(message)))
    return lines


@register.filter
def error_count(files: Any) -> int:
    """How many messages a {input name: [message, …]} dict holds (0 for anything else)."""
    return sum(len(v) for v in files.values()) if isinstance(files, dict) else 0
