"""Template helpers of the seals pages."""

from __future__ import annotations

from typing import Any

from django import template

from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for

register = template.Library()


@register.inclusion_tag("seals/_nav.html", takes_context=True)
def seal_nav(context: dict[str, Any]) -> dict[str, Any]:
    """The seals area's own menu; oversight only for those who may see it."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"show_oversight": scope_for(user).has(Perm.OVERSIGHT_VIEW)}
