"""Villagers' satisfaction survey （五）, posts under 大岗位制 （六）, facility funding and estates' premises （七）,
and how the facility is used （八）.

Survey answers carry no link to the one-time code that admitted them: a code row keeps only its hash and
whether it was used, never when or by which answer.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

# --- （五） villagers' satisfaction -----------------------------------------------------------------


class SurveySetting(models.Model):
    """A county's setting for the satisfaction survey: answers needed before a village's score counts."""

    county = models.OneToOneField("regions.Region", verbose_name="县", on_delete=models.PROTECT, related_name="+")
    min_answers = models.PositiveIntegerField("计分所需最少答卷数", default=30)

    class Meta:
        verbose_name = "满意度测评设置"
        verbose_name_plural = "满意度测评设置"
        constraints = [models.CheckConstraint(condition=Q(min_answers__gte=1), name="villagework_min_answers_positive")]

    def __str__(self) -> str:
        return f"{self.county_id} 最少 {self.min_answers} 份"


class Survey(models.Model):
    """The county's satisfaction survey of one village for one year's evaluation （五）."""

    evaluation = models.ForeignKey(
        "admission.Evaluation", verbose_name="统一考评", on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey("regions.Region", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="+")
    opens_on = models.DateField("开始日期")
    closes_on = models.DateField("截止日期")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "群众满意度测评"
        verbose_name_plural = "群众满意度测评"
        ordering = ["village_id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "village"], name="villagework_one_survey_per_village"),
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="villagework_survey_window"),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} 满意度测评"


class SurveyCode(models.Model):
    """A one-time code handed out on paper: only its keyed hash is kept, and whether it has been used."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = "测评码"
        verbose_name_plural = "测评码"

    def __str__(self) -> str:
        return f"测评码 {self.pk}"


class SurveyAnswer(models.Model):
    """One villager's anonymous answer: the day it came in and the marks, nothing that names a code or person."""

    # A random key, not a sequence: the order of answers must not line up with the order of audit rows.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="answers")
    answered_on = models.DateField("答卷日期")
    marks = models.JSONField("各题评分（1–5）")
    score = models.DecimalField("折算得分（百分制）", max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = "满意度答卷"
        verbose_name_plural = "满意度答卷"
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100), name="villagework_answer_score_range")
        ]

    def __str__(self) -> str:
        return f"答卷 {self.pk}"


# --- （六） posts under 大岗位制 ------------------------------------------------------------------------


class Employment(models.TextChoices):
    FULL = "full", "专职"
    PART = "part", "兼职"


class Post(models.Model):
    """A village post (岗位) with the duties merged into it and the person holding it （六）."""

    village = models.ForeignKey("regions.Region", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("岗位名称", max_length=100)
    holder_name = models.CharField("在岗人员", max_length=50, blank=True)
    employment = models.CharField("专职或兼职", max_length=8, choices=Employment.choices)
    duty_codes = models.JSONField("整合的清单事项编号", default=list)
    mechanism_ids = models.JSONField("服务的工作机制", default=list)
    duties_note = models.CharField("岗位职责说明", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "村级岗位"
        verbose_name_plural = "村级岗位"
        ordering = ["village_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(employment__in=Employment.values), name="villagework_post_employment"),
            models.CheckConstraint(condition=~Q(title=""), name="villagework_post_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title


class ConditionKind(models.TextChoices):
    FUNDING = "funding", "经费"
    EQUIPMENT = "equipment", "设备"
    TRAINING = "training", "培训"


class PostCondition(models.Model):
    """A working condition the county guarantees for a post （六）."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="conditions")
    kind = models.CharField("保障类别", max_length=16, choices=ConditionKind.choices)
    description = models.CharField("保障内容", max_length=300)
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    guaranteed_on = models.DateField("落实日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "岗位工作条件保障"
        verbose_name_plural = "岗位工作条件保障"
        ordering = ["post_id", "guaranteed_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ConditionKind.values), name="villagework_condition_kind"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="villagework_condition_amount"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} {self.get_kind_display()}"


# --- （七） funding and new estates -------------------------------------------------------------------


class FundKind(models.TextChoices):
    FUND = "fund", "资金"
    RESOURCE = "resource", "资源"
    PROJECT = "project", "项目"


class FundStatus(models.TextChoices):
    PLANNED = "planned", "已列入计划"
    ALLOCATED = "allocated", "已下达"
    DONE = "done", "已完成"


class Funding(models.Model):
    """Funds, resources or projects the county integrates for a village's facility （七）."""

    village = models.ForeignKey("regions.Region", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=16, choices=FundKind.choices)
    title = models.CharField("名称", max_length=200)
    source_department = models.CharField("来源部门", max_length=64)
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2, default=0)
    year = models.PositiveIntegerField("年度")
    status = models.CharField("状态", max_length=16, choices=FundStatus.choices, default=FundStatus.PLANNED)
    adds_area = models.DecimalField("新增设施面积（平方米）", max_digits=9, decimal_places=2, default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "设施整合资金资源项目"
        verbose_name_plural = "设施整合资金资源项目"
        ordering = ["village_id", "-year", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=FundKind.values), name="villagework_funding_kind"),
            models.CheckConstraint(condition=Q(status__in=FundStatus.values), name="villagework_funding_status"),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(adds_area__gte=0), name="villagework_funding_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EstateKind(models.TextChoices):
    NEW = "new", "新建"
    REBUILT = "rebuilt", "改建"


class Estate(models.Model):
    """A new or rebuilt residential estate and the premises it must hand over free （七）."""

    village = models.ForeignKey("regions.Region", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("小区名称", max_length=100)
    kind = models.CharField("新建或改建", max_length=8, choices=EstateKind.choices)
    households = models.PositiveIntegerField("规划户数")
    area_due = models.DecimalField("应无偿提供面积（平方米）", max_digits=9, decimal_places=2)
    area_built = models.DecimalField("已建成用房面积（平方米）", max_digits=9, decimal_places=2, default=0)
    area_handed_over = models.DecimalField("已移交面积（平方米）", max_digits=9, decimal_places=2, default=0)
    handed_over_on = models.DateField("移交日期", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "新建改建住宅小区配套用房"
        verbose_name_plural = "新建改建住宅小区配套用房"
        ordering = ["village_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EstateKind.values), name="villagework_estate_kind"),
            models.CheckConstraint(
                condition=Q(area_handed_over__lte=F("area_built")), name="villagework_estate_handed_over_le_built"
            ),
            models.CheckConstraint(
                condition=Q(area_built__gte=0) & Q(area_handed_over__gte=0) & Q(area_due__gte=0),
                name="villagework_estate_areas_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name


# --- （八） how the facility is used ------------------------------------------------------------------


class AreaUse(models.Model):
    """Office area against residents' activity area of a village's facility, as measured on a date （八）."""

    village = models.ForeignKey("regions.Region", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="+")
    measured_on = models.DateField("测量日期")
    office_area = models.DecimalField("办公用房面积（平方米）", max_digits=9, decimal_places=2)
    residents_area = models.DecimalField("居民活动区域面积（平方米）", max_digits=9, decimal_places=2)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "办公与居民活动面积"
        verbose_name_plural = "办公与居民活动面积"
        ordering = ["village_id", "measured_on"]
        constraints = [
            models.UniqueConstraint(fields=["village", "measured_on"], name="villagework_area_use_once_a_day"),
            models.CheckConstraint(
                condition=Q(office_area__gte=0)
                & Q(residents_area__gte=0)
                & (Q(office_area__gt=0) | Q(residents_area__gt=0)),
                name="villagework_area_use_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.measured_on}"


class Presence(models.TextChoices):
    ORGANISATION = "organisation", "村级组织"
    MECHANISM = "mechanism", "工作机制"
    SERVICE = "service", "一站式服务事项"
    STATION = "station", "新时代文明实践站"


class FacilityPresence(models.Model):
    """Who works in the facility and what is given there, from a date until a date （八）."""

    village = models.ForeignKey("regions.Region", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=16, choices=Presence.choices)
    name = models.CharField("名称", max_length=100)
    mechanism_id = models.PositiveIntegerField("工作机制登记号", null=True, blank=True)
    since = models.DateField("起始日期")
    until = models.DateField("结束日期", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "设施内组织与服务"
        verbose_name_plural = "设施内组织与服务"
        ordering = ["village_id", "kind", "since", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Presence.values), name="villagework_presence_kind"),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")), name="villagework_presence_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TeamVisit(models.Model):
    """A comprehensive service team sent down to the village, on its schedule （八）."""

    village = models.ForeignKey("regions.Region", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="+")
    team = models.CharField("服务团队", max_length=100)
    sent_by = models.CharField("派出单位", max_length=64)
    visit_on = models.DateField("驻村服务日期")
    services = models.CharField("服务内容", max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "下沉服务团队日程"
        verbose_name_plural = "下沉服务团队日程"
        ordering = ["village_id", "visit_on", "id"]

    def __str__(self) -> str:
        return f"{self.team} {self.visit_on}"
