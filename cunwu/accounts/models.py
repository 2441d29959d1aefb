from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from cunwu.privacy.fields import EncryptedTextField

from .permissions import Role


class User(AbstractUser):
    """A person who signs in. What they may do comes from their memberships, never from flags."""

    display_name = models.CharField("姓名", max_length=64, blank=True)
    phone = EncryptedTextField("手机号", blank=True)  # encrypted at rest (cunwu.privacy)
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)
    # Raised whenever every session of the account must end (password reset, role ended, lock-out):
    # it is part of the session hash, so sessions signed with an older value are refused.
    session_epoch = models.PositiveIntegerField("登录凭据版本", default=0)
    created_by = models.ForeignKey(
        "self", verbose_name="创建人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        if not self.session_epoch:  # unchanged for accounts never revoked, so no session is lost on upgrade
            return super()._get_session_auth_hash(secret=secret)  # type: ignore[misc]  # not in django-stubs
        return salted_hmac(
            "cunwu.accounts.User.session", f"{self.password}:{self.session_epoch}", secret=secret, algorithm="sha256"
        ).hexdigest()


class Membership(models.Model):
    """A role held at a region (and, for department staff, in an organisation)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="人员", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name="区划", on_delete=models.PROTECT, related_name="memberships"
    )
    organisation = models.ForeignKey(
        "regions.Organisation",
        verbose_name="组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    active = models.BooleanField("在任", default=True)
    started_on = models.DateField("任职日期", default=timezone.localdate)
    ended_on = models.DateField("离任日期", null=True, blank=True)
    # Who gave this role; empty when it was given from the command line (seed, province admins).
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="授予人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "任职"
        verbose_name_plural = "任职"
        ordering = ["user_id", "role"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=[r.value for r in Role]), name="membership_role_valid"),
            models.CheckConstraint(
                condition=~Q(role=Role.DEPARTMENT_OFFICER) | Q(organisation__isnull=False),
                name="membership_department_needs_organisation",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"], condition=Q(active=True), name="membership_unique_active"
            ),
        ]
        indexes = [models.Index(fields=["region", "role", "active"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.region}"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; it expires and can be revoked."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    label = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.user} · {self.label or '令牌'}"


class Notification(models.Model):
    """Something a person must act on. Addressed to a user, or to whoever holds a role at a region.

    Shown on the workbench and counted in the header; a gateway (SMS, mail) can read the same rows later.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    role = models.CharField(max_length=32, choices=Role.choices, blank=True)
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=48)
    title = models.CharField(max_length=200)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    # What the notification is about, so it can be closed when the thing is handled.
    subject_type = models.CharField(max_length=48, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "待办提醒"
        verbose_name_plural = "待办提醒"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["role", "region", "done_at"]),
            models.Index(fields=["subject_type", "subject_id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | (Q(region__isnull=False) & ~Q(role="")),
                name="notification_has_addressee",
            )
        ]

    def __str__(self) -> str:
        return self.title
