"""Oversight （十五）（十六）: burden figures pre-aggregated from every app, the burden index and its
formula versions, alerts, implementation ledgers and the progress reports sent upward.

Oversight never reads another app's tables: `FigureCount` rows come from each app's `burden.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

USER = settings.AUTH_USER_MODEL


class FigureCount(models.Model):
    """One app's count of one figure for one region code, month and (optional) department or agency."""

    figure = models.CharField("指标", max_length=64)
    region_code = models.CharField("区划代码", max_length=12)
    month = models.CharField("月份", max_length=7)
    subject = models.CharField("部门或单位", max_length=128, blank=True)
    count = models.PositiveIntegerField("数量")

    class Meta:
        verbose_name = "负担指标月度数"
        verbose_name_plural = "负担指标月度数"
        constraints = [
            models.UniqueConstraint(fields=["month", "figure", "region_code", "subject"], name="oversight_count_once"),
            models.CheckConstraint(condition=Q(month__regex=r"^[0-9]{4}-[0-9]{2}$"), name="oversight_count_month"),
        ]
        indexes = [models.Index(fields=["region_code", "month"])]

    def __str__(self) -> str:
        return f"{self.figure} {self.region_code} {self.month} {self.count}"


class MonthRefresh(models.Model):
    """When a month's counts were last recomputed from the apps (the incremental refresh's clock)."""

    month = models.CharField("月份", max_length=7, primary_key=True)
    refreshed_at = models.DateTimeField("刷新时间")

    class Meta:
        verbose_name = "月度刷新记录"
        verbose_name_plural = "月度刷新记录"

    def __str__(self) -> str:
        return f"{self.month} @ {self.refreshed_at:%Y-%m-%d %H:%M:%S}"


class Formula(models.Model):
    """One version of the burden index formula: weights (sum 100), reference counts and threshold.

    Versions are never edited: a change writes the next version, so old values stay reproducible.
    """

    version = models.PositiveIntegerField("版本", unique=True)
    weights = models.JSONField("权重", default=dict)
    references = models.JSONField("参照值（每村每月）", default=dict)
    threshold = models.FloatField("预警阈值")
    note = models.CharField("调整说明", max_length=300, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "负担指数公式"
        verbose_name_plural = "负担指数公式"
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(condition=Q(threshold__gte=0) & Q(threshold__lte=100), name="oversight_threshold")
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


class RegionScore(models.Model):
    """The burden index of one region for one period, as computed with one formula version.

    Village rows exist only for villages with any count (the others score 0); rows above a village
    carry sums over the subtree, the mean of its villages' indexes and the share over the threshold.
    """

    region_code = models.CharField("区划代码", max_length=12)
    period = models.CharField("期间", max_length=7)
    level = models.CharField("层级", max_length=16)
    formula_version = models.PositiveIntegerField("公式版本")
    index = models.FloatField("负担指数")
    components = models.JSONField("分项", default=dict)
    villages = models.PositiveIntegerField("村（社区）数", default=0)
    villages_over = models.PositiveIntegerField("超过预警阈值的村数", default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "负担指数"
        verbose_name_plural = "负担指数"
        constraints = [models.UniqueConstraint(fields=["period", "region_code"], name="oversight_score_once")]
        indexes = [models.Index(fields=["region_code", "period"])]

    def __str__(self) -> str:
        return f"{self.region_code} {self.period} {self.index}"


class AlertRule(models.Model):
    """A rule over the figures, as data: which figure, counted how, over which window, what threshold."""

    code = models.SlugField("规则编号", max_length=48, unique=True)
    label = models.CharField("名称", max_length=100)
    clause = models.CharField("条款", max_length=16)
    figure = models.CharField("指标", max_length=64)
    per = models.CharField(
        "统计对象",
        max_length=12,
        choices=[
            ("village", "每个村（社区）"),
            ("subject", "每个部门或单位（县内）"),
            ("county", "每个县（市、区）"),
            ("ledger", "工作台账逾期事项"),
        ],
    )
    window_months = models.PositiveSmallIntegerField("统计月数", default=3)
    threshold = models.PositiveIntegerField("阈值（达到即预警）")
    # A county's own figure where it set one (the county's meeting plan per village and month): code → number
    county_thresholds = models.JSONField("各县自定阈值", default=dict, blank=True)
    deadline_days = models.PositiveSmallIntegerField("整改期限（天）", default=30)
    active = models.BooleanField("启用", default=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "预警规则"
        verbose_name_plural = "预警规则"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(per__in=["village", "subject", "county", "ledger"]), name="oversight_rule_per"
            ),
            models.CheckConstraint(condition=Q(threshold__gte=1), name="oversight_rule_threshold"),
        ]

    def __str__(self) -> str:
        return self.label


class AlertRuleVersion(models.Model):
    """One version of a rule's thresholds, kept when a province admin changes them (with the reason),
    so an alert can be read against the rule as it stood when it was raised."""

    rule = models.ForeignKey(AlertRule, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField("版本")
    threshold = models.PositiveIntegerField("阈值")
    county_thresholds = models.JSONField("各县自定阈值", default=dict, blank=True)
    window_months = models.PositiveSmallIntegerField("统计月数")
    deadline_days = models.PositiveSmallIntegerField("整改期限（天）")
    active = models.BooleanField("启用")
    note = models.CharField("调整理由", max_length=300)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "预警规则版本"
        verbose_name_plural = "预警规则版本"
        ordering = ["rule", "-version"]
        constraints = [models.UniqueConstraint(fields=["rule", "version"], name="oversight_rule_version_once")]

    def __str__(self) -> str:
        return f"{self.rule.code} v{self.version}"


class AlertStatus(models.TextChoices):
    OPEN = "open", "待处理"
    CLOSED = "closed", "已处理"


class Alert(models.Model):
    """A rule that fired: the owning body (a county) must act by the deadline and say what it did."""

    rule = models.ForeignKey(AlertRule, on_delete=models.PROTECT, related_name="alerts")
    rule_version = models.PositiveIntegerField("规则版本", default=1)
    region_code = models.CharField("涉及区划", max_length=12)
    subject = models.CharField("涉及部门或单位", max_length=128, blank=True)
    period = models.CharField("统计期间", max_length=20)
    value = models.PositiveIntegerField("数值")
    owner_code = models.CharField("责任单位（区划）", max_length=12)
    message = models.CharField("说明", max_length=300)
    status = models.CharField("状态", max_length=8, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    deadline = models.DateField("处理期限")
    note = models.TextField("处理情况", blank=True)
    raised_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "预警"
        verbose_name_plural = "预警"
        ordering = ["status", "deadline", "id"]
        indexes = [models.Index(fields=["owner_code", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "region_code", "subject", "period"], name="oversight_alert_once_per_period"
            ),
            models.CheckConstraint(condition=Q(status__in=AlertStatus.values), name="oversight_alert_status"),
            models.CheckConstraint(
                condition=Q(status="open") | (Q(closed_at__isnull=False) & ~Q(note="")),
                name="oversight_alert_closed_has_note",
            ),
        ]

    def __str__(self) -> str:
        return self.message


# --- implementation ledgers （十五） --------------------------------------------------------------


class TaskStatus(models.TextChoices):
    NOT_STARTED = "new", "未开始"
    DOING = "doing", "推进中"
    DONE = "done", "已完成"


class TaskBatch(models.Model):
    """One task sent by a level to all its prefectures (or counties) at once; each gets a ledger line."""

    region_code = models.CharField("下发单位（区划）", max_length=12)
    target_level = models.CharField("下发到", max_length=16)
    title = models.CharField("任务", max_length=200)
    responsible_body = models.CharField("责任主体", max_length=200)
    deadline = models.DateField("完成时限")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "下发任务"
        verbose_name_plural = "下发任务"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(target_level__in=["prefecture", "county"]), name="oversight_batch_level")
        ]

    def __str__(self) -> str:
        return self.title


class LedgerTask(models.Model):
    """One line of a level's implementation ledger (工作台账): task, body, deadline, progress, evidence."""

    region_code = models.CharField("台账所属（区划）", max_length=12)
    title = models.CharField("任务", max_length=200)
    responsible_body = models.CharField("责任主体", max_length=200)
    deadline = models.DateField("完成时限")
    status = models.CharField("状态", max_length=8, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    progress_note = models.TextField("进展情况", blank=True)
    evidence = models.TextField("佐证材料（文号、链接或说明）", blank=True)
    batch = models.ForeignKey(TaskBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "工作台账事项"
        verbose_name_plural = "工作台账事项"
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["region_code", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=TaskStatus.values), name="oversight_task_status"),
            models.CheckConstraint(
                condition=~Q(status="done") | (Q(done_at__isnull=False) & ~Q(evidence="")),
                name="oversight_task_done_has_evidence",
            ),
            models.UniqueConstraint(fields=["batch", "region_code"], name="oversight_task_once_per_batch"),
        ]

    def __str__(self) -> str:
        return self.title


class LedgerComment(models.Model):
    """The level above comments on a child's ledger line."""

    task = models.ForeignKey(LedgerTask, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    author_region = models.CharField("评论单位（区划）", max_length=12)
    body = models.TextField("意见")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:30]


# --- progress reports upward ---------------------------------------------------------------------


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", "已报送"
    RECEIVED = "received", "上级已签收"


class ProgressReport(models.Model):
    """A county's or prefecture's monthly or quarterly progress report, frozen when submitted."""

    region_code = models.CharField("报送单位（区划）", max_length=12)
    period = models.CharField("期间", max_length=7)
    status = models.CharField("状态", max_length=12, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED)
    data = models.JSONField("报送时的数字（冻结）")
    formula_version = models.PositiveIntegerField("公式版本")
    note = models.TextField("工作进展说明", blank=True)
    submitted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    received_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "进展报告"
        verbose_name_plural = "进展报告"
        ordering = ["-period", "region_code"]
        constraints = [
            models.UniqueConstraint(fields=["region_code", "period"], name="oversight_report_once"),
            models.CheckConstraint(condition=Q(status__in=ReportStatus.values), name="oversight_report_status"),
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.period}"
