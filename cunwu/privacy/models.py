"""Personal-data keys: AES-256-GCM data keys and HMAC index keys, wrapped by CUNWU_KEY_ENCRYPTION_KEY.

Ciphertexts name the key that made them (`pii1.<kid>.<…>`), so keys rotate without downtime: new
writes use the current key, old rows stay readable until `cunwu keys rotate-pii` re-encrypts them.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class KeyPurpose(models.TextChoices):
    ENCRYPT = "encrypt", "加密密钥（AES-256-GCM）"
    INDEX = "index", "检索密钥（HMAC-SHA256）"


class DataKey(models.Model):
    """One 256-bit key; `material` is the base64 key, wrapped by the key-encryption key when set."""

    kid = models.CharField(max_length=32, unique=True)
    purpose = models.CharField("用途", max_length=16, choices=KeyPurpose.choices)
    material = models.TextField("密钥（加密或明文）")
    encrypted = models.BooleanField("已加密", default=False)
    current = models.BooleanField("当前密钥", default=False)
    created_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "个人信息密钥"
        verbose_name_plural = "个人信息密钥"
        ordering = ["purpose", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["purpose"], condition=Q(current=True), name="datakey_one_current"),
            models.CheckConstraint(condition=Q(purpose__in=KeyPurpose.values), name="datakey_purpose_valid"),
            models.CheckConstraint(
                condition=~Q(current=True) | Q(retired_at__isnull=True), name="datakey_current_not_retired"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.kid}"
