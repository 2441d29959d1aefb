"""Seals (印章) of village organisations, requests to use them, the stamping register, handovers.

State tables (Seal, SealRequest, SealHandover) change through conditional updates in services.
Registers (SealEvent, SealDocument, SealResolution, SealUse, SealRefusal, SealHandoverItem) are
append-only: by trigger on PostgreSQL, by refusing save/delete in the application everywhere, and
each stamping is also an entry in the village's hash chain (cunwu.ledger).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from .choices import (
    Category,
    EventKind,
    HandoverStatus,
    MeetingKind,
    QuorumBasis,
    RequestStatus,
    SealKind,
    SealStatus,
)
from .rules import MAX_IMPRESSIONS, MAX_MATTER, MAX_REMARKS

USER = settings.AUTH_USER_MODEL


class AppendOnlyError(RuntimeError):
    """Code tried to change or delete a row of a seals register."""


class AppendOnly(models.Model):
    """A register row: written once, never changed or deleted by the application."""

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AppendOnlyError("印章登记簿只能追加，不能修改。")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("印章登记簿只能追加，不能删除。")


class Seal(models.Model):
    """One seal of a village organisation: what it may be used for, who keeps it, who approves."""

    region = models.ForeignKey("regions.Region", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "regions.Organisation", verbose_name="所属组织", on_delete=models.PROTECT, related_name="seals"
    )
    kind = models.CharField("印章类别", max_length=16, choices=SealKind.choices)
    name = models.CharField("印章名称（印文）", max_length=64)
    scope_of_use = models.TextField("用印范围", max_length=500)
    custodian = models.ForeignKey(USER, verbose_name="保管人", on_delete=models.PROTECT, related_name="+")
    approvers: models.ManyToManyField = models.ManyToManyField(
        USER, verbose_name="用印审批人", related_name="+", through="SealApprover"
    )
    filed_on = models.DateField("乡镇备案日期", null=True, blank=True)
    filing_reference = models.CharField("备案编号", max_length=64, blank=True)
    filed_by = models.ForeignKey(
        USER, verbose_name="备案人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状态", max_length=16, choices=SealStatus.choices, default=SealStatus.IN_USE)
    status_on = models.DateField("状态日期", default=timezone.localdate)
    status_reason = models.CharField("状态原因", max_length=200, blank=True)
    registered_at = models.DateTimeField("登记时间", default=timezone.now)
    registered_by = models.ForeignKey(USER, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "印章"
        verbose_name_plural = "印章"
        ordering = ["region_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="seal_unique_name_per_village"),
            models.CheckConstraint(condition=Q(kind__in=SealKind.values), name="seal_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=SealStatus.values), name="seal_status_valid"),
            models.CheckConstraint(
                condition=Q(status=SealStatus.IN_USE) | ~Q(status_reason=""), name="seal_status_change_has_reason"
            ),
            models.CheckConstraint(
                condition=(Q(filed_on__isnull=True) & Q(filing_reference=""))
                | (Q(filed_on__isnull=False) & ~Q(filing_reference="")),
                name="seal_filing_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SealApprover(models.Model):
    """Who may approve the use of a seal (never its custodian: checked by the services)."""

    seal = models.ForeignKey(Seal, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["seal", "user"], name="seal_approver_unique")]

    def __str__(self) -> str:
        return f"{self.seal_id} · {self.user_id}"


class SealEvent(AppendOnly):
    """The registration record of a seal: registered, filed, status changes, custodian changes."""

    seal = models.ForeignKey(Seal, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    on = models.DateField("发生日期", default=timezone.localdate)
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    before = models.CharField(max_length=200, blank=True)
    after = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="seal_event_kind_valid")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class SealRequest(models.Model):
    """A request to use a seal for one matter. Its custodian and approver are never the same person."""

    # Neither indexed alone: (region, status) and (seal, status) begin with them.
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", db_index=False)
    seal = models.ForeignKey(
        Seal, verbose_name="印章", on_delete=models.PROTECT, related_name="requests", db_index=False
    )
    category = models.CharField("用印类别", max_length=24, choices=Category.choices)
    matter = models.CharField("用印事由", max_length=MAX_MATTER)
    remarks = models.CharField("备注", max_length=MAX_REMARKS, blank=True)
    impressions = models.PositiveSmallIntegerField("申请用印次数")
    certificate_serial = models.CharField("证明编号", max_length=40, blank=True)
    requester = models.ForeignKey(USER, verbose_name="经办人", on_delete=models.PROTECT, related_name="+")
    # The seal's custodian when the request was made, replaced by whoever actually stamps.
    custodian = models.ForeignKey(USER, verbose_name="保管人", on_delete=models.PROTECT, related_name="+")
    approver = models.ForeignKey(
        USER, verbose_name="审批人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    principal_signed = models.BooleanField("主要负责人已签字", default=False)
    status = models.CharField("状态", max_length=16, choices=RequestStatus.choices, default=RequestStatus.DRAFT)
    created_at = models.DateTimeField("申请时间", default=timezone.now)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=300, blank=True)
    claimed_by = models.CharField("领取设备", max_length=64, blank=True)
    claimed_at = models.DateTimeField("设备领取时间", null=True, blank=True)
    stamped_at = models.DateTimeField("用印时间", null=True, blank=True)

    class Meta:
        verbose_name = "用印申请"
        verbose_name_plural = "用印申请"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region", "status"]), models.Index(fields=["seal", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RequestStatus.values), name="seal_request_status_valid"),
            models.CheckConstraint(condition=Q(category__in=Category.values), name="seal_request_category_valid"),
            models.CheckConstraint(
                condition=Q(impressions__gte=1, impressions__lte=MAX_IMPRESSIONS), name="seal_request_impressions_range"
            ),
            # （十四）: the approver is never the requester and never the custodian.
            models.CheckConstraint(
                condition=Q(approver__isnull=True) | (~Q(approver=F("requester")) & ~Q(approver=F("custodian"))),
                name="seal_request_separation_of_duties",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[RequestStatus.APPROVED, RequestStatus.STAMPED])
                | (Q(approver__isnull=False) & Q(decided_at__isnull=False)),
                name="seal_request_approved_has_approver",
            ),
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.REJECTED) | ~Q(decision_note=""),
                name="seal_request_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.STAMPED) | Q(stamped_at__isnull=False),
                name="seal_request_stamped_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"用印申请 {self.pk}：{self.matter[:20]}"

    @property
    def is_major(self) -> bool:
        from .choices import MAJOR_CATEGORIES

        return self.category in MAJOR_CATEGORIES


class SealDocument(AppendOnly):
    """A file attached to a request: the document to stamp, or a meeting resolution. Kept by hash."""

    PURPOSES = (("document", "用印文件"), ("resolution", "会议决议"))

    request = models.ForeignKey(SealRequest, on_delete=models.PROTECT, related_name="documents")
    purpose = models.CharField(max_length=16, choices=PURPOSES, default="document")
    title = models.CharField("文件名", max_length=120)
    kind = models.CharField(max_length=8)
    mime = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField("SHA-256", max_length=64)
    # Images are re-encoded without metadata (GPS); this is the hash of the file as uploaded.
    original_sha256 = models.CharField(max_length=64)
    # Content-addressed under MEDIA_ROOT (seals/ab/<sha256>.<kind>); served only through scoped views.
    stored_name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "sha256"], name="seal_document_unique_per_request"),
            models.CheckConstraint(
                condition=Q(purpose__in=["document", "resolution"]), name="seal_document_purpose_valid"
            ),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="seal_document_sha256_hex"),
        ]

    def __str__(self) -> str:
        return self.title


class SealResolution(AppendOnly):
    """A villagers' meeting or representatives' meeting resolution behind a major matter."""

    request = models.ForeignKey(SealRequest, on_delete=models.PROTECT, related_name="resolutions")
    document = models.OneToOneField(SealDocument, on_delete=models.PROTECT, related_name="resolution")
    meeting_kind = models.CharField("会议类型", max_length=16, choices=MeetingKind.choices)
    basis = models.CharField("应到人数口径", max_length=16, choices=QuorumBasis.choices)
    held_on = models.DateField("会议日期")
    members_total = models.PositiveIntegerField("应到")
    attended = models.PositiveIntegerField("实到")
    in_favour = models.PositiveIntegerField("同意")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(meeting_kind__in=MeetingKind.values), name="seal_resolution_kind_valid"),
            models.CheckConstraint(condition=Q(members_total__gte=1), name="seal_resolution_total_positive"),
            models.CheckConstraint(
                condition=Q(attended__lte=F("members_total")), name="seal_resolution_attended_le_total"
            ),
            models.CheckConstraint(
                condition=Q(in_favour__lte=F("attended")), name="seal_resolution_favour_le_attended"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_meeting_kind_display()} {self.held_on}"


class SealUse(AppendOnly):
    """The stamping register (用印登记): one row per stamped request, mirrored in the hash chain."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.OneToOneField(SealRequest, on_delete=models.PROTECT, related_name="use")
    # Neither indexed alone: (region, stamped_at) and (seal, stamped_at) begin with them.
    seal = models.ForeignKey(Seal, on_delete=models.PROTECT, related_name="uses", db_index=False)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", db_index=False)
    category = models.CharField(max_length=24, choices=Category.choices)
    custodian = models.ForeignKey(USER, verbose_name="用印人（保管人）", on_delete=models.PROTECT, related_name="+")
    approver = models.ForeignKey(USER, verbose_name="审批人", on_delete=models.PROTECT, related_name="+")
    requester = models.ForeignKey(USER, verbose_name="经办人", on_delete=models.PROTECT, related_name="+")
    # Names as they were when stamped: a later rename changes neither the register nor its chain entry.
    custodian_name = models.CharField("用印人姓名", max_length=64, blank=True)
    approver_name = models.CharField("审批人姓名", max_length=64, blank=True)
    requester_name = models.CharField("经办人姓名", max_length=64, blank=True)
    impressions = models.PositiveSmallIntegerField("实际用印次数")
    document_sha256 = models.CharField("所盖文件 SHA-256", max_length=64)
    stamped_at = models.DateTimeField("用印时间")
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)
    device = models.CharField("智能印章设备", max_length=64, blank=True)
    chain_seq = models.PositiveBigIntegerField("链上序号")
    entry_hash = models.CharField("链上哈希", max_length=64)

    class Meta:
        verbose_name = "用印登记"
        verbose_name_plural = "用印登记"
        ordering = ["-stamped_at"]
        indexes = [
            models.Index(fields=["region", "stamped_at"]),
            models.Index(fields=["seal", "stamped_at"]),
            # The register at province or prefecture scope: newest first without sorting every row.
            models.Index(fields=["-stamped_at"], name="seal_use_recent_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(custodian=F("approver")), name="seal_use_custodian_not_approver"),
            models.CheckConstraint(condition=Q(impressions__gte=1), name="seal_use_impressions_positive"),
        ]

    def __str__(self) -> str:
        return f"用印 {self.region_id}#{self.chain_seq}"


class SealRefusal(AppendOnly):
    """A request refused for its preconditions (obligations, 搭车): kept for the township's oversight."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    seal = models.ForeignKey(Seal, on_delete=models.PROTECT, related_name="refusals")
    category = models.CharField(max_length=24, choices=Category.choices)
    matter = models.CharField(max_length=MAX_MATTER * 2)
    remarks = models.CharField(max_length=MAX_REMARKS * 2, blank=True)
    rules = models.JSONField(default=list)
    messages = models.JSONField(default=list)
    requester = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["region", "at"])]

    def __str__(self) -> str:
        return f"被拒申请 {self.pk}"


class SealHandover(models.Model):
    """移交: the custodian hands seals to a successor before a witness; the receiver confirms."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    from_user = models.ForeignKey(USER, verbose_name="移交人", on_delete=models.PROTECT, related_name="+")
    to_user = models.ForeignKey(USER, verbose_name="接收人", on_delete=models.PROTECT, related_name="+")
    witness = models.ForeignKey(USER, verbose_name="监交人", on_delete=models.PROTECT, related_name="+")
    initiated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    note = models.CharField("移交说明", max_length=300, blank=True)
    status = models.CharField(max_length=16, choices=HandoverStatus.choices, default=HandoverStatus.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.CharField("拒收原因", max_length=300, blank=True)
    acknowledged_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "印章移交"
        verbose_name_plural = "印章移交"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=HandoverStatus.values), name="seal_handover_status_valid"),
            models.CheckConstraint(condition=~Q(from_user=F("to_user")), name="seal_handover_not_to_self"),
            models.CheckConstraint(
                condition=~Q(witness=F("from_user")) & ~Q(witness=F("to_user")), name="seal_handover_witness_is_third"
            ),
            models.CheckConstraint(
                condition=~Q(status=HandoverStatus.REFUSED) | ~Q(refusal_reason=""),
                name="seal_handover_refusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"移交单 {self.pk}"


class SealHandoverItem(AppendOnly):
    """One seal in a handover, with its state as handed over."""

    handover = models.ForeignKey(SealHandover, on_delete=models.PROTECT, related_name="items")
    seal = models.ForeignKey(Seal, on_delete=models.PROTECT, related_name="handover_items")
    seal_status = models.CharField(max_length=16, choices=SealStatus.choices)
    condition = models.CharField("印章状况", max_length=120)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["handover", "seal"], name="seal_handover_item_unique")]

    def __str__(self) -> str:
        return f"移交单 {self.handover_id} · 印章 {self.seal_id}"
