from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from . import codes, search
from .choices import VILLAGE_ORG_KINDS, Level, OrgKind

__all__ = ["VILLAGE_LEVELS", "VILLAGE_ORG_KINDS", "Level", "OrgKind", "Organisation", "Region"]


VILLAGE_LEVELS = codes.VILLAGE_LEVELS


class Region(models.Model):
    """One division of the 5-level tree, keyed by its 12-digit statistical code."""

    code = models.CharField("区划代码", max_length=12, primary_key=True)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("层级", max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    households = models.PositiveIntegerField("户数", null=True, blank=True)
    population = models.PositiveIntegerField("人口", null=True, blank=True)
    generated = models.BooleanField("演示生成", default=False, help_text="演示或压测生成的村（社区），非真实数据")
    # Precomputed from the name (regions.search): finding a place by pinyin or initials reads these.
    search_pinyin = models.CharField("拼音检索词", max_length=search.MAX_PINYIN, blank=True, default="", editable=False)
    search_initials = models.CharField(
        "拼音首字母检索词", max_length=search.MAX_INITIALS, blank=True, default="", editable=False
    )

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"])]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{12}$"), name="region_code_12_digits"),
            models.CheckConstraint(condition=Q(level__in=[lv.value for lv in Level]), name="region_level_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_search_keys()
        fields = kwargs.get("update_fields")
        if fields is not None and "name" in fields:
            kwargs["update_fields"] = {*fields, "search_pinyin", "search_initials"}
        super().save(*args, **kwargs)

    def fill_search_keys(self) -> Region:
        """Set the pinyin keys from the name (bulk_create skips save(), so seeding calls this itself)."""
        self.search_pinyin, self.search_initials = search.search_keys(self.name)
        return self

    @property
    def is_village(self) -> bool:
        return self.level in VILLAGE_LEVELS

    def subtree_q(self, field: str = "code") -> Q:
        low, high = codes.code_range(self.code, self.level)
        return Q(**{f"{field}__gte": low, f"{field}__lte": high})

    def contains(self, code: str) -> bool:
        return codes.within(code, self.code, self.level)


class Organisation(models.Model):
    """A body at a region: a village's four organisations, or a department (党政群机构) above it."""

    region = models.ForeignKey(Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="organisations")
    name = models.CharField("名称", max_length=128)
    short_name = models.CharField("简称", max_length=64, blank=True)
    kind = models.CharField("类别", max_length=16, choices=OrgKind.choices)
    active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "组织机构"
        verbose_name_plural = "组织机构"
        ordering = ["region_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="organisation_unique_name_per_region"),
            models.CheckConstraint(condition=Q(kind__in=[k.value for k in OrgKind]), name="organisation_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name
