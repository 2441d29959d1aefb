from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .navigation import nav_groups_for, public_nav
from .selectors import notification_list_for


def header(request: HttpRequest) -> dict[str, Any]:
    """Menu entries and the count of open notifications for the page header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_groups": [], "public_nav_items": public_nav(), "notification_count": 0}
    return {
        "nav_groups": nav_groups_for(user),
        "public_nav_items": public_nav(),
        "notification_count": notification_list_for(user).count(),
    }
