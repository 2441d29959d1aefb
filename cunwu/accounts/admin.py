from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from .models import ApiToken, Membership, Notification, User


class MembershipInline(admin.TabularInline):
    """Shown, never edited: a role is granted only through 人员账号, where the grant rule and audit apply."""

    model = Membership
    fk_name = "user"
    extra = 0
    readonly_fields = ("role", "region", "organisation", "granted_by")
    fields = readonly_fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "is_active", "last_login")
    search_fields = ("username", "display_name")
    inlines = [MembershipInline]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("村务", {"fields": ("display_name", "phone", "must_change_password")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "label", "created_at", "expires_at", "revoked_at", "last_used_at")
    readonly_fields = ("key_hash",)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "user", "role", "region", "created_at", "done_at")
    list_filter = ("kind",)
