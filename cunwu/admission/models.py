"""Admission (准入): requests for village work, their versions and decisions, assignments to
villages, off-list reports, the one evaluation, and the chat group / app registry."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from . import rules


class RequestStatus(models.TextChoices):
    SCREEN_REJECTED = "screen_rejected", "筛查未通过"
    PENDING = "pending", "待县级审查"
    RETURNED = "returned", "退回修改"
    APPROVED = "approved", "已准入（统一部署）"
    REJECTED = "rejected", "不予准入"
    WITHDRAWN = "withdrawn", "已撤回"


RequestType = models.TextChoices("RequestType", [(k, (k, v)) for k, v in rules.TYPES.items()])  # type: ignore[misc, call-overload]
Triage = models.TextChoices("Triage", [(k, (k, v)) for k, v in rules.TRIAGE.items()])  # type: ignore[misc, call-overload]


class WorkRequest(models.Model):
    """Work a department (党政群机构) wants villages to do; reviewed by the county （二）."""

    department = models.ForeignKey(
        "regions.Organisation", verbose_name="提出部门", on_delete=models.PROTECT, related_name="+"
    )
    county = models.ForeignKey("regions.Region", verbose_name="审查县", on_delete=models.PROTECT, related_name="+")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("标题", max_length=200)
    content = models.TextField("工作内容")
    basis = models.CharField("依据（文件、法规）", max_length=500, blank=True)
    type = models.CharField("事项类型", max_length=16, choices=RequestType.choices, default="task")
    targets = models.JSONField("派往区划", default=list)
    village_count = models.PositiveIntegerField("涉及村（社区）数", default=0)
    period_start = models.DateField("起始日期", null=True, blank=True)
    period_end = models.DateField("结束日期", null=True, blank=True)
    deadline = models.DateField("完成时限", null=True, blank=True)
    pledge = models.BooleanField("要求签订责任状（责任书、承诺书）", default=False)
    responsible_body = models.CharField("责任主体", max_length=200, blank=True)
    evidence = models.CharField("完成佐证方式", max_length=500, blank=True)
    provisions = models.CharField("部门提供的工作条件（经费、培训、设备）", max_length=500, blank=True)
    meeting_reason = models.TextField("不能以文件、电话安排的理由", blank=True)
    status = models.CharField("状态", max_length=20, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    version = models.PositiveIntegerField("版本", default=1)
    outcome = models.CharField("筛查结论", max_length=16, blank=True)
    screening = models.JSONField("筛查结果", default=dict)
    triage = models.CharField("分流类别（三）", max_length=16, choices=Triage.choices, blank=True)
    deployment = models.CharField("统一部署文号或说明", max_length=200, blank=True)
    service_channel = models.CharField("群众办事渠道（十七）", max_length=300, blank=True)
    created_at = models.DateTimeField("提交时间", default=timezone.now)
    submitted_at = models.DateTimeField("最近提交时间", default=timezone.now)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)

    class Meta:
        verbose_name = "准入申请"
        verbose_name_plural = "准入申请"
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["county", "status", "submitted_at"]),
            models.Index(fields=["department", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RequestStatus.values), name="admission_request_status_valid"),
            models.CheckConstraint(condition=Q(type__in=list(rules.TYPES)), name="admission_request_type_valid"),
            models.CheckConstraint(condition=Q(version__gte=1), name="admission_request_version_positive"),
            models.CheckConstraint(
                condition=Q(triage="") | Q(triage__in=list(rules.TRIAGE)), name="admission_request_triage_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RequestVersion(models.Model):
    """Every submitted text of a request, with its screening, kept when the department revises."""

    request = models.ForeignKey(WorkRequest, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    snapshot = models.JSONField("内容")
    screening = models.JSONField("筛查结果", default=dict)
    outcome = models.CharField("筛查结论", max_length=16)
    note = models.CharField("修改说明", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "申请版本"
        verbose_name_plural = "申请版本"
        ordering = ["request_id", "number"]
        constraints = [models.UniqueConstraint(fields=["request", "number"], name="admission_version_unique")]

    def __str__(self) -> str:
        return f"{self.request_id} 第{self.number}版"


class Attachment(models.Model):
    """A file attached to a request, checked by its content (PDF or image) and size."""

    request = models.ForeignKey(WorkRequest, on_delete=models.CASCADE, related_name="attachments")
    version = models.PositiveIntegerField("版本号", default=1)
    file = models.FileField(upload_to="admission/%Y/%m/")
    filename = models.CharField("文件名", max_length=200)
    kind = models.CharField(max_length=16)
    mime = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["request_id", "id"]

    def __str__(self) -> str:
        return self.filename


class DecisionOutcome(models.TextChoices):
    APPROVE = "approve", "准入并统一部署"
    RETURN = "return", "退回修改"
    REJECT = "reject", "不予准入"


class Decision(models.Model):
    """The county's decision on one version of a request; one per version."""

    request = models.ForeignKey(WorkRequest, on_delete=models.CASCADE, related_name="decisions")
    version = models.PositiveIntegerField("版本号")
    outcome = models.CharField("决定", max_length=8, choices=DecisionOutcome.choices)
    reasons = models.TextField("理由", blank=True)
    clauses = models.JSONField("引用条款", default=list)
    triage = models.CharField("分流类别", max_length=16, choices=Triage.choices, blank=True)
    deployment = models.CharField("统一部署", max_length=200, blank=True)
    service_channel = models.CharField("群众办事渠道（十七）", max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "审查决定"
        verbose_name_plural = "审查决定"
        ordering = ["request_id", "version"]
        constraints = [
            models.UniqueConstraint(fields=["request", "version"], name="admission_decision_once_per_version"),
            models.CheckConstraint(
                condition=Q(outcome__in=DecisionOutcome.values), name="admission_decision_outcome_valid"
            ),
            models.CheckConstraint(
                condition=~Q(outcome="approve") | ~Q(triage=""), name="admission_decision_approve_needs_triage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} 第{self.version}版 {self.get_outcome_display()}"


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", "待签收"
    ACKNOWLEDGED = "acknowledged", "已签收"
    IN_PROGRESS = "in_progress", "办理中"
    DONE = "done", "已完成"


class Assignment(models.Model):
    """Approved work as it reaches one village through its township; also its ledger line （十五）."""

    request = models.ForeignKey(WorkRequest, on_delete=models.PROTECT, related_name="assignments")
    village = models.ForeignKey("regions.Region", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey(
        "regions.Region", verbose_name="乡镇（街道）", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "状态", max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED
    )
    deadline = models.DateField("完成时限", null=True, blank=True)
    responsible_body = models.CharField("责任主体", max_length=200)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    progress_note = models.CharField("最新进展", max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "派发事项"
        verbose_name_plural = "派发事项"
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["village", "status"]), models.Index(fields=["township", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["request", "village"], name="admission_assignment_once_per_village"),
            models.CheckConstraint(
                condition=Q(status__in=AssignmentStatus.values), name="admission_assignment_status_valid"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="admission_assignment_progress_max"),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_at__isnull=False), name="admission_assignment_done_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} → {self.village_id}"


class AssignmentEvent(models.Model):
    """What a village did with an assignment: acknowledged, reported progress, completed."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(
        max_length=16, choices=[("acknowledge", "签收"), ("progress", "报告进展"), ("complete", "办结")]
    )
    progress = models.PositiveSmallIntegerField(default=0)
    note = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assignment_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.kind}"


class OffListStatus(models.TextChoices):
    OPEN = "open", "待核处"
    CONFIRMED = "confirmed", "属实，已纠正"
    DISMISSED = "dismissed", "不属实或已准入"


class OffListReport(models.Model):
    """Work that reached a village outside the system (清单外摊派), reported by the village."""

    village = models.ForeignKey("regions.Region", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="+")
    county = models.ForeignKey("regions.Region", verbose_name="县", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "regions.Organisation",
        verbose_name="派出部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department_name = models.CharField("派出部门（名称）", max_length=128)
    what = models.TextField("交办内容")
    channel = models.CharField("交办渠道", max_length=16, choices=list(rules.CHANNELS.items()))
    received_on = models.DateField("收到日期")
    status = models.CharField("状态", max_length=16, choices=OffListStatus.choices, default=OffListStatus.OPEN)
    handling_note = models.TextField("核处意见", blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "清单外摊派反映"
        verbose_name_plural = "清单外摊派反映"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["county", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=OffListStatus.values), name="admission_offlist_status_valid"),
            models.CheckConstraint(
                condition=Q(channel__in=list(rules.CHANNELS)), name="admission_offlist_channel_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.department_name}"


class Evaluation(models.Model):
    """The county's single yearly evaluation of its villages （五）."""

    county = models.ForeignKey("regions.Region", verbose_name="县", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField("年度")
    title = models.CharField("名称", max_length=200)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "村级组织统一考评"
        verbose_name_plural = "村级组织统一考评"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="admission_one_evaluation_per_year")]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField("指标", max_length=200)
    description = models.CharField("评价内容", max_length=500, blank=True)
    weight = models.DecimalField("权重", max_digits=5, decimal_places=2)
    evidence = models.JSONField("评价依据", default=list)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["evaluation_id", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=0) & Q(weight__lte=100), name="admission_indicator_weight_range"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Score(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="scores")
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField("得分（百分制）", max_digits=5, decimal_places=2)
    note = models.CharField("评分说明", max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "village"], name="admission_score_once"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100), name="admission_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.indicator_id} {self.score}"


class Channel(models.Model):
    """A WeChat/QQ group or app aimed at village staff, registered by the county （五）."""

    county = models.ForeignKey("regions.Region", verbose_name="县", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=8, choices=list(rules.CHANNEL_KINDS.items()))
    name = models.CharField("名称", max_length=128)
    owner = models.ForeignKey(
        "regions.Organisation", verbose_name="主管部门", on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField("用途", max_length=300)
    villages = models.JSONField("涉及村（社区）", default=list)
    decision = models.CharField("清理决定", max_length=8, choices=list(rules.CLEANUP.items()), blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name="并入", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decision_note = models.CharField("说明", max_length=300, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "工作群和政务应用"
        verbose_name_plural = "工作群和政务应用"
        ordering = ["county_id", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=list(rules.CHANNEL_KINDS)), name="admission_channel_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(decision="") | Q(decision__in=list(rules.CLEANUP)), name="admission_channel_decision_valid"
            ),
            models.CheckConstraint(
                condition=~Q(decision="merge") | Q(merged_into__isnull=False), name="admission_channel_merge_target"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DepartmentRemit(models.Model):
    """A department's rural-revitalisation responsibilities and 履职方式 toward villages, set by its county （一）.

    What it does itself, what it asks villages to assist with, and through which duty or assist
    catalog items. Published as soon as saved; the admission review compares a request with it.
    """

    county = models.ForeignKey(
        "regions.Region", verbose_name="县（市、区）", on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "regions.Organisation", verbose_name="部门", on_delete=models.PROTECT, related_name="+"
    )
    responsibilities = models.TextField("乡村振兴职责范围")
    own_work = models.TextField("本部门自行承担的工作")
    village_work = models.TextField("请村（社区）协助的工作", blank=True)
    items = models.JSONField("请村协助所依的目录事项（编码）", default=list, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="最近修改人", on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("最近修改时间", default=timezone.now)

    class Meta:
        verbose_name = "部门乡村振兴职责"
        verbose_name_plural = "部门乡村振兴职责"
        ordering = ["county_id", "department__name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "department"], name="admission_remit_one_per_department"),
        ]

    def __str__(self) -> str:
        return f"{self.department_id} 乡村振兴职责"


# --- registries of approvals （二）（五）（六） and routing away from villages （三）（十七） ---------


class ApprovalKind(models.TextChoices):
    PLEDGE = "pledge", "经省委、省政府批准签订的责任状（二）"
    MECHANISM = "mechanism", "经省委和省政府同意设立的村级工作机制（六）"
    EVALUATION = "evaluation", "县级统一组织的考核评价（五）"


class Approval(models.Model):
    """An approval the measures allow, recorded with its document number (文号) by the level that
    may give it: pledges and mechanisms by the province, evaluations by the county. A request's
    basis that cites a registered, unrevoked number is exempt from the matching rule."""

    kind = models.CharField("类别", max_length=16, choices=ApprovalKind.choices)
    region = models.ForeignKey("regions.Region", verbose_name="登记层级", on_delete=models.PROTECT, related_name="+")
    number = models.CharField("文号", max_length=100)
    number_key = models.CharField("文号（规范写法）", max_length=100, db_index=True)
    title = models.CharField("文件标题", max_length=200)
    issued_on = models.DateField("印发日期")
    scope = models.CharField("适用范围", max_length=300)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.CharField("撤销理由", max_length=300, blank=True)

    class Meta:
        verbose_name = "批准登记"
        verbose_name_plural = "批准登记"
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ApprovalKind.values), name="admission_approval_kind_valid"),
            models.UniqueConstraint(
                fields=["kind", "region", "number_key"],
                condition=Q(revoked_at__isnull=True),
                name="admission_approval_once_in_force",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class RouteStatus(models.TextChoices):
    OPEN = "open", "待办理"
    IN_PROGRESS = "in_progress", "办理中"
    DONE = "done", "已办结"


class RoutedWork(models.Model):
    """Approved work that leaves the village （三）: a task for a township (统筹协调) or a purchase
    of services by the county (政府购买服务), with the channel villagers now use （十七）."""

    request = models.ForeignKey(WorkRequest, on_delete=models.PROTECT, related_name="routed")
    route = models.CharField("去向", max_length=16, choices=[(k, rules.TRIAGE[k]) for k in rules.ROUTED_TRIAGE])
    region = models.ForeignKey(
        "regions.Region", verbose_name="承办乡镇或县", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状态", max_length=16, choices=RouteStatus.choices, default=RouteStatus.OPEN)
    service_channel = models.CharField("群众办事渠道（十七）", max_length=300)
    provider = models.CharField("承接主体", max_length=200, blank=True)
    note = models.CharField("最新进展", max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "分流事项"
        verbose_name_plural = "分流事项"
        ordering = ["status", "-created_at", "id"]
        indexes = [models.Index(fields=["region", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["request", "region"], name="admission_routed_once_per_region"),
            models.CheckConstraint(condition=Q(status__in=RouteStatus.values), name="admission_routed_status_valid"),
            models.CheckConstraint(
                condition=Q(route__in=list(rules.ROUTED_TRIAGE)), name="admission_routed_route_valid"
            ),
            models.CheckConstraint(condition=~Q(service_channel=""), name="admission_routed_has_channel"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} → {self.region_id}"


class RuleMiss(models.Model):
    """A county reviewer's decision that differs from the screening, with why: the queue of rule
    misses that the screening rules are improved from."""

    request = models.ForeignKey(WorkRequest, on_delete=models.CASCADE, related_name="rule_misses")
    version = models.PositiveIntegerField("版本号")
    county = models.ForeignKey("regions.Region", verbose_name="县", on_delete=models.PROTECT, related_name="+")
    screened = models.CharField("筛查结论", max_length=16)
    rules_found = models.JSONField("筛查命中规则", default=list)
    decided = models.CharField("审查决定", max_length=8)
    reason = models.TextField("改判理由")
    excerpt = models.CharField("申请摘录（已遮盖个人信息）", max_length=500)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    reviewed = models.BooleanField("已复核", default=False)

    class Meta:
        verbose_name = "筛查改判"
        verbose_name_plural = "筛查改判"
        ordering = ["reviewed", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["request", "version"], name="admission_rulemiss_once")]

    def __str__(self) -> str:
        return f"{self.request_id} {self.screened}→{self.decided}"
