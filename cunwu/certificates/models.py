"""Certificates (证明事项): applications, decisions, issued certificates, copies, keys, templates.

An application is received (受理) at the desk, online or through the provincial platform, triaged
against the catalogs, decided by the clerk with a rule that names its clause, and either refused
(告知书) or signed off by the principal （十四） and issued with a serial and a signed QR token.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cunwu.privacy.fields import BlindIndexField, EncryptedJSONField, EncryptedTextField

from .rules import UNLISTED_CODE  # noqa: F401  (the `item` claim of certificates outside both catalogs （十三）)


class Channel(models.TextChoices):
    DESK = "desk", "窗口受理"
    ONLINE = "online", "网上申请"
    API = "api", "政务服务平台"


class Outcome(models.TextChoices):
    RETAINED = "retained", "保留证明事项"
    FORBIDDEN = "forbidden", "不应出具证明事项"
    UNLISTED = "unlisted", "目录外事项"


class Status(models.TextChoices):
    RECEIVED = "received", "已受理，待审查"
    PENDING = "pending_sign_off", "待主要负责人签字"
    ISSUED = "issued", "已出具"
    REFUSED = "refused", "不予出具"
    WITHDRAWN = "withdrawn", "已撤回"


class RefusalGround(models.TextChoices):
    FORBIDDEN_ITEM = "forbidden_item", "列入不应由村级组织出具证明事项目录"
    NO_LEGAL_BASIS = "no_legal_basis", "没有法律、法规或者党中央、国务院决定依据"
    PROVABLE_OTHERWISE = "provable_otherwise", "法定证照、法定文书、合同凭证、部门核查、网络核验等可以证明"
    WRITTEN_NOTICE = "written_notice", "采取书面告知方式可以解决"
    COVERED_BY_OTHER = "covered_by_other", "能够被其他材料涵盖或者替代"
    CANNOT_VERIFY = "cannot_verify", "村级组织没有能力核实"
    NOT_TRUE = "not_true", "经核实，申请证明的事项与事实不符"


class Application(models.Model):
    """One request for a certificate, from receipt (受理回执) to issue or refusal.

    Personal data (name, ID number, phone) lives only here and in the issued certificate's printed
    content, both encrypted at rest; lists, logs, audit rows and the hash chain get masked values.
    """

    # Not indexed alone: (region, status), (region, received_at) and the receipt number's unique
    # constraint all begin with it, and every scope filter is a range on it (docs/scaling.md, disk).
    region = models.ForeignKey(
        "regions.Region", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    receipt_number = models.CharField("受理号", max_length=32)
    channel = models.CharField("受理渠道", max_length=16, choices=Channel.choices)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.RECEIVED)

    # Encrypted at rest (cunwu.privacy): found by the blind index (ID, phone) or the masked name only.
    applicant_name = EncryptedTextField("申请人姓名")
    # Not indexed: only ever matched inside an OR with `icontains` (the register's search), which no index serves.
    applicant_name_masked = models.CharField("申请人姓名（脱敏）", max_length=64, blank=True)
    applicant_id_number = EncryptedTextField("申请人身份证号")
    # Indexed in Meta, without the `_like` (varchar_pattern_ops) twin `db_index` adds, since a blind
    # index is only ever compared for equality: a hash index on PostgreSQL (certificates 0008), a
    # quarter of a B-tree's size on 64-character keys. The phone's blind index has no query, so no index.
    applicant_id_number_hmac = BlindIndexField(source="applicant_id_number", db_index=False)
    applicant_phone = EncryptedTextField("联系电话", blank=True)
    applicant_phone_hmac = BlindIndexField(source="applicant_phone", db_index=False)
    by_proxy = models.BooleanField("委托代办", default=False)
    agent_name = EncryptedTextField("代办人姓名", blank=True)
    agent_id_number = EncryptedTextField("代办人身份证号", blank=True)
    agent_phone = EncryptedTextField("代办人电话", blank=True)

    request_text = models.TextField("申请开具的证明（申请人原话）")
    purpose = models.CharField("用途", max_length=200)
    requesting_agency = models.CharField("索要单位", max_length=128, blank=True)
    agency_basis = models.CharField("索要依据", max_length=300, blank=True)

    # The catalog triage at intake; the clerk may correct the item when deciding.
    outcome = models.CharField("事项类别", max_length=16, choices=Outcome.choices)
    item_code = models.CharField("目录事项编码", max_length=32, blank=True)
    item_name = models.CharField("目录事项名称", max_length=200, blank=True)
    triage_advice = models.TextField("初步判断说明", blank=True)
    triage_clauses = models.JSONField("依据条款", default=list, blank=True)
    triage_candidates = models.JSONField("可能匹配的事项", default=list, blank=True)

    received_at = models.DateTimeField("受理时间")
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="受理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    decided_at = models.DateTimeField("审查时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_rule = models.CharField("决定规则", max_length=48, blank=True)
    decision_clause = models.CharField("决定依据条款", max_length=32, blank=True)
    decision_reason = models.TextField("决定理由", blank=True)
    refusal_ground = models.CharField("不予出具理由", max_length=32, choices=RefusalGround.choices, blank=True)
    refusal_number = models.CharField("告知书编号", max_length=32, blank=True)
    alternative = models.JSONField("替代方式", null=True, blank=True)
    materials_checked = models.JSONField("已核验材料", default=list, blank=True)
    verification_method = models.TextField("核实方式", blank=True)
    verified_facts = models.TextField("核实的事实", blank=True)
    validity_days = models.PositiveIntegerField("有效期（天）", null=True, blank=True)
    major_matter = models.BooleanField("涉及重大问题", default=False)
    investigation_record = models.TextField("调查核实记录", blank=True)
    meeting_resolution = models.TextField("村民（代表）会议决定", blank=True)
    legal_risk = models.BooleanField("存在法律风险", default=False)
    lawyer_review = models.TextField("律师等专业力量评估意见", blank=True)
    template = models.ForeignKey(
        "CertificateTemplate",
        verbose_name="采用式样",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    returned_note = models.TextField("退回说明", blank=True)
    withdrawn_reason = models.CharField("撤回原因", max_length=200, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)

    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "证明申请"
        verbose_name_plural = "证明申请"
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["applicant_id_number_hmac"], name="certapp_id_number_hmac_idx"),
            models.Index(fields=["region", "status"]),
            # A village's register for a period (docs/scaling.md); BRIN on received_at is PostgreSQL-only (0005).
            models.Index(fields=["region", "received_at"], name="certapp_region_received_idx"),
            models.Index(fields=["status", "received_at"]),
            # The register at province or prefecture scope: newest decisions first, read backwards
            # with LIMIT instead of sorting millions of rows (docs/scaling.md, three years of Yunnan).
            models.Index(
                fields=["-decided_at", "-id"],
                condition=Q(status__in=[Status.ISSUED, Status.REFUSED]),
                name="certapp_register_recent_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["region", "receipt_number"], name="certapp_receipt_unique_per_village"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="certapp_status_valid"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="certapp_channel_valid"),
            models.CheckConstraint(condition=Q(outcome__in=Outcome.values), name="certapp_outcome_valid"),
            models.CheckConstraint(
                condition=~Q(status=Status.REFUSED) | (~Q(refusal_number="") & ~Q(refusal_ground="")),
                name="certapp_refusal_has_notice",
            ),
            models.CheckConstraint(
                condition=~Q(by_proxy=True) | ~Q(agent_name=""),
                name="certapp_proxy_has_agent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_number} {self.item_name or self.request_text[:20]}"


class MaterialKind(models.TextChoices):
    SUPPORTING = "supporting", "佐证材料"
    AUTHORISATION = "authorisation", "授权委托书"
    INVESTIGATION = "investigation", "调查核实记录"
    RESOLUTION = "resolution", "村民（代表）会议决定"
    LAWYER_REVIEW = "lawyer_review", "律师评估意见"


def material_path(instance: Material, filename: str) -> str:
    # Stored names never carry the uploader's file name (it may hold personal data).
    return f"certificates/{instance.application.region_id}/{instance.sha256[:2]}/{instance.sha256}{_suffix(filename)}"


def _suffix(filename: str) -> str:
    return "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


class Material(models.Model):
    """An uploaded file (PDF, JPEG or PNG) supporting an application or its decision."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField("类别", max_length=16, choices=MaterialKind.choices, default=MaterialKind.SUPPORTING)
    label = models.CharField("材料名称", max_length=100, blank=True)
    file = models.FileField("文件", upload_to=material_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    mime = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField("上传时间")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"
        ordering = ["application_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=MaterialKind.values), name="certmaterial_kind_valid")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.label}"


class CertificateStatus(models.TextChoices):
    VALID = "valid", "有效"
    REVOKED = "revoked", "已撤销"


class Certificate(models.Model):
    """An issued certificate. `content` is exactly what is printed; `digest` is its `dig` claim.

    The signer's name and title are kept as they were on the day of issue (OpenSID's register).
    """

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="certificate")
    # Not indexed alone: (region, issued_at) and both unique constraints begin with it.
    region = models.ForeignKey(
        "regions.Region", verbose_name="出具单位", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("年度序号")
    serial = models.CharField("证明编号", max_length=32)
    issuer_name = models.CharField("出具单位名称", max_length=128)
    item_code = models.CharField("事项编码", max_length=32)
    item_name = models.CharField("事项名称", max_length=200)
    title = models.CharField("证明标题", max_length=100)
    subject_masked = models.CharField("证明对象（脱敏）", max_length=64)
    content = EncryptedJSONField("打印内容")  # holds the full name and ID number: encrypted at rest
    digest = models.CharField("内容摘要", max_length=64)
    token = models.TextField("核验令牌")
    kid = models.CharField("签名密钥", max_length=64)
    issued_at = models.DateTimeField("出具时间")
    valid_until = models.DateTimeField("有效期至", null=True, blank=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="签字人", on_delete=models.PROTECT, related_name="+"
    )
    signer_name = models.CharField("签字人姓名", max_length=64)
    signer_title = models.CharField("签字人职务", max_length=128)
    clerk_name = models.CharField("经办人", max_length=64, blank=True)
    status = models.CharField("状态", max_length=16, choices=CertificateStatus.choices, default=CertificateStatus.VALID)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤销人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revocation_reason = models.CharField("撤销原因", max_length=300, blank=True)
    # Filled by the seals app once the physical seal use that stamped this certificate is recorded.
    seal_use_ref = models.CharField("用印记录", max_length=64, blank=True)
    copies = models.PositiveIntegerField("打印份数", default=0)
    chain_seq = models.PositiveIntegerField("台账链序号", null=True, blank=True)

    class Meta:
        verbose_name = "证明"
        verbose_name_plural = "证明"
        ordering = ["-issued_at", "-id"]
        # No index on item_code: no query looks certificates up by item (the statistics group applications).
        indexes = [models.Index(fields=["region", "issued_at"])]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "seq"], name="certificate_seq_unique_per_village_year"),
            # Verification looks certificates up by (iss, sn): this is its index.
            models.UniqueConstraint(fields=["region", "serial"], name="certificate_serial_unique_per_village"),
            models.CheckConstraint(condition=Q(status__in=CertificateStatus.values), name="certificate_status_valid"),
            models.CheckConstraint(
                condition=Q(status=CertificateStatus.VALID, revoked_at__isnull=True)
                | Q(status=CertificateStatus.REVOKED, revoked_at__isnull=False),
                name="certificate_revoked_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issuer_name} {self.serial}"


class CertificateCopy(models.Model):
    """Every printed copy of a certificate, the first being the original (OpenCRVS)."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="copy_records")
    number = models.PositiveIntegerField("份次")
    printed_at = models.DateTimeField("打印时间")
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="打印人", on_delete=models.PROTECT, related_name="+"
    )
    printed_by_name = models.CharField("打印人姓名", max_length=64)
    reason = models.CharField("补打原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "证明打印记录"
        verbose_name_plural = "证明打印记录"
        ordering = ["certificate_id", "number"]
        constraints = [models.UniqueConstraint(fields=["certificate", "number"], name="certcopy_number_unique")]

    def __str__(self) -> str:
        return f"{self.certificate_id} 第{self.number}份"


class CounterKind(models.TextChoices):
    CERTIFICATE = "certificate", "证明编号"
    RECEIPT = "receipt", "受理号"
    REFUSAL = "refusal", "告知书编号"


class SerialCounter(models.Model):
    """The last number used per village, year and kind; locked while a number is taken (no gaps)."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=CounterKind.choices)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "编号计数"
        verbose_name_plural = "编号计数"
        constraints = [models.UniqueConstraint(fields=["region", "year", "kind"], name="serialcounter_unique")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year} {self.kind} {self.last}"


class SigningKey(models.Model):
    """An Ed25519 key signing certificate tokens. Retired keys stay so old tokens still verify."""

    kid = models.CharField(max_length=64, unique=True)
    public_x = models.CharField("公钥（x）", max_length=64)
    private_jwk = models.TextField("私钥（加密或明文 JWK）")
    encrypted = models.BooleanField("已加密", default=False)
    current = models.BooleanField("当前签名密钥", default=False)
    created_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "签名密钥"
        verbose_name_plural = "签名密钥"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["current"], condition=Q(current=True), name="signingkey_one_current"),
            models.CheckConstraint(
                condition=~Q(current=True) | Q(retired_at__isnull=True), name="signingkey_current_not_retired"
            ),
        ]

    def __str__(self) -> str:
        return self.kid


class CaseStatus(models.TextChoices):
    OPEN = "open", "待协调"
    CLOSED = "closed", "已办结"


class CaseAction(models.TextChoices):
    AGENCY_ACCEPTED = "agency_accepted", "已与索要单位沟通，改用替代方式办理"
    AGENCY_CORRECTED = "agency_corrected", "已督促索要单位纠正，不再索要村级证明"
    REPORTED = "reported", "已报县级相关部门处理"
    OTHER = "other", "其他处理"


class CoordinationCase(models.Model):
    """A forbidden certificate an agency still demands: the township coordinates （十三）."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="coordination_case")
    region = models.ForeignKey("regions.Region", verbose_name="村（社区）", on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey(
        "regions.Region", verbose_name="乡镇（街道）", on_delete=models.PROTECT, related_name="+"
    )
    item_code = models.CharField("事项编码", max_length=32)
    item_name = models.CharField("事项名称", max_length=200)
    agency = models.CharField("索要单位", max_length=128)
    status = models.CharField("状态", max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_at = models.DateTimeField("提交时间")
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办结人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField("处理方式", max_length=32, choices=CaseAction.choices, blank=True)
    result = models.TextField("处理情况", blank=True)

    class Meta:
        verbose_name = "证明事项协调"
        verbose_name_plural = "证明事项协调"
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["status", "region"])]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=CaseStatus.values), name="certcase_status_valid"),
            models.CheckConstraint(
                condition=Q(status=CaseStatus.OPEN) | (Q(closed_at__isnull=False) & ~Q(action="") & ~Q(result="")),
                name="certcase_closed_has_result",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.item_name}"


class TemplateStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已公布"
    WITHDRAWN = "withdrawn", "已停用"


class CertificateTemplate(models.Model):
    """A requesting agency's 式样 for one catalog item, public once published （十二）.

    It applies to every village under `region` (a county, prefecture or the province); the most
    local published template wins. `body` holds paragraphs with placeholders such as {姓名}.
    """

    item_code = models.CharField("事项编码", max_length=32)
    item_name = models.CharField("事项名称", max_length=200)
    region = models.ForeignKey("regions.Region", verbose_name="适用范围", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "regions.Organisation",
        verbose_name="制定部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requesting_agency = models.CharField("索要单位", max_length=128)
    title = models.CharField("证明标题", max_length=100)
    body = models.TextField("正文式样")
    validity_days = models.PositiveIntegerField("有效期（天）", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=TemplateStatus.choices, default=TemplateStatus.DRAFT)
    created_at = models.DateTimeField("创建时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="公布人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField("停用时间", null=True, blank=True)

    class Meta:
        verbose_name = "证明式样"
        verbose_name_plural = "证明式样"
        ordering = ["item_code", "-published_at", "-id"]
        indexes = [models.Index(fields=["item_code", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=TemplateStatus.values), name="certtemplate_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=TemplateStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="certtemplate_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_code} {self.title}（{self.requesting_agency}）"
