"""How the access matrix is walked: personas, the rule language, the URL conf and the API schema.

The expected statuses themselves live in `access_table.py` (one table); this module only turns a
rule into persona → status and finds every page and operation that needs a row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from cunwu.accounts.permissions import ROLE_PERMISSIONS

# persona → (demo username or None for the public, the role whose permissions it holds)
PERSONAS: dict[str, tuple[str | None, str | None]] = {
    "anonymous": (None, None),
    "clerk": ("village_clerk", "village_clerk"),
    "other_clerk": ("village_clerk2", "village_clerk"),
    "head": ("village_head", "village_head"),
    "custodian": ("seal_custodian", "seal_custodian"),
    "supervisor": ("supervisor", "supervisor"),
    "township": ("township_officer", "township_officer"),
    "reviewer": ("county_reviewer", "county_reviewer"),
    "county_admin": ("county_admin", "county_admin"),
    "department": ("department_officer", "department_officer"),
    "other_department": ("department_officer2", "department_officer"),
    "auditor": ("auditor", "auditor"),
    "prefecture": ("prefecture_admin", "prefecture_admin"),
    "province": ("province_admin", "province_admin"),
}
# Who lies outside the first village's scope by default: the clerk of another village, and both
# department officers (a department sees its own department's records, not a village's).
OUTSIDE = frozenset({"other_clerk", "department", "other_department"})


@dataclass(frozen=True)
class Row:
    """The expected status of one page or operation for every persona.

    `rule` is one of
      "public"        everyone gets `ok`;
      "signed_in"     the public is sent to sign in (302 for pages, 401 for the API), everyone else `ok`;
      "perm:P"        signed in with permission P (anywhere) → `ok`, without → 403;
      "obj:P"         an object of the first village: outside its scope → 404, inside without P → 403,
                      inside with P → `ok` (`outside` names who is outside; default OUTSIDE);
      "none"          nobody gets through (e.g. a POST-only action asked with GET: 405).
    `ok` is the success status (200, or 405 for a POST-only action asked with GET), `status`
    overrides single personas, `kw` names the world values for the URL's path converters.
    """

    rule: str
    status: dict[str, int] = field(default_factory=dict)
    kw: dict[str, str] = field(default_factory=dict)
    ok: int = 200
    outside: frozenset[str] = OUTSIDE
    body: Any = None

    def expected(self, *, api: bool) -> dict[str, int]:
        out: dict[str, int] = {}
        anonymous = 401 if api else 302
        kind, _, perm = self.rule.partition(":")
        for persona, (_, role) in PERSONAS.items():
            perms = ROLE_PERMISSIONS.get(role or "", frozenset())
            if kind == "public":
                status = self.ok
            elif role is None:
                status = anonymous
            elif kind == "signed_in":
                status = self.ok
            elif kind == "perm":
                status = self.ok if perm in perms else 403
            elif kind == "obj":
                status = 404 if persona in self.outside else (self.ok if perm in perms else 403)
            elif kind == "none":
                status = self.ok
            else:
                raise ValueError(f"unknown rule {self.rule!r}")
            out[persona] = self.status.get(persona, status)
        return out


def page_patterns() -> Iterator[tuple[str, Any]]:
    """(namespaced URL name, pattern) for every named page in the URL conf, the API excluded."""

    def walk(patterns: Any, namespace: str) -> Iterator[tuple[str, Any, list[Any]]]:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else (p.namespace or namespace)
                for name, leaf, chain in walk(p.url_patterns, ns):
                    yield name, leaf, [p, *chain]
            elif isinstance(p, URLPattern):
                yield (f"{namespace}:{p.name}" if namespace else str(p.name)), p, []

    for name, leaf, _ in walk(get_resolver().url_patterns, ""):
        if name.startswith("api:") or str(leaf.pattern).startswith("api/"):
            continue  # the API is walked from its schema (certificates' verify_view serves an operation's path)
        yield name, leaf


def pattern_params(pattern: Any) -> list[str]:
    """The names of a URL pattern's path converters (or regex groups), e.g. ["code", "kind"]."""
    own = getattr(pattern.pattern, "converters", None)
    return list(own) if own else list(pattern.pattern.regex.groupindex)


def api_operations(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """("GET /api/v1/seals/{seal_id}", path, operation) for every operation of the OpenAPI schema."""
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            yield f"{method.upper()} {path}", path, op


_BRACES = re.compile(r"{(\w+)}")


def fill_path(path: str, values: dict[str, Any]) -> str:
    return _BRACES.sub(lambda m: str(values[m.group(1)]), path)


class Caller:
    """One client per persona; every request runs in a savepoint that is rolled back afterwards."""

    def __init__(self) -> None:
        from cunwu.accounts.models import User
        from cunwu.accounts.services import api_token_issue

        self.pages: dict[str, Client] = {}
        self.tokens: dict[str, str] = {}
        for persona, (username, _) in PERSONAS.items():
            client = Client()
            if username:
                person = User.objects.get(username=username)
                client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
                self.tokens[persona], _token = api_token_issue(user=person, label="access matrix")
            self.pages[persona] = client
        self.api = Client()

    def page(self, persona: str, url: str) -> int:
        return self._rolled_back(lambda: self.pages[persona].get(url))

    def operation(self, persona: str, method: str, url: str, body: Any) -> int:
        token = self.tokens.get(persona)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        call = getattr(self.api, method.lower())
        if method in ("GET", "DELETE"):
            return self._rolled_back(lambda: call(url, headers=headers))
        payload = {} if body is None else body
        return self._rolled_back(lambda: call(url, payload, content_type="application/json", headers=headers))

    @staticmethod
    def _rolled_back(request: Any) -> int:
        from django.core.cache import cache

        cache.clear()  # rate-limit counters must not turn a later request into a 429
        with transaction.atomic():
            response = request()
            transaction.set_rollback(True)
        return int(response.status_code)
