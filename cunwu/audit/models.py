from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete a row of an append-only table."""


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk changes bypass save() and delete(); refuse them here too (PostgreSQL's trigger is the backstop)."""

    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("操作日志只能追加，不能修改。")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("操作日志只能追加，不能删除。")

    def bulk_update(self, objs: object, fields: object, batch_size: int | None = None) -> int:
        raise AppendOnlyError("操作日志只能追加，不能修改。")

    def update_or_create(self, *args: object, **kwargs: object) -> tuple[AuditEntry, bool]:  # type: ignore[override]
        raise AppendOnlyError("操作日志只能追加，不能修改。")


class AuditEntry(models.Model):
    """Who did what to which object, before and after, from where, when. Append-only."""

    # Indexed by audit_recent_idx (at DESC, id DESC), which serves ranges on `at` as well.
    at = models.DateTimeField("时间", default=timezone.now)
    # No database constraint and no cascade: a row outlives its actor's account untouched (actor_name
    # keeps who it was), since SET_NULL would be an UPDATE that the append-only trigger refuses.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField("操作人账号", max_length=150, blank=True)
    action = models.CharField("操作", max_length=64)  # searched with icontains only: no index serves it
    object_type = models.CharField("对象类型", max_length=64)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    region_code = models.CharField("区划代码", max_length=12, blank=True)  # indexed in Meta
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    ip = models.GenericIPAddressField("IP地址", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "操作日志"
        verbose_name_plural = "操作日志"
        ordering = ["-at", "-id"]
        indexes = [
            # The log's filter by kind of object (no query looks rows up by object_id).
            models.Index(fields=["object_type"], name="audit_object_type_idx"),
            # One village's or one province's rows for a period (docs/scaling.md).
            models.Index(fields=["region_code", "at"], name="audit_region_at_idx"),
            # The region filter's prefix match (LIKE '5301%'), which a default B-tree serves only under the
            # C collation; equality and ranges on region_code use audit_region_at_idx.
            models.Index(fields=["region_code"], name="audit_region_prefix_idx", opclasses=["varchar_pattern_ops"]),
            # The log's page order: the newest 50 read backwards from the index, not a sort of the scope.
            models.Index(fields=["-at", "-id"], name="audit_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AppendOnlyError("操作日志只能追加，不能修改。")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("操作日志只能追加，不能删除。")
