"""The one API at /api/v1/: wires the apps' routers and maps domain errors in one place."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.utils import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema

from cunwu import outage
from cunwu.accounts.api import router as accounts_router
from cunwu.admission.api import router as admission_router
from cunwu.apiauth import AUTH
from cunwu.catalogs.api import router as catalogs_router
from cunwu.certificates.api import router as certificates_router
from cunwu.complaints.api import router as complaints_router
from cunwu.errors import DomainError, Invalid
from cunwu.ledger.api import router as ledger_router
from cunwu.oversight.api import router as oversight_router
from cunwu.regions.api import router as regions_router
from cunwu.reporting.api import router as reporting_router
from cunwu.seals.api import router as seals_router
from cunwu.signs.api import router as signs_router
from cunwu.textinput import TextParser

# Every operation may answer these with {detail, code[, errors]} (mapped below); the schema says so,
# so that clients and the schema fuzzing in `make test` know them.
ERROR_STATUSES = {
    400: "请求无法处理",
    401: "未登录、令牌无效或用户名密码不正确",
    403: "没有权限",
    404: "找不到，或不在管辖范围内",
    405: "不支持的请求方法",
    409: "状态已变化（冲突）",
    413: "上传内容过大",
    422: "提交的内容有误",
    429: "请求过于频繁",
}
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["detail", "code"],
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}


class CunwuAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        for methods in schema["paths"].values():
            for operation in methods.values():
                for param in operation.get("parameters", []):
                    # Django's <int:…> converter matches digits only: a negative id never reaches the API.
                    if param.get("in") == "path" and param.get("schema", {}).get("type") == "integer":
                        param["schema"].setdefault("minimum", 0)
                responses = operation.setdefault("responses", {})
                for status, label in ERROR_STATUSES.items():
                    responses.setdefault(status, {"description": label, **error})
        return schema


api = CunwuAPI(
    title="cunwu 村务 API",
    version="1.0.0",
    description="云南省规范村级组织工作事务、机制牌子和证明事项平台接口。错误统一为 {detail, code}。",
    auth=AUTH,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=TextParser(),
)

# Each app's router declares its full paths (e.g. /catalogs/{kind}); all mount at the root.
for router in (
    accounts_router,
    regions_router,
    catalogs_router,
    admission_router,
    reporting_router,
    signs_router,
    certificates_router,
    seals_router,
    oversight_router,
    ledger_router,
    complaints_router,
):
    api.add_router("", router)


def _error(request: HttpRequest, status: int, detail: str, code: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "code": code, **extra}, status=status)


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_outage(request: HttpRequest, exc: Exception) -> HttpResponse:
    # The database is restarting or unreachable: 503 with Retry-After, even with DEBUG on.
    return outage.unavailable(request)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    extra = {}
    if isinstance(exc, Invalid):
        extra["errors"] = [{"field": e.field, "message": e.message} for e in exc.errors]
    return _error(request, exc.status, exc.detail, exc.code, **extra)


def _dotted(loc: list[Any]) -> str:
    # ninja prefixes locations with the parameter source ("body", "query", the payload name).
    parts = [str(p) for p in loc]
    while parts and parts[0] in {"body", "query", "path", "form", "header", "cookie", "payload", "data"}:
        parts = parts[1:]
    return ".".join(parts)


_MESSAGES = {
    "missing": "此项为必填项。",
    "string_type": "应为文本。",
    "int_type": "应为整数。",
    "int_parsing": "应为整数。",
    "float_type": "应为数字。",
    "float_parsing": "应为数字。",
    "bool_type": "应为 true 或 false。",
    "bool_parsing": "应为 true 或 false。",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD，例如 2027-03-01。",
    "date_parsing": "日期格式应为 YYYY-MM-DD，例如 2027-03-01。",
    "date_type": "日期格式应为 YYYY-MM-DD，例如 2027-03-01。",
    "list_type": "应为数组。",
    "dict_type": "应为对象。",
    "model_attributes_type": "应为对象。",
    "json_invalid": "请求体不是有效的 JSON。",
    "greater_than_equal": "数值过小。",
    "greater_than": "数值过小。",
    "less_than_equal": "数值过大。",
    "string_too_long": "内容过长。",
    "string_too_short": "内容不能为空。",
    "too_short": "不能为空。",
    "too_long": "条目过多。",
    "enum": "不在可选范围内。",
    "literal_error": "不在可选范围内。",
    "extra_forbidden": "不认识的字段。",
}


def zh_message(err: dict[str, Any]) -> str:
    """A Chinese message for a pydantic error; our own validators already speak Chinese."""
    kind = err.get("type", "")
    msg = str(err.get("msg", ""))
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    if kind in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
        limit = next(iter((err.get("ctx") or {}).values()), "")
        words = {
            "greater_than_equal": "不能小于",
            "greater_than": "应大于",
            "less_than_equal": "不能大于",
            "less_than": "应小于",
        }
        return f"数值{words[kind]} {limit}。"
    if kind in {"string_too_long", "too_long"}:
        limit = (err.get("ctx") or {}).get("max_length", "")
        return f"内容过长，最多 {limit} 个字符。" if kind == "string_too_long" else f"条目过多，最多 {limit} 条。"
    if kind in {"enum", "literal_error"}:
        expected = (err.get("ctx") or {}).get("expected", "")
        return f"不在可选范围内（可选：{expected}）。" if expected else "不在可选范围内。"
    return _MESSAGES.get(kind, "内容不符合要求。")


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [{"field": _dotted(list(e.get("loc", []))), "message": zh_message(e)} for e in exc.errors]
    detail = "；".join(f"{e['field']}：{e['message']}" if e["field"] else e["message"] for e in errors[:3])
    return _error(request, 422, detail or "提交的内容有误。", "validation_error", errors=errors)


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "请先登录，或提供有效的访问令牌（Authorization: Bearer …）。", "not_authenticated")


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "找不到该资源。", "not_found")


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, "您没有执行此操作的权限。", "forbidden")


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, DomainError):  # the parser refused a field (cunwu.textinput)
        return domain_error(request, exc.__cause__)
    if isinstance(exc.__cause__, ValueError):  # ninja could not parse the body: not JSON, or not UTF-8
        return _error(request, 422, "请求体不是有效的 JSON。", "validation_error", errors=[])
    codes = {
        400: "bad_request",
        401: "not_authenticated",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        429: "rate_limited",
    }
    detail = str(exc) if any("\u4e00" <= ch <= "\u9fff" for ch in str(exc)) else "请求无法处理。"
    return _error(request, exc.status_code, detail, codes.get(exc.status_code, "error"))
