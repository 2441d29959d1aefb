"""Forms and reports (填表报数, 一表通), clause （四）.

DHIS2's shape: a value belongs to a data element, a period and a village — never to a form. A
department's form request groups elements; the county's yearly plan says which elements each
village fills and how often; a village's filing for a period is one page holding each element once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

USER = settings.AUTH_USER_MODEL


class ElementType(models.TextChoices):
    INTEGER = "integer", "整数"
    DECIMAL = "decimal", "小数"
    PERCENTAGE = "percentage", "百分比"
    TEXT = "text", "文字"
    DATE = "date", "日期"
    YESNO = "yesno", "是/否"
    CHOICE = "choice", "选项"


class Rollup(models.TextChoices):
    SUM = "sum", "累加"
    LAST = "last", "取期末值"
    MEAN = "mean", "取平均"
    MAX = "max", "取最大"


class Frequency(models.TextChoices):
    # Ordered from least to most frequent: the plan takes the highest any approved request needs.
    YEARLY = "yearly", "每年"
    HALF_YEARLY = "half_yearly", "每半年"
    QUARTERLY = "quarterly", "每季度"
    MONTHLY = "monthly", "每月"


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", "待整合"
    APPROVED = "approved", "已纳入计划"
    REFUSED = "refused", "不予纳入"


class MergeStatus(models.TextChoices):
    PROPOSED = "proposed", "待确认"
    CONFIRMED = "confirmed", "已合并"
    REJECTED = "rejected", "不合并"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


class FilingStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    ACCEPTED = "accepted", "已通过"
    RETURNED = "returned", "已退回"


def _valid(field: str, choices: type[models.TextChoices]) -> Q:
    return Q(**{f"{field}__in": [c.value for c in choices]})


class DataElement(models.Model):
    """A county's single field definition (数据项), owned by the department that defined it."""

    county = models.ForeignKey(
        "regions.Region", verbose_name="县（市、区）", on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField("代码", max_length=32)
    name = models.CharField("名称", max_length=128)
    synonyms = models.JSONField("同义名称", default=list, blank=True)
    type = models.CharField("类型", max_length=16, choices=ElementType.choices)
    unit = models.CharField("单位", max_length=16, blank=True)
    definition = models.TextField("定义", blank=True)
    department = models.ForeignKey(
        "regions.Organisation", verbose_name="所属部门", on_delete=models.PROTECT, related_name="+"
    )
    min_value = models.DecimalField("下限", max_digits=18, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField("上限", max_digits=18, decimal_places=4, null=True, blank=True)
    choices = models.JSONField("选项", default=list, blank=True)
    rollup = models.CharField("汇总方式", max_length=8, choices=Rollup.choices, default=Rollup.SUM)
    stable = models.BooleanField("很少变化（按上期预填）", default=False)
    merged_into = models.ForeignKey(
        "self", verbose_name="已并入", null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "数据项"
        verbose_name_plural = "数据项"
        ordering = ["county_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["county", "code"], name="reporting_element_code_per_county"),
            models.CheckConstraint(condition=_valid("type", ElementType), name="reporting_element_type_valid"),
            models.CheckConstraint(condition=_valid("rollup", Rollup), name="reporting_element_rollup_valid"),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=models.F("max_value")),
                name="reporting_element_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）" if self.unit else self.name


class FormRequest(models.Model):
    """What a department asks villages to report for a year, registered before the county integrates."""

    department = models.ForeignKey(
        "regions.Organisation", verbose_name="部门", on_delete=models.PROTECT, related_name="+"
    )
    county = models.ForeignKey(
        "regions.Region", verbose_name="县（市、区）", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField("年度")
    title = models.CharField("表名", max_length=200)
    purpose = models.TextField("用途")
    basis = models.TextField("依据（法律法规或政策文件）", blank=True)
    frequency = models.CharField("频次", max_length=16, choices=Frequency.choices)
    status = models.CharField("状态", max_length=16, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED)
    refusal_reason = models.TextField("不予纳入的理由", blank=True)
    layout = models.JSONField("原表样式（表名、表头、合并单元格）", default=dict, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "部门填报需求"
        verbose_name_plural = "部门填报需求"
        ordering = ["county_id", "year", "department_id", "id"]
        constraints = [
            models.CheckConstraint(condition=_valid("frequency", Frequency), name="reporting_request_frequency_valid"),
            models.CheckConstraint(condition=_valid("status", RequestStatus), name="reporting_request_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.REFUSED) | ~Q(refusal_reason=""),
                name="reporting_request_refusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RequestField(models.Model):
    """One column of a department's form, tied to the data element it collects.

    `factor` × the element's value gives the value in the department's own unit (万元 → 元 = 10000).
    """

    request = models.ForeignKey(FormRequest, on_delete=models.CASCADE, related_name="fields")
    position = models.PositiveIntegerField("列序")
    headers = models.JSONField("表头（自上而下）", default=list)
    label = models.CharField("名称", max_length=128)
    unit = models.CharField("单位", max_length=16, blank=True)
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="request_fields")
    factor = models.FloatField("单位换算系数", default=1.0)

    class Meta:
        verbose_name = "填报需求字段"
        verbose_name_plural = "填报需求字段"
        ordering = ["request_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["request", "position"], name="reporting_field_position_unique"),
            models.CheckConstraint(condition=Q(factor__gt=0), name="reporting_field_factor_positive"),
        ]

    def __str__(self) -> str:
        return self.label


class ElementMerge(models.Model):
    """A proposal to treat two elements as one datum, decided by the county (audited)."""

    county = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField("年度")
    keep = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="+")
    drop = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="+")
    factor = models.FloatField("换算系数（并入值 × 系数 = 保留项的值）", default=1.0)
    score = models.FloatField("相似度", default=0.0)
    status = models.CharField(max_length=16, choices=MergeStatus.choices, default=MergeStatus.PROPOSED)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "数据项合并"
        verbose_name_plural = "数据项合并"
        constraints = [
            models.UniqueConstraint(fields=["year", "keep", "drop"], name="reporting_merge_pair_unique"),
            models.CheckConstraint(condition=~Q(keep=models.F("drop")), name="reporting_merge_distinct"),
            models.CheckConstraint(condition=_valid("status", MergeStatus), name="reporting_merge_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.drop_id} → {self.keep_id}"


class Plan(models.Model):
    """The county's integrated plan for a year (每年年初统一整合), published to townships and villages."""

    county = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField("年度")
    status = models.CharField(max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    published_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "年度填报计划"
        verbose_name_plural = "年度填报计划"
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="reporting_plan_one_per_county_year"),
            models.CheckConstraint(condition=_valid("status", PlanStatus), name="reporting_plan_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.county_id} {self.year}"


class PlanElement(models.Model):
    """An element every village of the county fills, at the highest frequency an approved request needs."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="elements")
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="+")
    frequency = models.CharField(max_length=16, choices=Frequency.choices)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "element"], name="reporting_plan_element_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.element_id}"


class Window(models.Model):
    """When villages may enter a period's values (opening and closing on working days)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="windows")
    period = models.CharField("报告期", max_length=8)  # 2027, 2027H1, 2027Q1, 2027-03
    opens = models.DateField("开始填报")
    closes = models.DateField("截止填报")

    class Meta:
        ordering = ["plan_id", "opens", "period"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], name="reporting_window_unique"),
            models.CheckConstraint(condition=Q(opens__lte=models.F("closes")), name="reporting_window_ordered"),
        ]

    def __str__(self) -> str:
        return self.period


class Filing(models.Model):
    """A village's one filing for one period of the plan."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="filings")
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    period = models.CharField("报告期", max_length=8)
    status = models.CharField(max_length=16, choices=FilingStatus.choices, default=FilingStatus.DRAFT)
    return_reason = models.TextField("退回理由", blank=True)
    submitted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reopened_until = models.DateField("重新开放至", null=True, blank=True)

    class Meta:
        verbose_name = "村级填报"
        verbose_name_plural = "村级填报"
        ordering = ["plan_id", "period", "village_id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "village", "period"], name="reporting_filing_one_per_period"),
            models.CheckConstraint(condition=_valid("status", FilingStatus), name="reporting_filing_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=FilingStatus.RETURNED) | ~Q(return_reason=""),
                name="reporting_filing_return_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.period}"


class DataValue(models.Model):
    """One value: element × period × village (never per form). Stored as canonical text."""

    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="values")
    period = models.CharField("报告期", max_length=8)
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="values")
    value = models.CharField("值", max_length=500)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "填报值"
        verbose_name_plural = "填报值"
        constraints = [
            models.UniqueConstraint(fields=["element", "period", "village"], name="reporting_value_unique"),
        ]
        indexes = [models.Index(fields=["village", "period"])]

    def __str__(self) -> str:
        return f"{self.element_id} {self.period} {self.village_id}"
