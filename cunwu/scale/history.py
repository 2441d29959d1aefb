"""Years of certificate and seal activity in every village, loaded with COPY (`seed --years N`).

Per village, deterministically from (seed, village code): three staff accounts (clerk, principal,
seal custodian), the committee seal, then about 67 certificate applications a year (weighted per
village), received on working days with the season's rhythm (school and job seasons, the Spring
Festival lull): retained items issued with a per-village, per-year serial and a signed token,
forbidden and unlisted items refused with a numbered notice, a few withdrawn, the last days' still
open. Every issued certificate is stamped with the committee seal (its seal request and register
row), and the village uses its seals for other matters too. Each issue and stamping is an entry in
the village's hash chain, in time order, hashed here exactly as `chain_append` would; the chain
head, the serial counters and one audit row per outcome are written with them.

Personal data is synthetic and stored as the app stores it: AES-GCM under the data key, blind
indexes for ID and phone, masked names everywhere else.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
import multiprocessing
import random
import time
import uuid
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import connection
from django.utils import timezone

from cunwu import partitions
from cunwu.accounts.models import Membership, Role, User
from cunwu.audit.models import AuditEntry
from cunwu.catalogs import kinds
from cunwu.catalogs.selectors import catalog_in_force
from cunwu.certificates import rules as cert_rules
from cunwu.certificates.keys import ALG, b64url, b64url_decode, signing_key_current
from cunwu.certificates.models import (
    Application,
    Certificate,
    CertificateStatus,
    Channel,
    CounterKind,
    Outcome,
    SerialCounter,
    Status,
)
from cunwu.ledger import rules as ledger_rules
from cunwu.ledger.models import ChainEntry, ChainHead
from cunwu.masking import id_check_digit, mask_name
from cunwu.privacy import cipher
from cunwu.privacy.models import KeyPurpose
from cunwu.regions.selectors import province, village_committees
from cunwu.seals.choices import Category, RequestStatus, SealKind
from cunwu.seals.models import Seal, SealApprover, SealRequest, SealUse
from cunwu.seals.payloads import CHAIN_KIND_USE, use_payload
from cunwu.workdays import is_workday

from . import activity
from .copying import Table, copy_rows, keys_and_indexes_deferred, next_id, reset_sequence

TZ = ZoneInfo("Asia/Shanghai")
APPS_PER_VILLAGE_YEAR = 3_000_000 / 14_888 / 3  # ≈ 67: three million applications in three years
OTHER_SEAL_USES_PER_CERTIFICATE = 0.25  # contracts, notices, reports: ≈ 3 million stampings in all
BATCH_VILLAGES = 200

# Month weights: school enrolment (Aug–Sep), the job season after the Spring Festival (Feb–Mar).
SEASON = {1: 0.9, 2: 1.15, 3: 1.2, 4: 1.0, 5: 0.95, 6: 0.9, 7: 1.05, 8: 1.3, 9: 1.2, 10: 0.8, 11: 0.9, 12: 0.95}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红春梅建国志强国华文斌丽华海燕永福金凤德明家兴玉珍"
UNLISTED_REQUESTS = (
    ("务工收入证明", "办理子女助学贷款"),
    ("家庭困难情况证明", "申请临时救助"),
    ("土地承包经营情况证明", "办理农业补贴"),
    ("在村居住情况证明", "办理社保待遇资格认证"),
    ("养殖情况证明", "申请小额信贷"),
)
PURPOSES = ("办理居住证", "子女入学", "办理社会保险", "申请补贴", "单位政审", "办理贷款", "办理入党手续")
AGENCIES = ("县公安局派出所", "县教育体育局", "县人力资源和社会保障局", "乡镇人民政府", "县民政局", "农村信用合作社")


@dataclass
class Stats:
    villages: int = 0
    applications: int = 0
    certificates: int = 0
    refused: int = 0
    seal_uses: int = 0
    chain_entries: int = 0
    audit_rows: int = 0
    users: int = 0
    generate_seconds: float = 0.0
    generate_cpu_seconds: float = 0.0  # CPU time, less sensitive than wall time to a shared machine
    sign_seconds: float = 0.0
    encrypt_seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)
    copy_seconds: dict[str, float] = field(default_factory=dict)
    copy_rows: dict[str, int] = field(default_factory=dict)
    activity: dict[str, Any] = field(default_factory=dict)  # activity.load: county work, rows and timings

    def add(self, other: Stats) -> None:
        for name in ("villages", "applications", "certificates", "refused", "seal_uses", "chain_entries", "users"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("generate_seconds", "generate_cpu_seconds", "sign_seconds", "encrypt_seconds"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for table, seconds in other.copy_seconds.items():
            self.copy_seconds[table] = self.copy_seconds.get(table, 0.0) + seconds
            self.copy_rows[table] = self.copy_rows.get(table, 0) + other.copy_rows[table]


@dataclass
class _Ids:
    user: int
    application: int
    certificate: int
    seal: int
    seal_request: int


class _Tables:
    def __init__(self) -> None:
        self.user = Table(User)
        self.membership = Table(Membership, with_pk=False)
        self.seal = Table(Seal)
        self.approver = Table(SealApprover, with_pk=False)
        self.application = Table(Application)
        self.certificate = Table(Certificate)
        self.seal_request = Table(SealRequest)
        self.seal_use = Table(SealUse)
        self.chain = Table(ChainEntry, with_pk=False)
        self.head = Table(ChainHead)
        self.counter = Table(SerialCounter, with_pk=False)
        self.audit = Table(AuditEntry, with_pk=False)

    def order(self) -> list[Table]:
        """Foreign-key order: parents before children."""
        return [
            self.user,
            self.membership,
            self.seal,
            self.approver,
            self.application,
            self.certificate,
            self.seal_request,
            self.seal_use,
            self.chain,
            self.head,
            self.counter,
            self.audit,
        ]


class _Calendar:
    """Days of the period with their weight: working days by the official calendar, by season."""

    def __init__(self, start: dt.date, end: dt.date) -> None:
        self.days: list[dt.date] = []
        cum: list[float] = []
        total = 0.0
        day = start
        while day <= end:
            total += SEASON[day.month] * (1.0 if is_workday(day) else 0.04)
            self.days.append(day)
            cum.append(total)
            day += dt.timedelta(days=1)
        self.cum, self.total = cum, total

    def moments(self, rng: random.Random, n: int) -> list[dt.datetime]:
        out = []
        for _ in range(n):
            day = self.days[bisect.bisect_left(self.cum, rng.random() * self.total)]
            seconds = 8 * 3600 + 1800 + int(rng.random() * 9 * 3600)
            out.append(
                dt.datetime(day.year, day.month, day.day, seconds // 3600, seconds // 60 % 60, seconds % 60, tzinfo=TZ)
            )
        return sorted(out)


class _Signer:
    """Compact JWS (EdDSA) with the header fields and claims `keys.token_sign` uses, signed with the raw
    Ed25519 key (`keys.token_check` verifies them like any other token)."""

    def __init__(self) -> None:
        self.kid, okp = signing_key_current()
        private = okp.as_dict(private=True)
        self.key = Ed25519PrivateKey.from_private_bytes(b64url_decode(str(private["d"])))
        self.header = b64url(json.dumps({"alg": ALG, "kid": self.kid, "typ": "JWT"}, separators=(",", ":")).encode())

    def sign(self, claims: dict[str, Any]) -> str:
        body = f"{self.header}.{b64url(json.dumps(claims, separators=(',', ':'), ensure_ascii=False).encode())}"
        return f"{body}.{b64url(self.key.sign(body.encode('ascii')))}"


class _Sealer:
    """Personal data as EncryptedTextField/BlindIndexField store it (one AESGCM object per run)."""

    def __init__(self) -> None:
        self.enc = cipher.current_key()
        self.index = cipher.current_key(KeyPurpose.INDEX)

    def seal(self, text: str, model: str, field_name: str) -> str:
        return cipher.encrypt(text, aad=f"{model}.{field_name}", key=self.enc)

    def blind(self, text: str) -> str:
        return cipher.blind_index(text, key=self.index)


def _person(rng: random.Random, county: str) -> tuple[str, str, str]:
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 55))
    body = f"{county[:6]}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
    return name, body + id_check_digit(body), phone


@dataclass
class _Village:
    code: str
    name: str
    issuer_name: str
    committee_id: int
    weight: float


def villages_for(fraction: float, seed: int) -> list[_Village]:
    """Every village and community (or an evenly spread `fraction` of them) that has no activity yet,
    with its committee: running the seed again adds nothing."""
    rows = village_committees()
    if fraction < 1:
        step = max(1, round(1 / fraction))
        rows = rows[::step]
    # A village with a chain or applications already (the demo village) is left as it is.
    busy = set(ChainHead.objects.values_list("chain", flat=True)) | set(
        Application.objects.values_list("region_id", flat=True).distinct()
    )
    out = []
    for code, name, township, committee_id, committee in rows:
        if code in busy:
            continue
        issuer = committee if committee.startswith(township) else f"{township}{committee}"
        weight = random.Random(f"{seed}:{code}:weight").gammavariate(2.0, 0.5)
        out.append(_Village(code, name, issuer, committee_id, weight))
    return out


_JOB: dict[str, Any] = {}  # what the forked workers share (set before the pool starts)
BLOCK = {"user": 1_000, "application": 1_000_000, "certificate": 1_000_000, "seal": 1_000, "seal_request": 1_000_000}


def _batch(number: int) -> Stats:
    """One worker's share: generate a batch of villages and COPY it on the worker's own connection.

    Ids come from a block per batch, so the data is the same whatever the number of workers.
    """
    job, stats, tables = _JOB, Stats(), _Tables()
    first = job["first"]
    ids = _Ids(*(getattr(first, k) + number * BLOCK[k] for k in BLOCK))
    rows: dict[int, list[list[Any]]] = {id(t): [] for t in tables.order()}
    started, cpu = time.perf_counter(), time.process_time()
    for village in job["villages"][number * BATCH_VILLAGES : (number + 1) * BATCH_VILLAGES]:
        _village(
            village,
            job["years"],
            job["calendar"],
            job["end"],
            job["now"],
            job["seed"],
            job["retained"],
            job["forbidden"],
            ids,
            tables,
            rows,
            job["signer"],
            job["sealer"],
            stats,
        )
    stats.generate_seconds = time.perf_counter() - started
    stats.generate_cpu_seconds = time.process_time() - cpu
    raw = connection.cursor().cursor.connection
    for table in tables.order():
        if rows[id(table)]:
            started = time.perf_counter()
            copy_rows(raw, table, rows[id(table)])
            stats.copy_seconds[table.name] = time.perf_counter() - started
            stats.copy_rows[table.name] = len(rows[id(table)])
    return stats


def generate(*, years: int, fraction: float, seed: int, jobs: int = 2, stdout: Any = None) -> Stats:
    """Load `years` of activity into every village (PostgreSQL only); returns counts and timings."""
    if connection.vendor != "postgresql":
        raise RuntimeError("按年生成全省数据只支持 PostgreSQL（使用 COPY 载入）。")
    stats = Stats()
    started = time.perf_counter()
    today = timezone.localdate()
    end = today - dt.timedelta(days=1)
    start = end.replace(year=end.year - years) + dt.timedelta(days=1)
    calendar = _Calendar(start, end)
    region = province()
    retained = catalog_in_force(kinds.CERT_RETAINED, region, start)
    forbidden = catalog_in_force(kinds.CERT_FORBIDDEN, region, start)
    villages = villages_for(fraction, seed)
    first = _Ids(next_id(User), next_id(Application), next_id(Certificate), next_id(Seal), next_id(SealRequest))
    _JOB.update(
        villages=villages,
        years=years,
        calendar=calendar,
        end=end,
        now=timezone.now(),
        seed=seed,
        retained=retained,
        forbidden=forbidden,
        first=first,
        signer=_Signer(),
        sealer=_Sealer(),
    )
    # The yearly partitions of the chain and the audit log (PostgreSQL), so rows land in their year.
    partitions.ensure(years_ahead=today.year - start.year + 2, today=start)
    stats.phases["prepare"] = time.perf_counter() - started
    batches = range((len(villages) + BATCH_VILLAGES - 1) // BATCH_VILLAGES)
    t = time.perf_counter()
    with keys_and_indexes_deferred([table.model for table in _Tables().order()] + activity.MODELS) as deferred:
        stats.phases["drop_keys_and_indexes"] = time.perf_counter() - t
        t = time.perf_counter()
        connection.close()  # each worker opens its own
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for done, part in enumerate(pool.imap_unordered(_batch, batches), start=1):
                stats.add(part)
                if stdout is not None and (done % 10 == 0 or done == len(batches)):
                    stdout.write(
                        f"  已载入 {stats.villages}/{len(villages)} 个村，{time.perf_counter() - started:.0f} 秒"
                    )
        stats.phases["generate_and_copy"] = time.perf_counter() - t
        t = time.perf_counter()
        stats.activity = activity.load(
            villages=villages, years=years, calendar=calendar, end=end, now=_JOB["now"], seed=seed, jobs=jobs
        )
        stats.phases["county_work"] = time.perf_counter() - t
    stats.phases.update(deferred)
    t = time.perf_counter()
    for model in (
        User,
        Application,
        Certificate,
        Seal,
        SealRequest,
        Membership,
        SealApprover,
        ChainEntry,
        SerialCounter,
        AuditEntry,
    ):
        reset_sequence(model)
    stats.phases["sequences"] = time.perf_counter() - t
    stats.audit_rows = stats.copy_rows.get(AuditEntry._meta.db_table, 0)
    return stats


def _village(
    v: _Village,
    years: int,
    calendar: _Calendar,
    end: dt.date,
    now: dt.datetime,
    seed: int,
    retained: Any,
    forbidden: Any,
    ids: _Ids,
    t: _Tables,
    rows: dict[int, list[list[Any]]],
    signer: _Signer,
    sealer: _Sealer,
    stats: Stats,
) -> None:
    rng = random.Random(f"{seed}:{v.code}")
    stats.villages += 1
    registered = dt.datetime.combine(calendar.days[0], dt.time(9), tzinfo=TZ)

    # Staff: clerk (受理、审查), principal (签字、审批用印), seal custodian.
    staff = {}
    for role in (Role.VILLAGE_CLERK, Role.VILLAGE_HEAD, Role.SEAL_CUSTODIAN):
        name = _person(rng, v.code)[0]
        uid, ids.user = ids.user, ids.user + 1
        rows[id(t.user)].append(
            t.user.row(
                id=uid,
                password="!",  # unusable: generated staff cannot sign in
                username=f"{role.value}_{v.code}",
                display_name=name,
                date_joined=registered,
            )
        )
        rows[id(t.membership)].append(
            t.membership.row(user_id=uid, role=role.value, region_id=v.code, started_on=calendar.days[0])
        )
        staff[role] = SimpleNamespace(pk=uid, display_name=name, username=f"{role.value}_{v.code}")
        stats.users += 1
    clerk, head, custodian = staff[Role.VILLAGE_CLERK], staff[Role.VILLAGE_HEAD], staff[Role.SEAL_CUSTODIAN]
    seal_id, ids.seal = ids.seal, ids.seal + 1
    seal = SimpleNamespace(pk=seal_id, name=v.issuer_name, kind=SealKind.COMMITTEE.value)
    rows[id(t.seal)].append(
        t.seal.row(
            id=seal_id,
            region_id=v.code,
            organisation_id=v.committee_id,
            kind=SealKind.COMMITTEE,
            name=v.issuer_name,
            scope_of_use="出具证明、村务公开、合同协议等村民委员会日常事务",
            custodian_id=custodian.pk,
            status_on=calendar.days[0],
            registered_at=registered,
            registered_by_id=clerk.pk,
        )
    )
    rows[id(t.approver)].append(t.approver.row(seal_id=seal_id, user_id=head.pk))

    n = max(1, round(APPS_PER_VILLAGE_YEAR * years * v.weight))
    events: list[tuple[dt.datetime, int, str, dict[str, Any], str, str, Any]] = []  # chain entries to be
    counters: dict[tuple[int, str], int] = {}
    order = 0

    def number(year: int, kind: str) -> int:
        counters[(year, kind)] = counters.get((year, kind), 0) + 1
        return counters[(year, kind)]

    for received in calendar.moments(rng, n):
        app_id, ids.application = ids.application, ids.application + 1
        name, id_number, phone = _person(rng, v.code)
        roll = rng.random()
        if roll < 0.78:
            item = retained[min(int(rng.paretovariate(1.2)) - 1, len(retained) - 1)]
            outcome, code, item_name, request = Outcome.RETAINED, item.code, item.name, f"需要开{item.name}"
        elif roll < 0.90:
            item = forbidden[min(int(rng.paretovariate(1.0)) - 1, len(forbidden) - 1)]
            outcome, code, item_name, request = Outcome.FORBIDDEN, item.code, item.name, f"要开{item.name}"
        else:
            asked, _ = rng.choice(UNLISTED_REQUESTS)
            outcome, code, item_name, request = Outcome.UNLISTED, "", "", f"想开一个{asked}"
        purpose = rng.choice(PURPOSES)
        agency = rng.choice(AGENCIES)
        decided = received + dt.timedelta(minutes=rng.randrange(20, 60 * 30))
        issued = decided + dt.timedelta(minutes=rng.randrange(10, 60 * 20))
        status, ground = Status.ISSUED, ""
        r2 = rng.random()
        if outcome == Outcome.FORBIDDEN:
            status, ground = Status.REFUSED, "forbidden_item"
        elif outcome == Outcome.UNLISTED and r2 < 0.45:
            status, ground = Status.REFUSED, rng.choice(cert_rules.UNLISTED_GROUNDS[:3])
        elif r2 < 0.03:
            status, ground = Status.REFUSED, rng.choice(cert_rules.RETAINED_GROUNDS)
        elif r2 > 0.98:
            status = Status.WITHDRAWN
        if decided.date() > end or decided > now:
            status, ground = Status.RECEIVED, ""
        elif status == Status.ISSUED and (issued.date() > end or issued > now):
            status = Status.PENDING
        year = received.year
        receipt = cert_rules.receipt_text(year, number(year, CounterKind.RECEIPT))
        masked = mask_name(name)
        e0 = time.perf_counter()
        values: dict[str, Any] = dict(
            id=app_id,
            region_id=v.code,
            receipt_number=receipt,
            channel=Channel.DESK if rng.random() < 0.8 else Channel.ONLINE,
            status=status,
            applicant_name=sealer.seal(name, "certificates.application", "applicant_name"),
            applicant_name_masked=masked,
            applicant_id_number=sealer.seal(id_number, "certificates.application", "applicant_id_number"),
            applicant_id_number_hmac=sealer.blind(id_number),
            applicant_phone=sealer.seal(phone, "certificates.application", "applicant_phone"),
            applicant_phone_hmac=sealer.blind(phone),
            request_text=request,
            purpose=purpose,
            requesting_agency=agency,
            outcome=outcome,
            item_code=code,
            item_name=item_name,
            received_at=received,
            received_by_id=clerk.pk,
            updated_at=received,
        )
        stats.encrypt_seconds += time.perf_counter() - e0
        facts = f"{masked}系本村村民，经入户走访核实属实。"
        if status in (Status.ISSUED, Status.PENDING, Status.REFUSED):
            values.update(decided_at=decided, decided_by_id=clerk.pk, updated_at=decided)
        if status == Status.REFUSED:
            g = cert_rules.GROUNDS[ground]
            refusal = cert_rules.refusal_text(decided.year, number(decided.year, CounterKind.REFUSAL))
            values.update(
                refusal_ground=ground,
                refusal_number=refusal,
                decision_rule="forbidden_item" if ground == "forbidden_item" else f"refuse_{ground}",
                decision_clause=g.clause,
                decision_reason=g.explanation + "。",
            )
            stats.refused += 1
            rows[id(t.audit)].append(
                t.audit.row(
                    at=decided,
                    actor_id=clerk.pk,
                    actor_name=clerk.username,
                    action="certificates.application.decide",
                    object_type="certificates.application",
                    object_id=str(app_id),
                    region_code=v.code,
                    before={"status": Status.RECEIVED},
                    after={"status": Status.REFUSED, "refusal_number": refusal, "ground": ground},
                )
            )
        elif status in (Status.ISSUED, Status.PENDING):
            values.update(
                decision_rule="retained_item" if outcome == Outcome.RETAINED else "unlisted_verified",
                decision_clause="（十二）" if outcome == Outcome.RETAINED else "（十三）",
                decision_reason="经核实，同意出具。",
                verification_method="入户核实",
                verified_facts=facts,
                materials_checked=["身份证明"],
            )
        elif status == Status.WITHDRAWN:
            values.update(withdrawn_reason="申请人已通过其他方式办理", withdrawn_at=decided, updated_at=decided)
        if status == Status.ISSUED:
            values["updated_at"] = issued
        rows[id(t.application)].append(t.application.row(**values))
        stats.applications += 1
        if status != Status.ISSUED:
            continue

        # Issue: serial per village and year, printed content, signed token, chain entry, stamping.
        cert_id, ids.certificate = ids.certificate, ids.certificate + 1
        issued_on = issued.date()
        seq = number(issued_on.year, CounterKind.CERTIFICATE)
        serial = cert_rules.serial_text(v.code, issued_on.year, seq)
        days = 90 if outcome == Outcome.RETAINED and rng.random() < 0.4 else None
        valid_until = issued_on + dt.timedelta(days=days - 1) if days else None
        title = item_name if outcome == Outcome.RETAINED else cert_rules.UNLISTED_DEFAULT_TITLE
        body = cert_rules.RETAINED_DEFAULT_BODY if outcome == Outcome.RETAINED else cert_rules.UNLISTED_DEFAULT_BODY
        item_code = code if outcome == Outcome.RETAINED else cert_rules.UNLISTED_CODE
        printed_item = item_name if outcome == Outcome.RETAINED else "目录外证明事项"
        content = cert_rules.printed_content(
            title=title,
            serial=serial,
            issuer_code=v.code,
            issuer_name=v.issuer_name,
            item_code=item_code,
            item_name=printed_item,
            paragraphs=cert_rules.fill_template(
                body,
                {
                    "姓名": name,
                    "身份证号": id_number,
                    "村": v.issuer_name,
                    "事项": item_name or title,
                    "核实情况": facts,
                    "核实方式": "入户核实",
                    "用途": purpose,
                    "索要单位": agency,
                    "有效期至": cert_rules.date_text(valid_until) if valid_until else "长期",
                    "日期": cert_rules.date_text(issued_on),
                },
            ),
            fields=[
                ("证明事项", printed_item if outcome == Outcome.RETAINED else title),
                ("索要单位", agency),
                ("主要负责人签字", ""),
            ],
            purpose=purpose,
            valid_until=valid_until,
            issued_on=issued_on,
        )
        # keys.content_digest spells it with rfc8785; canonical_json is the same bytes, faster.
        dig = b64url(hashlib.sha256(ledger_rules.canonical_json(content)).digest())
        until = dt.datetime.combine(valid_until, dt.time(23, 59, 59), tzinfo=TZ) if valid_until else None
        claims: dict[str, Any] = {
            "sn": serial,
            "iss": v.code,
            "item": item_code,
            "sub": masked,
            "iat": int(issued.timestamp()),
            "dig": dig,
        }
        if until is not None:
            claims["exp"] = int(until.timestamp())
        s0 = time.perf_counter()
        token = signer.sign(claims)
        stats.sign_seconds += time.perf_counter() - s0
        e0 = time.perf_counter()
        sealed_content = sealer.seal(
            json.dumps(content, ensure_ascii=False, sort_keys=True), "certificates.certificate", "content"
        )
        stats.encrypt_seconds += time.perf_counter() - e0

        # The stamping of the certificate (requested by the clerk, approved by the principal).
        request_id, ids.seal_request = ids.seal_request, ids.seal_request + 1
        stamped = issued + dt.timedelta(minutes=rng.randrange(2, 40))
        use_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        matter = f"出具{title}（{serial}）"
        doc = hashlib.sha256(f"{seed}:{serial}".encode()).hexdigest()
        cert_values = dict(
            id=cert_id,
            application_id=app_id,
            region_id=v.code,
            year=issued_on.year,
            seq=seq,
            serial=serial,
            issuer_name=v.issuer_name,
            item_code=item_code,
            item_name=printed_item,
            title=title,
            subject_masked=masked,
            content=sealed_content,
            digest=dig,
            token=token,
            kid=signer.kid,
            issued_at=issued,
            valid_until=until,
            signer_id=head.pk,
            signer_name=head.display_name,
            signer_title=f"{v.name}村主要负责人",
            clerk_name=clerk.display_name,
            status=CertificateStatus.VALID,
            seal_use_ref=str(use_id) if stamped <= now else "",
            copies=1,
        )
        payload = {
            "serial": serial,
            "item": item_code,
            "title": title,
            "subject": masked,
            "digest": dig,
            "kid": signer.kid,
            "issued_at": issued.isoformat(timespec="seconds"),
            "valid_until": until.isoformat(timespec="seconds") if until else None,
            "signer": head.display_name,
            "receipt": receipt,
        }
        order += 1
        events.append((issued, order, "certificate.issue", payload, "certificate", str(cert_id), ("cert", cert_values)))
        rows[id(t.audit)].append(
            t.audit.row(
                at=issued,
                actor_id=head.pk,
                actor_name=head.username,
                action="certificates.certificate.issue",
                object_type="certificates.certificate",
                object_id=str(cert_id),
                region_code=v.code,
                before={"status": Status.PENDING},
                after={"serial": serial, "receipt": receipt, "item": item_code, "subject": masked, "kid": signer.kid},
            )
        )
        stats.certificates += 1
        if stamped <= now:
            order += 1
            events.append(
                _stamping(
                    t,
                    rows,
                    v,
                    seal,
                    staff,
                    request_id,
                    use_id,
                    Category.DAILY_CERTIFICATE.value,
                    matter,
                    serial,
                    doc,
                    issued,
                    stamped,
                    order,
                )
            )
        if rng.random() < OTHER_SEAL_USES_PER_CERTIFICATE:
            other = calendar.moments(rng, 1)[0]
            if other < now:
                request_id, ids.seal_request = ids.seal_request, ids.seal_request + 1
                use_id = uuid.UUID(int=rng.getrandbits(128), version=4)
                doc = hashlib.sha256(f"{seed}:{v.code}:{request_id}".encode()).hexdigest()
                matter = rng.choice(("村务公开材料报送", "集体经济组织年度报表", "低保评议结果公示", "项目验收意见"))
                order += 1
                events.append(
                    _stamping(
                        t,
                        rows,
                        v,
                        seal,
                        staff,
                        request_id,
                        use_id,
                        Category.OTHER.value,
                        matter,
                        "",
                        doc,
                        other,
                        other + dt.timedelta(minutes=30),
                        order,
                    )
                )

    # The chain, in time order: seq, prev hash, hash exactly as chain_append computes them.
    events.sort(key=lambda e: (e[0], e[1]))
    prev = ledger_rules.GENESIS_HASH
    for seq, (at, _o, kind, payload, ref_type, ref_id, holder) in enumerate(events, start=1):
        entry = {
            "chain": v.code,
            "seq": seq,
            "kind": kind,
            "ref_type": ref_type,
            "ref_id": ref_id,
            "payload": payload,
            "recorded_at": at,
        }
        h = ledger_rules.entry_hash(prev, entry)
        rows[id(t.chain)].append(
            t.chain.row(
                chain=v.code,
                seq=seq,
                kind=kind,
                ref_type=ref_type,
                ref_id=ref_id,
                payload=payload,
                recorded_at=at,
                prev_hash=prev,
                hash=h,
            )
        )
        which, values = holder
        if which == "cert":
            values["chain_seq"] = seq
            rows[id(t.certificate)].append(t.certificate.row(**values))
        else:
            values["chain_seq"], values["entry_hash"] = seq, h
            rows[id(t.seal_use)].append(t.seal_use.row(**values))
            stats.seal_uses += 1
        prev = h
        stats.chain_entries += 1
    if events:
        rows[id(t.head)].append(t.head.row(chain=v.code, seq=len(events), hash=prev, updated_at=events[-1][0]))
    for (year, kind), last in sorted(counters.items()):
        rows[id(t.counter)].append(t.counter.row(region_id=v.code, year=year, kind=kind, last=last))


def _stamping(
    t: _Tables,
    rows: dict[int, list[list[Any]]],
    v: _Village,
    seal: Any,
    staff: dict[Any, Any],
    request_id: int,
    use_id: uuid.UUID,
    category: str,
    matter: str,
    serial: str,
    doc: str,
    asked: dt.datetime,
    stamped: dt.datetime,
    order: int,
) -> tuple[dt.datetime, int, str, dict[str, Any], str, str, Any]:
    clerk, head, custodian = staff[Role.VILLAGE_CLERK], staff[Role.VILLAGE_HEAD], staff[Role.SEAL_CUSTODIAN]
    decided = asked + (stamped - asked) / 2
    request = SimpleNamespace(pk=request_id, matter=matter, impressions=1, principal_signed=bool(serial))
    rows[id(t.seal_request)].append(
        t.seal_request.row(
            id=request_id,
            region_id=v.code,
            seal_id=seal.pk,
            category=category,
            matter=matter,
            impressions=1,
            certificate_serial=serial,
            requester_id=clerk.pk,
            custodian_id=custodian.pk,
            approver_id=head.pk,
            principal_signed=bool(serial),
            status=RequestStatus.STAMPED,
            created_at=asked,
            submitted_at=asked,
            decided_at=decided,
            stamped_at=stamped,
        )
    )
    use = SimpleNamespace(
        seal_id=seal.pk,
        seal=seal,
        category=category,
        impressions=1,
        document_sha256=doc,
        stamped_at=stamped,
        custodian=custodian,
        custodian_name=custodian.display_name,
        approver=head,
        approver_name=head.display_name,
        requester=clerk,
        requester_name=clerk.display_name,
        device="",
    )
    payload = use_payload(use, request, None)  # type: ignore[arg-type]
    values = dict(
        id=use_id,
        request_id=request_id,
        seal_id=seal.pk,
        region_id=v.code,
        category=category,
        custodian_id=custodian.pk,
        approver_id=head.pk,
        requester_id=clerk.pk,
        custodian_name=custodian.display_name,
        approver_name=head.display_name,
        requester_name=clerk.display_name,
        impressions=1,
        document_sha256=doc,
        stamped_at=stamped,
        recorded_at=stamped,
    )
    rows[id(t.audit)].append(
        t.audit.row(
            at=stamped,
            actor_id=custodian.pk,
            actor_name=custodian.username,
            action="seal.stamp",
            object_type="seals.sealrequest",
            object_id=str(request_id),
            region_code=v.code,
            before={"status": RequestStatus.APPROVED},
            after={"status": RequestStatus.STAMPED, "impressions": 1, "document_sha256": doc, "use": str(use_id)},
        )
    )
    return (stamped, order, CHAIN_KIND_USE, payload, "seal_use", str(use_id), ("use", values))
