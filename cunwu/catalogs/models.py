"""Catalogs as an append-only history of statements made by a level, each within a revision.

The catalog in force for a village on a date is computed, never stored: for each item code, the
latest approved statement of each level (province, its prefecture, its county) due by that date,
the most local level winning. A statement either sets the item (add, refine, amend) or withdraws it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from . import kinds


class Change(models.TextChoices):
    ENACT = "立", "立（新设）"
    AMEND = "改", "改（修改）"
    REPEAL = "废", "废（废止）"
    INTERPRET = "释", "释（解释）"


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    APPROVED = "approved", "已批准"
    DISCARDED = "discarded", "已作废"


class Revision(models.Model):
    """One change to a catalog by one level: why (立改废释 and 文号), when it takes effect, who."""

    region = models.ForeignKey(
        "regions.Region", verbose_name="制定层级", on_delete=models.PROTECT, related_name="catalog_revisions"
    )
    kind = models.CharField("目录", max_length=16, choices=[(k, kinds.KIND_LABELS[k]) for k in kinds.KINDS])
    change = models.CharField("调整类型", max_length=1, choices=Change.choices)
    document = models.CharField("文号", max_length=128)
    effective = models.DateField("施行日期")
    note = models.TextField("说明", blank=True)
    status = models.CharField("状态", max_length=16, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="起草人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批准人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("起草时间", auto_now_add=True)
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    # SHA-256 of the revision's canonical content, so importing the same file again changes nothing.
    source_digest = models.CharField(max_length=64, blank=True)
    source_name = models.CharField("导入文件", max_length=200, blank=True)

    class Meta:
        verbose_name = "目录修订"
        verbose_name_plural = "目录修订"
        ordering = ["-effective", "-id"]
        indexes = [models.Index(fields=["kind", "status", "effective"])]
        constraints = [
            models.CheckConstraint(condition=Q(change__in=Change.values), name="revision_change_valid"),
            models.CheckConstraint(condition=Q(status__in=RevisionStatus.values), name="revision_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=kinds.KINDS), name="revision_kind_valid"),
            models.CheckConstraint(
                condition=~Q(status=RevisionStatus.APPROVED) | Q(approved_at__isnull=False),
                name="revision_approved_has_time",
            ),
            # Four eyes: whoever drafted a revision cannot approve it （二）.
            models.CheckConstraint(
                condition=Q(drafted_by__isnull=True) | Q(approved_by__isnull=True) | ~Q(approved_by=F("drafted_by")),
                name="revision_drafter_not_approver",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.document}（{self.effective}）"


class Op(models.TextChoices):
    SET = "set", "设立或修改"
    WITHDRAW = "withdraw", "取消"


class Statement(models.Model):
    """What one revision says about one item: its full content (set) or its withdrawal."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="statements")
    kind = models.CharField(max_length=16)
    code = models.CharField("编码", max_length=32)
    op = models.CharField(max_length=16, choices=Op.choices, default=Op.SET)
    name = models.CharField("名称", max_length=200, blank=True)
    aliases = models.JSONField("别名", default=list, blank=True)
    category = models.CharField("类别", max_length=64, blank=True)
    basis = models.TextField("设定依据", blank=True)
    source = models.TextField("来源", blank=True)
    # Kind-specific fields, keyed by the CSV column names (see kinds.KIND_FIELDS).
    fields = models.JSONField(default=dict, blank=True)
    reason = models.TextField("调整理由", blank=True)

    class Meta:
        verbose_name = "目录条目"
        verbose_name_plural = "目录条目"
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "code"], name="statement_one_per_code_per_revision"),
            models.CheckConstraint(condition=Q(op__in=Op.values), name="statement_op_valid"),
            models.CheckConstraint(condition=Q(op=Op.WITHDRAW) | ~Q(name=""), name="statement_set_has_name"),
        ]
        indexes = [models.Index(fields=["kind", "code"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name or self.get_op_display()}"


class PhrasingStatus(models.TextChoices):
    OPEN = "open", "待处理"
    PROPOSED = "proposed", "已起草别名，待另一位管理员批准"
    ADDED = "added", "已作为别名生效"
    LEXICON = "lexicon", "已加入词库"
    UNLISTED = "unlisted", "确属目录外"


class MissedPhrasing(models.Model):
    """How people wrote a request that triage missed (unlisted, below the threshold, or the clerk
    chose another item), masked of personal data, with how often it occurred. A province admin
    adds it as an alias of an item (a catalog revision another admin approves) or marks it unlisted."""

    key = models.CharField("规范文本", max_length=200, unique=True)
    text = models.CharField("群众写法（已遮盖个人信息）", max_length=500)
    source = models.CharField("来源", max_length=16, choices=[("triage", "我要开证明"), ("intake", "受理时改选事项")])
    count = models.PositiveIntegerField("出现次数", default=1)
    proposed_kind = models.CharField(max_length=16, blank=True)
    proposed_code = models.CharField("系统建议事项", max_length=32, blank=True)
    chosen_kind = models.CharField(max_length=16, blank=True)
    chosen_code = models.CharField("经办人选定事项", max_length=32, blank=True)
    status = models.CharField("状态", max_length=16, choices=PhrasingStatus.choices, default=PhrasingStatus.OPEN)
    revision = models.ForeignKey(
        Revision, verbose_name="别名修订", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_seen = models.DateTimeField("首次出现", auto_now_add=True)
    last_seen = models.DateTimeField("最近出现", auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "未识别写法"
        verbose_name_plural = "未识别写法"
        ordering = ["-count", "-last_seen"]
        indexes = [models.Index(fields=["status", "count"])]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=PhrasingStatus.values), name="phrasing_status_valid"),
        ]

    def __str__(self) -> str:
        return self.text


class LexiconStatus(models.TextChoices):
    DRAFT = "draft", "待批准"
    APPROVED = "approved", "已批准"


class LexiconEntry(models.Model):
    """A phrase people write and the catalog term it means (屋头穷 → 家庭经济困难), added by a
    province admin to the shipped lexicon; in force once another admin approves it, from its date."""

    phrase = models.CharField("群众说法", max_length=50)
    canonical = models.CharField("目录用语", max_length=50)
    note = models.CharField("说明", max_length=200, blank=True)
    effective = models.DateField("施行日期")
    status = models.CharField("状态", max_length=16, choices=LexiconStatus.choices, default=LexiconStatus.DRAFT)
    phrasing = models.ForeignKey(
        MissedPhrasing, verbose_name="来自未识别写法", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "词库词条"
        verbose_name_plural = "词库词条"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=LexiconStatus.values), name="lexicon_status_valid"),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("proposed_by")),
                name="lexicon_proposer_not_approver",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False), name="lexicon_approved_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.phrase} → {self.canonical}"
