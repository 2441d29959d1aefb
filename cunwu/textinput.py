"""Text as people type it, made safe at the edge: before validation, storage or masking.

- Zero-width characters (U+200B…, the BOM, the soft hyphen) are stripped: pasted from chat apps
  they are invisible, and inside a name they would defeat masking (张\u200b三).
- Direction overrides and isolates (U+202A–202E, U+2066–2069, marks) and control characters
  (NUL included; tab and line breaks allowed) are refused with a message: they reorder or hide
  what a reviewer reads.
- ID numbers, phone numbers and codes are NFKC-normalised, so full-width digits (１２３) become ASCII
  before they are checked and stored; prose keeps its full-width Chinese punctuation.

Used centrally: `TextForm` (every page form), `SafeText` / `CodeText` (pydantic) and the API's
`TextParser` (every JSON body and query string).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from ninja.parser import Parser
from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from cunwu.errors import Invalid
from cunwu.invisible import clean_text, is_code_field, normalise_code, strip_invisible, text_problem

# --- page forms --------------------------------------------------------------------------------


def _cleaning(to_python: Callable[[Any], Any], code: bool) -> Callable[[Any], Any]:
    def to_python_clean(value: Any) -> Any:
        value = to_python(value)
        if not isinstance(value, str) or not value:
            return value
        try:
            return normalise_code(value) if code else clean_text(value)
        except ValueError as exc:
            raise ValidationError(str(exc), code="invisible_characters") from exc

    return to_python_clean


class CleanTextMixin:
    """Every text field of the form cleaned as above before its own validation; passwords untouched.

    `code_fields` names further fields to NFKC-normalise besides those `is_code_field` recognises.
    """

    code_fields: ClassVar[tuple[str, ...]] = ()
    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
                # Fields are copied per form instance, so wrapping this one's method touches no other form.
                code = name in self.code_fields or is_code_field(name)
                field.to_python = _cleaning(field.to_python, code)  # type: ignore[method-assign,assignment]


class TextForm(CleanTextMixin, forms.Form):
    """The base of every page form."""


# --- API schemas ---------------------------------------------------------------------------------


def _pydantic(clean: Callable[[str], str]) -> Callable[[Any], Any]:
    def validate(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return clean(value)
        except ValueError as exc:
            raise PydanticCustomError("invisible_characters", str(exc)) from exc

    return validate


SafeText = Annotated[str, AfterValidator(_pydantic(clean_text))]
# NFKC before the field's own length and pattern checks see the value.
CodeText = Annotated[str, BeforeValidator(_pydantic(normalise_code))]


class TextParser(Parser):
    """The API's parser: zero-width characters stripped from every string of a JSON body or query,
    direction overrides and control characters refused (422 at the field's path), and fields named
    like codes (`is_code_field`) NFKC-normalised, as the page forms do."""

    def parse_body(self, request: Any) -> Any:
        return _clean_tree(super().parse_body(request), ())

    def parse_querydict(self, data: Any, list_fields: list[str], request: Any) -> Any:
        return _clean_tree(super().parse_querydict(data, list_fields, request), ())


def clean_query(data: Any) -> dict[str, Any]:
    """A query string's parameters (the last value of each) as TextParser gives them to an operation:
    for the one endpoint served without django-ninja (certificates' verify), so it cleans alike."""
    return _clean_tree({key: data[key] for key in data}, ())


def _clean_tree(value: Any, path: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            raise Invalid.field(".".join(path), problem)
        named = next((p for p in reversed(path) if not p.isdigit()), "")
        return normalise_code(value) if is_code_field(named) else strip_invisible(value)
    if isinstance(value, dict):
        return {k: _clean_tree(v, (*path, str(k))) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean_tree(v, (*path, str(i))) for i, v in enumerate(value)]
    return value
