from __future__ import annotations

from django.db import models
from django.db.models import Q

from . import codes


class Level(models.TextChoices):
    PROVINCE = codes.PROVINCE, "省"
    PREFECTURE = codes.PREFECTURE, "州（市）"
    COUNTY = codes.COUNTY, "县（市、区）"
    TOWNSHIP = codes.TOWNSHIP, "乡镇（街道）"
    VILLAGE = codes.VILLAGE, "村"
    COMMUNITY = codes.COMMUNITY, "社区"


VILLAGE_LEVELS = (codes.VILLAGE, codes.COMMUNITY)


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

    @property
    def is_village(self) -> bool:
        return self.level in VILLAGE_LEVELS

    def subtree_q(self, field: str = "code") -> Q:
        low, high = codes.code_range(self.code, self.level)
        return Q(**{f"{field}__gte": low, f"{field}__lte": high})

    def contains(self, code: str) -> bool:
        low, high = codes.code_range(self.code, self.level)
        return low <= code <= high


class OrgKind(models.TextChoices):
    PARTY = "party", "村党组织"
    COMMITTEE = "committee", "村民委员会"
    SUPERVISION = "supervision", "村务监督委员会"
    COLLECTIVE = "collective", "村集体经济组织"
    DEPARTMENT = "department", "党政群机构"
    GOVERNMENT = "government", "党委和政府"


VILLAGE_ORG_KINDS = (OrgKind.PARTY, OrgKind.COMMITTEE, OrgKind.SUPERVISION, OrgKind.COLLECTIVE)


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
