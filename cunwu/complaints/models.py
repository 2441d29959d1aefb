"""Complaints from anyone (举报), their handling on a deadline, typical cases (通报曝光) and the
review of departments' regulatory documents (梳理排查制度性文件) — clause （十六）.

Status changes go through services.py as conditional updates; rules.py holds the transition table.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Category(models.TextChoices):
    PUSHED_WORK = "pushed_work", "清单外向村里摊派工作"
    FORBIDDEN_CERTIFICATE = "forbidden_certificate", "单位索要不应由村开具的证明"
    CERTIFICATE_REFUSED = "certificate_refused", "村里拒开应当出具的证明"
    SIGN = "sign", "机制牌子"
    SEAL = "seal", "印章使用"
    MEETING_FORM = "meeting_form", "会议、填表报数"
    OTHER = "other", "其他"


class Status(models.TextChoices):
    RECEIVED = "received", "已收到"
    ACCEPTED = "accepted", "已受理，调查核实中"
    DECLINED = "declined", "不予受理"
    CONCLUDED = "concluded", "已办结"


class Finding(models.TextChoices):
    SUBSTANTIATED = "substantiated", "反映属实"
    PARTLY = "partly", "部分属实"
    UNSUBSTANTIATED = "unsubstantiated", "反映不属实"


class Complaint(models.Model):
    """One report. An anonymous one keeps no name, phone, address or other identifier of its reporter."""

    tracking_code = models.CharField("查询码", max_length=15, unique=True)
    category = models.CharField("类别", max_length=24, choices=Category.choices)
    region = models.ForeignKey("regions.Region", verbose_name="涉及区划", on_delete=models.PROTECT, related_name="+")
    handler = models.ForeignKey("regions.Region", verbose_name="办理单位", on_delete=models.PROTECT, related_name="+")
    subject = models.CharField("涉及部门、单位或事项", max_length=128, blank=True)
    text = models.TextField("反映内容")
    anonymous = models.BooleanField("匿名", default=True)
    contact_name = models.CharField("联系人姓名", max_length=64, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    source = models.CharField("来源入口", max_length=16, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.RECEIVED)
    received_at = models.DateTimeField("收到时间", default=timezone.now)
    due = models.DateField("办理期限")
    extension_reason = models.CharField("延期理由", max_length=300, blank=True)
    decline_reason = models.CharField("不予受理理由", max_length=300, blank=True)
    outcome = models.TextField("办理结果", blank=True)
    finding = models.CharField("核查结论", max_length=16, choices=Finding.choices, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    callback_at = models.DateTimeField("回访时间", null=True, blank=True)
    callback_note = models.CharField("回访情况", max_length=500, blank=True)
    callback_satisfied = models.BooleanField("反映人满意", null=True, blank=True)

    class Meta:
        verbose_name = "举报"
        verbose_name_plural = "举报"
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["handler", "status", "due"]),
            models.Index(fields=["region", "received_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(category__in=Category.values), name="complaint_category_valid"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="complaint_status_valid"),
            models.CheckConstraint(
                condition=Q(finding="") | Q(finding__in=Finding.values), name="complaint_finding_valid"
            ),
            # Anonymous means nothing to reach the reporter by; named means a name and a phone.
            models.CheckConstraint(
                condition=(Q(anonymous=True) & Q(contact_name="") & Q(contact_phone=""))
                | (Q(anonymous=False) & ~Q(contact_name="") & ~Q(contact_phone="")),
                name="complaint_contact_matches_anonymity",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.CONCLUDED) | (~Q(outcome="") & ~Q(finding="") & Q(closed_at__isnull=False)),
                name="complaint_concluded_has_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.DECLINED) | (~Q(decline_reason="") & Q(closed_at__isnull=False)),
                name="complaint_declined_has_reason",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="complaint_text_not_empty"),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def is_open(self) -> bool:
        return self.status in (Status.RECEIVED, Status.ACCEPTED)


class Event(models.Model):
    """One step of a complaint: status changes, extension, transfer, 回访, questions and answers."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("事项", max_length=16)
    status = models.CharField("此后状态", max_length=16, choices=Status.choices)
    note = models.TextField("说明", blank=True)
    # What the reporter reads by tracking code; internal notes (a township's explanation) stay false.
    public = models.BooleanField("反映人可见", default=True)
    at = models.DateTimeField("时间", default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.action}"


class Reference(models.Model):
    """The record a complaint is about, by kind and the owning app's id or code (no foreign key into it)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="references")
    kind = models.CharField("记录类别", max_length=24)
    ref = models.CharField("记录编号", max_length=64)
    label = models.CharField("记录名称", max_length=200, blank=True)

    class Meta:
        verbose_name = "关联记录"
        verbose_name_plural = "关联记录"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "kind", "ref"], name="complaint_reference_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.ref}"


class Photo(models.Model):
    """A photo attached to a complaint, re-encoded with every bit of metadata dropped."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="photos")
    path = models.CharField("存储路径", max_length=200, unique=True, help_text="相对 MEDIA_ROOT")
    kind = models.CharField("格式", max_length=8)
    mime = models.CharField("MIME", max_length=32)
    size = models.PositiveIntegerField("字节数")
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        verbose_name = "举报照片"
        verbose_name_plural = "举报照片"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.path


class Question(models.Model):
    """A follow-up question the reporter added by tracking code, and the handler's answer."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField("补充或追问")
    asked_at = models.DateTimeField("提出时间", default=timezone.now)
    answer = models.TextField("答复", blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "追问"
        verbose_name_plural = "追问"
        ordering = ["asked_at", "id"]

    def __str__(self) -> str:
        return f"追问 {self.pk}"


class TypicalCase(models.Model):
    """A concluded complaint published as a typical case (通报曝光), in an edited anonymised summary."""

    complaint = models.OneToOneField(Complaint, on_delete=models.PROTECT, related_name="typical_case")
    title = models.CharField("标题", max_length=100)
    summary = models.TextField("案情摘要（已脱敏）")
    department = models.CharField("涉及部门或单位", max_length=128)
    clause = models.CharField("违反条款", max_length=16)
    action_taken = models.TextField("处理结果")
    prefecture = models.ForeignKey(
        "regions.Region", verbose_name="州（市）", on_delete=models.PROTECT, related_name="+"
    )
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField("发布时间", default=timezone.now)

    class Meta:
        verbose_name = "典型案例"
        verbose_name_plural = "典型案例"
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["clause", "published_at"]), models.Index(fields=["prefecture", "published_at"])]

    def __str__(self) -> str:
        return self.title


class DocumentStatus(models.TextChoices):
    OPEN = "open", "待处理"
    DONE = "done", "已处理"


class ReviewedDocument(models.Model):
    """A regulatory document (制度性文件) screened sentence by sentence against the measures."""

    county = models.ForeignKey(
        "regions.Region", verbose_name="县（市、区）", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("文件名称", max_length=200)
    issuer = models.CharField("制发部门", max_length=128)
    reference = models.CharField("文号", max_length=64, blank=True)
    source = models.CharField("来源格式", max_length=8)
    text = models.TextField("全文")
    sentence_count = models.PositiveIntegerField("句数")
    status = models.CharField("状态", max_length=8, choices=DocumentStatus.choices, default=DocumentStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "制度性文件审查"
        verbose_name_plural = "制度性文件审查"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DocumentStatus.values), name="complaint_document_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Decision(models.TextChoices):
    REVISE = "revise", "修改"
    REPEAL = "repeal", "废止"
    KEEP = "keep", "保留（说明依据）"


class ReviewFinding(models.Model):
    """One sentence that breaches the measures, the rules it breaches, and what is done about it."""

    document = models.ForeignKey(ReviewedDocument, on_delete=models.CASCADE, related_name="findings")
    index = models.PositiveIntegerField("句序（从 1 起）")
    sentence = models.TextField("原句")
    violations = models.JSONField("违反的规则", default=list)
    decision = models.CharField("处理", max_length=8, choices=Decision.choices, blank=True)
    basis = models.CharField("处理依据或说明", max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        verbose_name = "文件审查发现"
        verbose_name_plural = "文件审查发现"
        ordering = ["document_id", "index"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="") | Q(decision__in=Decision.values), name="complaint_finding_decision_valid"
            ),
            models.CheckConstraint(
                condition=Q(decision="") | ~Q(basis=""), name="complaint_finding_decision_has_basis"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} 第{self.index}句"
