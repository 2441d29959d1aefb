"""Domain errors. Services and selectors raise these; pages and the API map them in one place."""

from __future__ import annotations

from dataclasses import dataclass, field


class DomainError(Exception):
    """Base class: a Chinese message for people and a stable snake_case code for clients."""

    status = 400
    default_code = "bad_request"

    def __init__(self, detail: str, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code or self.default_code


class NotFound(DomainError):
    """Unknown, or outside the caller's scope: the two look the same on purpose."""

    status = 404
    default_code = "not_found"


class Forbidden(DomainError):
    status = 403
    default_code = "forbidden"


class Conflict(DomainError):
    """Someone else got there first, or the object is no longer in a state that allows this."""

    status = 409
    default_code = "conflict"


@dataclass
class FieldError:
    field: str
    message: str


class Invalid(DomainError):
    """Validation failed; `errors` point at fields with dotted paths (signs.2.placement)."""

    status = 422
    default_code = "validation_error"

    def __init__(self, detail: str, errors: list[FieldError] | None = None, code: str | None = None) -> None:
        super().__init__(detail, code)
        self.errors: list[FieldError] = errors or []

    @classmethod
    def field(cls, field: str, message: str) -> Invalid:
        return cls(message, [FieldError(field, message)])


@dataclass
class Problems:
    """Collects field errors so a whole form is reported at once."""

    items: list[FieldError] = field(default_factory=list)

    def add(self, field: str, message: str) -> None:
        self.items.append(FieldError(field, message))

    def raise_if_any(self, detail: str = "提交的内容有误，请按提示修改。") -> None:
        if self.items:
            raise Invalid(detail, list(self.items))
