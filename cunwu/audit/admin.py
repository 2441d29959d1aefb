from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log can be browsed in the admin but never changed or deleted there."""

    list_display = ("at", "actor_name", "action", "object_type", "object_id", "region_code", "ip")
    list_filter = ("action", "object_type")
    search_fields = ("actor_name", "object_id", "region_code")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
