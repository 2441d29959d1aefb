"""Tamper-evident registers: per-village hash chains, their heads and published checkpoints.

Every certificate issuance, revocation and seal use is one `ChainEntry`; its `hash` covers its own
content and the previous entry's hash, so changing, deleting, inserting or reordering any entry
breaks the chain. `Checkpoint` rows publish chain heads (portal and API), so even a consistent
rewrite of a whole chain disagrees with what was published. Both tables are append-only.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

GENESIS_HASH = "0" * 64


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete a row of an append-only register."""


class _AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AppendOnlyError("存证记录只能追加，不能修改。")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("存证记录只能追加，不能删除。")


class ChainEntry(_AppendOnly):
    """One entry of a village's chain: what happened (masked), when, and its link to the previous entry."""

    chain = models.CharField("链（村、社区代码）", max_length=12)
    seq = models.PositiveBigIntegerField("序号")
    kind = models.CharField("类型", max_length=40)
    ref_type = models.CharField("对象类型", max_length=64, blank=True)
    ref_id = models.CharField("对象编号", max_length=64, blank=True)
    payload = models.JSONField("内容（已脱敏）", default=dict)
    recorded_at = models.DateTimeField("记录时间")
    prev_hash = models.CharField("前一条哈希", max_length=64)
    hash = models.CharField("本条哈希", max_length=64)

    class Meta:
        verbose_name = "存证记录"
        verbose_name_plural = "存证记录"
        ordering = ["chain", "seq"]
        constraints = [
            # One position per entry: two writers can never both append seq N (no fork).
            models.UniqueConstraint(fields=["chain", "seq"], name="ledger_entry_chain_seq_uniq"),
            models.CheckConstraint(condition=models.Q(seq__gte=1), name="ledger_entry_seq_positive"),
        ]
        indexes = [
            models.Index(fields=["ref_type", "ref_id"], name="ledger_entry_ref_idx"),
            # A village's or a county's entries for a period, without reading other regions' (docs/scaling.md).
            models.Index(fields=["chain", "recorded_at"], name="ledger_entry_chain_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.kind}"


class ChainHead(models.Model):
    """The latest seq and hash of a chain; its row lock serialises appenders to that chain.

    A working copy, not a record: verification trusts the entries and checkpoints, and only uses the
    head as an extra tripwire for entries deleted from or added to the end of a chain.
    """

    chain = models.CharField("链（村、社区代码）", max_length=12, primary_key=True)
    seq = models.PositiveBigIntegerField("最新序号", default=0)
    hash = models.CharField("最新哈希", max_length=64, default=GENESIS_HASH)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        verbose_name = "链头"
        verbose_name_plural = "链头"

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq}"


class Checkpoint(_AppendOnly):
    """A chain head as published at a moment: anyone may keep a copy and compare it later."""

    chain = models.CharField("链（村、社区代码）", max_length=12)
    seq = models.PositiveBigIntegerField("序号")
    hash = models.CharField("哈希", max_length=64)
    created_at = models.DateTimeField("存证时间", default=timezone.now)

    class Meta:
        verbose_name = "存证点"
        verbose_name_plural = "存证点"
        ordering = ["chain", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="ledger_checkpoint_chain_seq_uniq"),
            models.CheckConstraint(condition=models.Q(seq__gte=1), name="ledger_checkpoint_seq_positive"),
        ]
        indexes = [models.Index(fields=["created_at"], name="ledger_checkpoint_created_idx")]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.hash[:12]}"


class LedgerKey(models.Model):
    """The Ed25519 key signing tree heads; wrapped by CUNWU_KEY_ENCRYPTION_KEY like every stored key."""

    name = models.CharField("密钥名称（来源）", max_length=200)
    public = models.CharField("公钥（base64）", max_length=64)
    private = models.TextField("私钥（加密或明文）")
    encrypted = models.BooleanField("已加密", default=False)
    current = models.BooleanField("当前签名密钥", default=False)
    created_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "存证签名密钥"
        verbose_name_plural = "存证签名密钥"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["current"], condition=models.Q(current=True), name="ledgerkey_one_current"),
        ]

    def __str__(self) -> str:
        return self.name


class TreeLeaf(_AppendOnly):
    """A checkpoint's place in the one Merkle tree of all chain heads (RFC 6962): leaf `index`."""

    index = models.PositiveBigIntegerField("树叶序号", primary_key=True)
    checkpoint = models.OneToOneField(Checkpoint, on_delete=models.PROTECT, related_name="leaf")

    class Meta:
        verbose_name = "存证树叶"
        verbose_name_plural = "存证树叶"
        ordering = ["index"]

    def __str__(self) -> str:
        return f"#{self.index}"


class TreeHead(_AppendOnly):
    """A signed checkpoint (C2SP tlog-checkpoint): the Merkle root over the first `size` chain heads."""

    size = models.PositiveBigIntegerField("树大小", unique=True)
    root = models.CharField("根哈希（hex）", max_length=64)
    note = models.TextField("签名存证点")
    created_at = models.DateTimeField("签名时间")

    class Meta:
        verbose_name = "签名存证点"
        verbose_name_plural = "签名存证点"
        ordering = ["size"]
        constraints = [models.CheckConstraint(condition=models.Q(size__gte=1), name="ledger_treehead_size_positive")]

    def __str__(self) -> str:
        return f"{self.size} {self.root[:12]}"
