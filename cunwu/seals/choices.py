"""The fixed vocabularies of the seals area (shared by models, rules, forms and the API)."""

from __future__ import annotations

from django.db import models


class SealKind(models.TextChoices):
    PARTY = "party", "村党组织章"
    COMMITTEE = "committee", "村民委员会章"
    SUPERVISION = "supervision", "村务监督委员会章"
    COLLECTIVE = "collective", "村集体经济组织章"
    FINANCE = "finance", "财务专用章"
    OTHER = "other", "其他印章"


class SealStatus(models.TextChoices):
    IN_USE = "in_use", "在用"
    SEALED_AWAY = "sealed_away", "封存"
    DESTROYED = "destroyed", "已销毁"
    LOST = "lost", "遗失"


class Category(models.TextChoices):
    DAILY_CERTIFICATE = "daily_certificate", "出具证明等日常事务"
    CONTRACT = "contract", "合同签订"
    ASSET_DISPOSAL = "asset_disposal", "集体资产处置"
    MAJOR_OTHER = "major_other", "其他重大事项"
    OTHER = "other", "其他一般事项"


class RequestStatus(models.TextChoices):
    DRAFT = "draft", "待补材料"
    SUBMITTED = "submitted", "待审批"
    APPROVED = "approved", "已批准待用印"
    REJECTED = "rejected", "不予批准"
    WITHDRAWN = "withdrawn", "已撤回"
    STAMPED = "stamped", "已用印"


class MeetingKind(models.TextChoices):
    VILLAGERS = "villagers", "村民会议"
    REPRESENTATIVES = "representatives", "村民代表会议"


class QuorumBasis(models.TextChoices):
    """What the attendance of a villagers' meeting is counted against (村民委员会组织法 第二十二条)."""

    ADULTS = "adults", "本村十八周岁以上村民"
    HOUSEHOLDS = "households", "本村户的代表"
    MEMBERS = "members", "村民代表会议组成人员"


class HandoverStatus(models.TextChoices):
    PENDING = "pending", "待接收人确认"
    CONFIRMED = "confirmed", "已确认待乡镇签收"
    REFUSED = "refused", "接收人拒收"
    ACKNOWLEDGED = "acknowledged", "乡镇已签收"
    CANCELLED = "cancelled", "已撤销"


class EventKind(models.TextChoices):
    REGISTERED = "registered", "登记"
    FILED = "filed", "乡镇备案"
    STATUS = "status", "状态变更"
    CUSTODIAN = "custodian", "保管人变更（移交）"
    DETAILS = "details", "用印范围或审批人变更"


MAJOR_CATEGORIES = frozenset({Category.CONTRACT, Category.ASSET_DISPOSAL, Category.MAJOR_OTHER})
PRINCIPAL_CATEGORIES = frozenset({Category.DAILY_CERTIFICATE, *MAJOR_CATEGORIES})
