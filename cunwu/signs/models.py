"""Mechanisms, signs and facilities (机制牌子) per village, clean-up campaigns and exceptions.

Clauses （六）（七）（八）（九）（十）. State changes go through services.py as conditional updates.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Placement(models.TextChoices):
    EXTERIOR_MARK = "exterior_mark", "外部标识"
    GATE = "gate", "门口标牌"
    INTERIOR = "interior", "内部标牌"


class Photo(models.Model):
    """An uploaded photo, stored only after its content was checked and its metadata stripped."""

    region = models.ForeignKey("regions.Region", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="+")
    path = models.CharField("存储路径", max_length=200, unique=True, help_text="相对 MEDIA_ROOT")
    kind = models.CharField("格式", max_length=8)
    mime = models.CharField("MIME", max_length=32)
    size = models.PositiveIntegerField("字节数")
    sha256 = models.CharField("SHA-256", max_length=64, help_text="清理元数据后的文件摘要")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "照片"
        verbose_name_plural = "照片"
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["jpeg", "png", "webp"]), name="signs_photo_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.path


class SignStatus(models.TextChoices):
    HANGING = "hanging", "在挂"
    REMOVED = "removed", "已摘除"


class RemovalReason(models.TextChoices):
    REMOVE = "remove", "摘除撤销（无实质性业务或不在目录内）"
    MERGE = "merge", "合并（同类牌子重复）"
    REPLACE = "replace", "由县统一制作的标牌替换"
    AWARD = "award", "表彰奖励移入公开栏集中展陈"
    OTHER = "other", "其他（损坏、机构撤销等）"


class Sign(models.Model):
    """One plate as it hangs (or hung) at a village: the name exactly as written on it （九）（十）."""

    region = models.ForeignKey(
        "regions.Region", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="signs"
    )
    name = models.CharField("牌子名称（按实际书写）", max_length=100)
    placement = models.CharField("悬挂位置", max_length=16, choices=Placement.choices)
    size = models.CharField("尺寸", max_length=40, blank=True)
    material = models.CharField("材质", max_length=40, blank=True)
    put_up_by = models.CharField("制作或悬挂单位", max_length=64, blank=True)
    put_up_on = models.DateField("悬挂日期", null=True, blank=True)
    photo = models.ForeignKey(
        Photo, verbose_name="照片", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状态", max_length=16, choices=SignStatus.choices, default=SignStatus.HANGING)
    removed_on = models.DateField("摘除日期", null=True, blank=True)
    removal_reason = models.CharField("摘除原因", max_length=16, choices=RemovalReason.choices, blank=True)
    removal_note = models.CharField("摘除说明", max_length=200, blank=True)
    removal_photo = models.ForeignKey(
        Photo, verbose_name="摘除照片", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removal_recorded_at = models.DateTimeField("摘除登记时间", null=True, blank=True)
    batch = models.ForeignKey(
        "ReplacementBatch",
        verbose_name="县统一制作批次",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signs",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "牌子"
        verbose_name_plural = "牌子"
        ordering = ["region_id", "id"]
        indexes = [models.Index(fields=["region", "status"]), models.Index(fields=["status", "region"])]
        constraints = [
            models.CheckConstraint(condition=Q(placement__in=Placement.values), name="signs_sign_placement_valid"),
            models.CheckConstraint(condition=Q(status__in=SignStatus.values), name="signs_sign_status_valid"),
            models.CheckConstraint(
                condition=(Q(status=SignStatus.HANGING) & Q(removed_on__isnull=True))
                | (Q(status=SignStatus.REMOVED) & Q(removed_on__isnull=False) & ~Q(removal_reason="")),
                name="signs_sign_removed_has_date_and_reason",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="signs_sign_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class Zone(models.TextChoices):
    """Functional zones of the service facility （七）（八）."""

    PARTY = "party_area", "党员群众活动区"
    DELIBERATION = "deliberation_area", "村民议事决策区"
    TRAINING = "training_area", "教育培训区"
    PUBLIC_SERVICE = "public_service_area", "公共服务区（一站式服务大厅）"
    RESIDENTS = "residents_area", "居民活动区"
    OFFICE = "office_area", "办公用房"


class Facility(models.Model):
    """The village's comprehensive service facility (村党群服务中心) and its zones （七）（八）."""

    region = models.OneToOneField(
        "regions.Region", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="facility"
    )
    building_area = models.DecimalField("建筑面积（平方米）", max_digits=9, decimal_places=2)
    households = models.PositiveIntegerField("服务户数")
    party_area = models.DecimalField(Zone.PARTY.label, max_digits=9, decimal_places=2, default=0)
    deliberation_area = models.DecimalField(Zone.DELIBERATION.label, max_digits=9, decimal_places=2, default=0)
    training_area = models.DecimalField(Zone.TRAINING.label, max_digits=9, decimal_places=2, default=0)
    public_service_area = models.DecimalField(Zone.PUBLIC_SERVICE.label, max_digits=9, decimal_places=2, default=0)
    residents_area = models.DecimalField(Zone.RESIDENTS.label, max_digits=9, decimal_places=2, default=0)
    office_area = models.DecimalField(Zone.OFFICE.label, max_digits=9, decimal_places=2, default=0)
    open_plan = models.BooleanField("开放式办公", default=True)
    one_stop = models.BooleanField("公共服务事项在设施内一站式办理", default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "村级综合服务设施"
        verbose_name_plural = "村级综合服务设施"
        constraints = [
            models.CheckConstraint(condition=Q(building_area__gt=0), name="signs_facility_area_positive"),
            models.CheckConstraint(condition=Q(households__gte=1), name="signs_facility_households_positive"),
            models.CheckConstraint(
                condition=Q(party_area__gte=0)
                & Q(deliberation_area__gte=0)
                & Q(training_area__gte=0)
                & Q(public_service_area__gte=0)
                & Q(residents_area__gte=0)
                & Q(office_area__gte=0),
                name="signs_facility_zones_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} 综合服务设施"

    def zones(self) -> dict[str, Any]:
        return {z.value: getattr(self, z.value) for z in Zone}


class MechanismKind(models.TextChoices):
    BRANCH = "branch", "分支机构"
    CENTRE = "centre", "中心"
    STATION = "station", "站、所"
    POST = "post", "岗位"
    OTHER = "other", "其他"


class MechanismBasis(models.TextChoices):
    """What a mechanism stands on （六）: only the first three allow it."""

    CENTRAL = "central", "党中央、国务院明确要求"
    LAW = "law", "法律法规明确规定"
    PROVINCE = "province", "经省委和省政府同意"
    NONE = "none", "无上述依据"


class MechanismStatus(models.TextChoices):
    ACTIVE = "active", "在设"
    MERGED = "merged", "已整合"
    ABOLISHED = "abolished", "已撤销"


class Mechanism(models.Model):
    """A work mechanism (工作机制: branch, centre, station, post) set up at a village （六）."""

    region = models.ForeignKey(
        "regions.Region", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="mechanisms"
    )
    name = models.CharField("机制名称", max_length=100)
    kind = models.CharField("类别", max_length=16, choices=MechanismKind.choices, default=MechanismKind.STATION)
    department = models.CharField("设立部门", max_length=64)
    basis_kind = models.CharField("设立依据类别", max_length=16, choices=MechanismBasis.choices)
    basis = models.CharField("依据文件及条款", max_length=200, blank=True)
    approval_reference = models.CharField("批准文号", max_length=100, blank=True)
    approval = models.ForeignKey(
        "ApprovalRequest",
        verbose_name="省级批准",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mechanisms",
    )
    dedicated_posts = models.PositiveSmallIntegerField("要求的专人专岗数", default=0)
    in_facility = models.BooleanField("在综合服务设施内集中办公", default=True)
    status = models.CharField("状态", max_length=16, choices=MechanismStatus.choices, default=MechanismStatus.ACTIVE)
    ended_on = models.DateField("整合或撤销日期", null=True, blank=True)
    end_note = models.CharField("整合或撤销说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "工作机制"
        verbose_name_plural = "工作机制"
        ordering = ["region_id", "id"]
        indexes = [models.Index(fields=["region", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=MechanismKind.values), name="signs_mechanism_kind_valid"),
            models.CheckConstraint(
                condition=Q(basis_kind__in=MechanismBasis.values), name="signs_mechanism_basis_valid"
            ),
            models.CheckConstraint(condition=Q(status__in=MechanismStatus.values), name="signs_mechanism_status_valid"),
            models.CheckConstraint(
                condition=Q(status=MechanismStatus.ACTIVE, ended_on__isnull=True)
                | (~Q(status=MechanismStatus.ACTIVE) & Q(ended_on__isnull=False)),
                name="signs_mechanism_ended_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RequestKind(models.TextChoices):
    SIGN = "sign", "目录外挂牌"
    MECHANISM = "mechanism", "新设工作机制"


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", "待县级审查"
    FORWARDED = "forwarded", "县级审查通过，待省级批准"
    RETURNED = "returned", "县级退回"
    APPROVED = "approved", "省级已批准"
    REJECTED = "rejected", "省级不予批准"
    REVOKED = "revoked", "批准已撤销"


class ApprovalRequest(models.Model):
    """A sign outside the catalog （九） or a new work mechanism （六）: county review, provincial approval."""

    kind = models.CharField("类别", max_length=16, choices=RequestKind.choices)
    region = models.ForeignKey("regions.Region", verbose_name="适用区划", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=100)
    placement = models.CharField("悬挂位置", max_length=16, choices=Placement.choices, blank=True)
    style = models.CharField("式样（尺寸、材质、颜色）", max_length=200, blank=True)
    department = models.CharField("提出的党政群机构", max_length=64)
    basis = models.TextField("依据（法律法规或文件及条款）")
    reason = models.TextField("协商论证情况", blank=True)
    dedicated_posts = models.PositiveSmallIntegerField("要求的专人专岗数", default=0)
    admission_reference = models.CharField("准入审查编号", max_length=64, blank=True)
    status = models.CharField("状态", max_length=16, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField("提交时间", default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="县级审查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("县级审查时间", null=True, blank=True)
    review_note = models.CharField("县级审查意见", max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="省级审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("省级审批时间", null=True, blank=True)
    decision_note = models.CharField("省级审批意见", max_length=300, blank=True)
    approval_reference = models.CharField("批准文号", max_length=100, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤销人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoke_reason = models.CharField("撤销理由", max_length=300, blank=True)

    class Meta:
        verbose_name = "挂牌和机制审批"
        verbose_name_plural = "挂牌和机制审批"
        ordering = ["-filed_at", "-id"]
        indexes = [models.Index(fields=["status", "region"]), models.Index(fields=["region", "kind", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=RequestKind.values), name="signs_request_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=RequestStatus.values), name="signs_request_status_valid"),
            models.CheckConstraint(
                condition=~Q(kind=RequestKind.SIGN) | Q(placement__in=Placement.values),
                name="signs_request_sign_has_placement",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[RequestStatus.APPROVED, RequestStatus.REVOKED]) | ~Q(approval_reference=""),
                name="signs_request_approved_has_reference",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CampaignStatus(models.TextChoices):
    OPEN = "open", "进行中"
    CLOSED = "closed", "已结束"


class Campaign(models.Model):
    """A county's clean-up of village signs （九）: opened with a deadline, findings become tasks."""

    county = models.ForeignKey(
        "regions.Region", verbose_name="县（市、区）", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("名称", max_length=100)
    deadline = models.DateField("完成期限")
    note = models.TextField("工作要求", blank=True)
    status = models.CharField("状态", max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField("发起时间", default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="结束人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "挂牌清理行动"
        verbose_name_plural = "挂牌清理行动"
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=CampaignStatus.values), name="signs_campaign_status_valid"),
            models.UniqueConstraint(
                fields=["county"], condition=Q(status="open"), name="signs_one_open_campaign_per_county"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CampaignVillage(models.Model):
    """A village's state when the campaign opened, for "before / after" progress."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="villages")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    plates_before = models.PositiveIntegerField("行动前在挂牌子数")
    findings_before = models.PositiveIntegerField("行动前问题数")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "region"], name="signs_campaign_village_unique")]
        indexes = [models.Index(fields=["campaign", "region"])]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.region_id}"


class ReplacementBatch(models.Model):
    """Plates made by the county in one batch and replaced step by step （九）."""

    campaign = models.ForeignKey(Campaign, verbose_name="清理行动", on_delete=models.PROTECT, related_name="batches")
    title = models.CharField("批次名称", max_length=100)
    codes = models.JSONField("替换的目录标牌编码", default=list)
    made_by = models.CharField("制作单位", max_length=64)
    planned_on = models.DateField("计划完成日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "统一制作批次"
        verbose_name_plural = "统一制作批次"
        ordering = ["campaign_id", "id"]

    def __str__(self) -> str:
        return self.title


class TaskAction(models.TextChoices):
    REMOVE = "remove", "摘除"
    MERGE = "merge", "合并"
    RELOCATE = "relocate", "调整位置"
    REPLACE = "replace", "统一替换"


class TaskStatus(models.TextChoices):
    OPEN = "open", "待整改"
    DONE = "done", "已完成"
    EXCEPTED = "excepted", "已获省级批准保留"
    CANCELLED = "cancelled", "已撤销"


class CampaignTask(models.Model):
    """One thing a village must do in a campaign, from a finding or a county batch."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tasks")
    region = models.ForeignKey("regions.Region", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="+")
    sign = models.ForeignKey(
        Sign, verbose_name="牌子", null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    action = models.CharField("整改方式", max_length=16, choices=TaskAction.choices)
    problem = models.CharField("问题", max_length=32)
    clause = models.CharField("条款", max_length=16)
    catalog_code = models.CharField("目录编码", max_length=32, blank=True)
    message = models.CharField("说明", max_length=300)
    batch = models.ForeignKey(ReplacementBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    status = models.CharField("状态", max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    done_on = models.DateField("完成日期", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    photo = models.ForeignKey(
        Photo, verbose_name="整改照片", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("办理说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "整改任务"
        verbose_name_plural = "整改任务"
        ordering = ["campaign_id", "region_id", "id"]
        indexes = [models.Index(fields=["campaign", "region", "status"]), models.Index(fields=["sign", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(action__in=TaskAction.values), name="signs_task_action_valid"),
            models.CheckConstraint(condition=Q(status__in=TaskStatus.values), name="signs_task_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=TaskStatus.DONE) | Q(done_on__isnull=False), name="signs_task_done_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}：{self.message}"


class ScanReport(models.Model):
    """A stored compliance scan over a region (the province: scheduled by `cunwu signs_scan`)."""

    region = models.ForeignKey("regions.Region", verbose_name="范围", on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField("开始时间")
    seconds = models.FloatField("用时（秒）")
    villages = models.PositiveIntegerField("村（社区）数")
    plates = models.PositiveIntegerField("在挂牌子数")
    rows = models.JSONField("分县结果", default=list)
    run_by = models.CharField("发起", max_length=150, blank=True)

    class Meta:
        verbose_name = "挂牌合规扫描"
        verbose_name_plural = "挂牌合规扫描"
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.region_id} {self.started_at:%Y-%m-%d %H:%M}"
