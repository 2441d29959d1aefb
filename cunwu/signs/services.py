"""Every write of the signs app: inventories, facility, mechanisms, approvals, campaigns, photos.

Each service checks the actor's scope, validates, writes in one transaction with its audit row,
and keeps an open campaign's tasks in step with the village's plates （九）.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cunwu.accounts.permissions import Perm, Role
from cunwu.accounts.scope import scope_for
from cunwu.accounts.services import notification_close, notification_send
from cunwu.audit.services import audit_record
from cunwu.catalogs import kinds
from cunwu.catalogs.selectors import catalog_in_force
from cunwu.documents import UploadError, check_upload, clean_image
from cunwu.errors import Conflict, Forbidden, Invalid, NotFound, Problems
from cunwu.regions import codes
from cunwu.regions.codes import VILLAGE_LEVELS

from . import compliance, rules
from .models import (
    ApprovalRequest,
    Campaign,
    CampaignStatus,
    CampaignTask,
    CampaignVillage,
    Facility,
    Mechanism,
    MechanismBasis,
    MechanismKind,
    MechanismStatus,
    Photo,
    Placement,
    RemovalReason,
    ReplacementBatch,
    RequestKind,
    RequestStatus,
    ScanReport,
    Sign,
    SignStatus,
    TaskAction,
    TaskStatus,
    Zone,
)

if TYPE_CHECKING:
    from cunwu.regions.models import Region

PHOTO_KINDS = {"jpeg", "png", "webp"}
_EXT = {"jpeg": "jpg", "png": "png", "webp": "webp"}


@dataclass(frozen=True)
class Upload:
    """An uploaded file as the services take it: the bytes and the name the uploader gave."""

    data: bytes
    filename: str = ""


# --- helpers ------------------------------------------------------------------------------------


def _require_village_edit(actor: Any, region: Region) -> None:
    """Village clerks keep their own inventory: 404 outside view scope, 403 without SIGN_EDIT."""
    scope_for(actor).require(Perm.SIGN_EDIT, region.code, view=Perm.SIGN_VIEW)
    if region.level not in VILLAGE_LEVELS:
        raise Invalid.field("region", "机制牌子台账按村（社区）登记，请选择村（社区）。")


def _today() -> date:
    return timezone.localdate()


def _check_date(problems: Problems, field: str, value: date | None, label: str, *, required: bool = False) -> None:
    if value is None:
        if required:
            problems.add(field, f"请填写{label}。")
        return
    if value > _today():
        problems.add(field, f"{label}不能晚于今天。")


def _prepare_photo(upload: Upload | None, field: str) -> tuple[bytes, str] | None:
    """Check the bytes (JPEG/PNG/WebP, size) and re-encode them without EXIF/GPS, before anything is saved."""
    if upload is None or not upload.data:
        return None
    try:
        checked = check_upload(upload.data, upload.filename, allowed=PHOTO_KINDS, max_bytes=settings.UPLOAD_MAX_BYTES)
        cleaned = clean_image(upload.data)
    except UploadError as exc:
        raise Invalid.field(field, exc.message) from exc
    return cleaned, checked.kind


class _Files:
    """Files written during a service; removed again when its transaction fails."""

    def __init__(self) -> None:
        self.paths: list[Path] = []


@contextmanager
def _files() -> Iterator[_Files]:
    written = _Files()
    try:
        yield written
    except BaseException:
        for path in written.paths:
            path.unlink(missing_ok=True)
        raise


def _save_photo(files: _Files, *, actor: Any, region: Region, prepared: tuple[bytes, str] | None) -> Photo | None:
    """Store a prepared photo under MEDIA_ROOT/signs/<village>/ and record it (inside a transaction)."""
    if prepared is None:
        return None
    data, kind = prepared
    relative = f"signs/{region.code}/{uuid.uuid4().hex}.{_EXT[kind]}"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    files.paths.append(path)
    mime = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}[kind]
    return Photo.objects.create(
        region=region,
        path=relative,
        kind=kind,
        mime=mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
    )


def _sign_snapshot(sign: Sign) -> dict[str, Any]:
    return {
        "name": sign.name,
        "placement": sign.placement,
        "size": sign.size,
        "material": sign.material,
        "put_up_by": sign.put_up_by,
        "put_up_on": str(sign.put_up_on) if sign.put_up_on else None,
        "status": sign.status,
        "photo": sign.photo_id,
    }


def _clean_sign_fields(problems: Problems, data: dict[str, Any]) -> dict[str, Any]:
    name = (data.get("name") or "").strip()
    if not name:
        problems.add("name", "请填写牌子名称（按牌子上实际书写的文字）。")
    elif len(name) > 100:
        problems.add("name", "牌子名称过长，最多 100 字。")
    placement = data.get("placement") or ""
    if placement not in Placement.values:
        problems.add("placement", rules.PLACEMENT_PROBLEM)
    out = {"name": name, "placement": placement}
    for key, label, limit in (("size", "尺寸", 40), ("material", "材质", 40), ("put_up_by", "制作或悬挂单位", 64)):
        value = (data.get(key) or "").strip()
        if len(value) > limit:
            problems.add(key, f"{label}过长，最多 {limit} 字。")
        out[key] = value
    _check_date(problems, "put_up_on", data.get("put_up_on"), "悬挂日期")
    out["put_up_on"] = data.get("put_up_on")
    return out


# --- campaign tasks kept in step with the inventory （九） -------------------------------------

# When a sign has several findings, the task asks for the strongest remedy only.
_TASK_PRIORITY = (rules.NOT_IN_CATALOG, rules.DUPLICATE, rules.OVER_LIMIT, rules.WRONG_PLACEMENT)


def _wanted_tasks(village: compliance.VillageResult) -> dict[int, rules.SignFinding]:
    """The finding each sign's task is about, by sign id."""
    wanted: dict[int, rules.SignFinding] = {}
    for finding in sorted(village.result.findings, key=lambda f: (f.index, _TASK_PRIORITY.index(f.problem))):
        wanted.setdefault(village.sign_ids[finding.index], finding)
    return wanted


def _new_task(campaign: Campaign, code: str, sign_id: int, finding: rules.SignFinding) -> CampaignTask:
    return CampaignTask(
        campaign=campaign,
        region_id=code,
        sign_id=sign_id,
        action=rules.task_action(finding.problem),
        problem=finding.problem,
        clause=finding.clause,
        catalog_code=finding.catalog_code or "",
        message=finding.message[:300],
    )


def _sync_village(campaign: Campaign, region: Region, actor: Any) -> None:
    """Bring the village's open finding tasks in line with its plates as they are now.

    New findings become tasks; tasks whose finding is gone are done (or excepted, when an approval
    now covers the plate). County batch replacements are left alone.
    """
    village = next(compliance.check_villages(region, include_empty=True))
    wanted = _wanted_tasks(village)
    identified = dict(zip(village.sign_ids, village.result.identified, strict=True))
    open_tasks = list(
        CampaignTask.objects.filter(campaign=campaign, region=region, status=TaskStatus.OPEN).exclude(
            action=TaskAction.REPLACE
        )
    )
    covered: set[int] = set()
    today = _today()
    for task in open_tasks:
        finding = wanted.get(task.sign_id or 0)
        if finding is not None and finding.problem == task.problem:
            covered.add(task.sign_id or 0)
            continue
        what = identified.get(task.sign_id or 0)
        if what is not None and what.kind == "exception":
            status, note = TaskStatus.EXCEPTED, "已获省级批准保留（九）"
        else:
            status, note = TaskStatus.DONE, "复核：问题已消除"
        CampaignTask.objects.filter(pk=task.pk, status=TaskStatus.OPEN).update(
            status=status, done_on=today, done_by=actor, note=note
        )
    new = [_new_task(campaign, region.code, sid, f) for sid, f in wanted.items() if sid not in covered]
    CampaignTask.objects.bulk_create(new)
    CampaignVillage.objects.get_or_create(
        campaign=campaign,
        region=region,
        defaults={"plates_before": len(village.plates), "findings_before": len(village.result.findings)},
    )


def _open_campaign(region: Region) -> Campaign | None:
    county = codes.prefix(region.code, codes.COUNTY) + "000000"
    return Campaign.objects.filter(county_id=county, status=CampaignStatus.OPEN).first()


def _after_inventory_change(region: Region, actor: Any) -> None:
    campaign = _open_campaign(region)
    if campaign is not None:
        _sync_village(campaign, region, actor)


def _close_village_notice(campaign: Campaign, region: Region) -> None:
    if not CampaignTask.objects.filter(campaign=campaign, region=region, status=TaskStatus.OPEN).exists():
        notification_close(subject=("signs.campaign_village", f"{campaign.pk}:{region.code}"))


# --- signs （九）（十） ---------------------------------------------------------------------------


def sign_add(*, actor: Any, region: Region, photo: Upload | None = None, **data: Any) -> Sign:
    """Record a plate hanging at the village (name as written, placement, size, material, who, when, photo)."""
    _require_village_edit(actor, region)
    problems = Problems()
    fields = _clean_sign_fields(problems, data)
    prepared = None
    try:
        prepared = _prepare_photo(photo, "photo")
    except Invalid as exc:
        problems.items.extend(exc.errors)
    problems.raise_if_any("牌子信息有误，未保存。")
    with _files() as files, transaction.atomic():
        saved = _save_photo(files, actor=actor, region=region, prepared=prepared)
        sign = Sign.objects.create(region=region, photo=saved, created_by=actor, **fields)
        audit_record(
            actor=actor, action="signs.sign_add", obj=sign, region_code=region.code, after=_sign_snapshot(sign)
        )
        _after_inventory_change(region, actor)
    return sign


def sign_update(*, actor: Any, sign: Sign, photo: Upload | None = None, **data: Any) -> Sign:
    """Correct a hanging plate's details; a new photo replaces the old one."""
    region = sign.region
    _require_village_edit(actor, region)
    if sign.status != SignStatus.HANGING:
        raise Conflict("已摘除的牌子不能再修改。", "sign_removed")
    problems = Problems()
    fields = _clean_sign_fields(problems, data)
    prepared = None
    try:
        prepared = _prepare_photo(photo, "photo")
    except Invalid as exc:
        problems.items.extend(exc.errors)
    problems.raise_if_any("牌子信息有误，未保存。")
    before = _sign_snapshot(sign)
    with _files() as files, transaction.atomic():
        saved = _save_photo(files, actor=actor, region=region, prepared=prepared)
        if saved is not None:
            fields["photo"] = saved
        changed = Sign.objects.filter(pk=sign.pk, status=SignStatus.HANGING).update(updated_at=timezone.now(), **fields)
        if not changed:
            raise Conflict("该牌子刚被摘除，不能再修改。", "sign_removed")
        sign.refresh_from_db()
        audit_record(
            actor=actor,
            action="signs.sign_update",
            obj=sign,
            region_code=region.code,
            before=before,
            after=_sign_snapshot(sign),
        )
        _after_inventory_change(region, actor)
    return sign


def _finish_sign_tasks(sign: Sign, *, actor: Any, on: date, photo: Photo | None, note: str) -> int:
    """Open campaign tasks about a plate that has just come down are done, with its photo."""
    return (
        CampaignTask.objects.filter(sign=sign, status=TaskStatus.OPEN)
        .exclude(action=TaskAction.REPLACE)
        .update(status=TaskStatus.DONE, done_on=on, done_by=actor, photo=photo, note=note[:200])
    )


def sign_remove(
    *, actor: Any, sign: Sign, removed_on: date | None, reason: str, note: str = "", photo: Upload | None = None
) -> Sign:
    """Take a plate down （九）: date, reason, and a photo — required when a campaign asks for it."""
    region = sign.region
    _require_village_edit(actor, region)
    problems = Problems()
    _check_date(problems, "removed_on", removed_on, "摘除日期", required=True)
    if removed_on and sign.put_up_on and removed_on < sign.put_up_on:
        problems.add("removed_on", "摘除日期不能早于悬挂日期。")
    if reason not in RemovalReason.values:
        problems.add("reason", "请选择摘除原因。")
    if len(note) > 200:
        problems.add("note", "说明过长，最多 200 字。")
    in_campaign = CampaignTask.objects.filter(
        sign=sign, status=TaskStatus.OPEN, campaign__status=CampaignStatus.OPEN
    ).exists()
    prepared = None
    try:
        prepared = _prepare_photo(photo, "photo")
    except Invalid as exc:
        problems.items.extend(exc.errors)
    if prepared is None and in_campaign and not any(p.field == "photo" for p in problems.items):
        problems.add("photo", "清理行动中摘除牌子须上传摘除后的现场照片（九）。")
    problems.raise_if_any("摘除登记有误，未保存。")
    before = _sign_snapshot(sign)
    with _files() as files, transaction.atomic():
        saved = _save_photo(files, actor=actor, region=region, prepared=prepared)
        changed = Sign.objects.filter(pk=sign.pk, status=SignStatus.HANGING).update(
            status=SignStatus.REMOVED,
            removed_on=removed_on,
            removal_reason=reason,
            removal_note=note.strip(),
            removal_photo=saved,
            removal_recorded_at=timezone.now(),
            updated_at=timezone.now(),
        )
        if not changed:
            raise Conflict("该牌子已经登记摘除。", "already_removed")
        assert removed_on is not None
        _finish_sign_tasks(sign, actor=actor, on=removed_on, photo=saved, note=f"已摘除：{RemovalReason(reason).label}")
        sign.refresh_from_db()
        audit_record(
            actor=actor,
            action="signs.sign_remove",
            obj=sign,
            region_code=region.code,
            before=before,
            after={
                **_sign_snapshot(sign),
                "removed_on": str(removed_on),
                "reason": reason,
                "removal_photo": sign.removal_photo_id,
            },
        )
        campaign = _open_campaign(region)
        if campaign is not None:
            _sync_village(campaign, region, actor)
            _close_village_notice(campaign, region)
    return sign


# --- facility （七）（八） ---------------------------------------------------------------------------


def facility_save(
    *,
    actor: Any,
    region: Region,
    building_area: Decimal | None,
    households: int | None,
    zones: dict[str, Decimal | None],
    open_plan: bool = True,
    one_stop: bool = True,
) -> Facility:
    """Record the village's service facility: area, households served and functional zones （七）（八）."""
    _require_village_edit(actor, region)
    problems = Problems()
    for field, message in rules.area_problems(households, building_area).items():
        problems.add(field, message)
    clean_zones: dict[str, Decimal] = {}
    for zone in Zone:
        value = zones.get(zone.value)
        value = Decimal(0) if value is None else Decimal(value)
        if not value.is_finite() or value < 0:
            problems.add(zone.value, f"{zone.label}面积不能为负数。")
            value = Decimal(0)
        clean_zones[zone.value] = value
    if not problems.items and building_area is not None:
        too_much = rules.zones_problem(Decimal(building_area), clean_zones)
        if too_much:
            problems.add("building_area", too_much)
    problems.raise_if_any("设施信息有误，未保存。")
    assert building_area is not None and households is not None  # area_problems refuses missing values
    with transaction.atomic():
        existing = Facility.objects.select_for_update().filter(region=region).first()
        before = _facility_snapshot(existing) if existing else None
        facility, _ = Facility.objects.update_or_create(
            region=region,
            defaults={
                "building_area": building_area,
                "households": households,
                "open_plan": open_plan,
                "one_stop": one_stop,
                "updated_by": actor,
                **clean_zones,
            },
        )
        audit_record(
            actor=actor,
            action="signs.facility_save",
            obj=facility,
            region_code=region.code,
            before=before,
            after=_facility_snapshot(facility),
        )
    return facility


def _facility_snapshot(f: Facility) -> dict[str, Any]:
    return {
        "building_area": str(f.building_area),
        "households": f.households,
        "open_plan": f.open_plan,
        "one_stop": f.one_stop,
        **{z.value: str(getattr(f, z.value)) for z in Zone},
    }


# --- mechanisms （六） ------------------------------------------------------------------------------


def _clean_mechanism(problems: Problems, region: Region, data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, label, limit, required in (
        ("name", "机制名称", 100, True),
        ("department", "设立部门", 64, True),
        ("basis", "依据文件及条款", 200, False),
        ("approval_reference", "批准文号", 100, False),
    ):
        value = (data.get(key) or "").strip()
        if required and not value:
            problems.add(key, f"请填写{label}。")
        elif len(value) > limit:
            problems.add(key, f"{label}过长，最多 {limit} 字。")
        out[key] = value
    kind = data.get("kind") or MechanismKind.STATION
    if kind not in MechanismKind.values:
        problems.add("kind", "请选择机制类别（分支机构、中心、站所、岗位或其他）。")
    out["kind"] = kind
    basis_kind = data.get("basis_kind") or ""
    if basis_kind not in MechanismBasis.values:
        problems.add("basis_kind", "请选择设立依据类别。")
    out["basis_kind"] = basis_kind
    posts = data.get("dedicated_posts") or 0
    if isinstance(posts, bool) or not isinstance(posts, int) or posts < 0 or posts > 50:
        problems.add("dedicated_posts", "专人专岗数应为 0 到 50 之间的整数。")
        posts = 0
    out["dedicated_posts"] = posts
    out["in_facility"] = bool(data.get("in_facility", True))
    approval = data.get("approval")
    if approval is not None:
        if approval.kind != RequestKind.MECHANISM or approval.status != RequestStatus.APPROVED:
            problems.add("approval", "只能关联省级已批准的新设机制审批。")
        elif not codes.within(region.code, approval.region_id, approval.region.level):
            problems.add("approval", "该审批不适用于本村（社区）。")
        else:
            out["basis_kind"] = MechanismBasis.PROVINCE
            out["approval_reference"] = approval.approval_reference
    out["approval"] = approval
    if out["basis_kind"] in (MechanismBasis.CENTRAL, MechanismBasis.LAW) and not out["basis"]:
        problems.add("basis", "请写明中央文件或法律法规的名称及条款。")
    return out


def _mechanism_snapshot(m: Mechanism) -> dict[str, Any]:
    return {
        "name": m.name,
        "kind": m.kind,
        "department": m.department,
        "basis_kind": m.basis_kind,
        "basis": m.basis,
        "approval_reference": m.approval_reference,
        "approval": m.approval_id,
        "dedicated_posts": m.dedicated_posts,
        "in_facility": m.in_facility,
        "status": m.status,
    }


def mechanism_add(*, actor: Any, region: Region, **data: Any) -> Mechanism:
    """Register a work mechanism found at the village （六）; without a basis it is registered and flagged."""
    _require_village_edit(actor, region)
    problems = Problems()
    fields = _clean_mechanism(problems, region, data)
    problems.raise_if_any("工作机制信息有误，未保存。")
    with transaction.atomic():
        mechanism = Mechanism.objects.create(region=region, created_by=actor, **fields)
        audit_record(
            actor=actor,
            action="signs.mechanism_add",
            obj=mechanism,
            region_code=region.code,
            after=_mechanism_snapshot(mechanism),
        )
    return mechanism


def mechanism_update(*, actor: Any, mechanism: Mechanism, **data: Any) -> Mechanism:
    region = mechanism.region
    _require_village_edit(actor, region)
    problems = Problems()
    fields = _clean_mechanism(problems, region, data)
    problems.raise_if_any("工作机制信息有误，未保存。")
    before = _mechanism_snapshot(mechanism)
    with transaction.atomic():
        changed = Mechanism.objects.filter(pk=mechanism.pk, status=MechanismStatus.ACTIVE).update(
            updated_at=timezone.now(), **fields
        )
        if not changed:
            raise Conflict("该机制已整合或撤销，不能再修改。", "mechanism_ended")
        mechanism.refresh_from_db()
        audit_record(
            actor=actor,
            action="signs.mechanism_update",
            obj=mechanism,
            region_code=region.code,
            before=before,
            after=_mechanism_snapshot(mechanism),
        )
    return mechanism


def mechanism_end(*, actor: Any, mechanism: Mechanism, status: str, ended_on: date | None, note: str = "") -> Mechanism:
    """Merge a mechanism into the big-post structure or abolish it （六）."""
    region = mechanism.region
    _require_village_edit(actor, region)
    problems = Problems()
    if status not in (MechanismStatus.MERGED, MechanismStatus.ABOLISHED):
        problems.add("status", "请选择“已整合”或“已撤销”。")
    _check_date(problems, "ended_on", ended_on, "整合或撤销日期", required=True)
    if len(note) > 200:
        problems.add("note", "说明过长，最多 200 字。")
    problems.raise_if_any("登记有误，未保存。")
    with transaction.atomic():
        changed = Mechanism.objects.filter(pk=mechanism.pk, status=MechanismStatus.ACTIVE).update(
            status=status, ended_on=ended_on, end_note=note.strip(), updated_at=timezone.now()
        )
        if not changed:
            raise Conflict("该机制已经整合或撤销。", "mechanism_ended")
        mechanism.refresh_from_db()
        audit_record(
            actor=actor,
            action="signs.mechanism_end",
            obj=mechanism,
            region_code=region.code,
            before={"status": MechanismStatus.ACTIVE},
            after={"status": status, "ended_on": str(ended_on)},
            note=note,
        )
    return mechanism


# --- approvals: signs outside the catalog （九）, new mechanisms （六） -------------------------------


def _county_of(code: str) -> str:
    return codes.prefix(code, codes.COUNTY) + "000000"


def request_file(
    *,
    actor: Any,
    kind: str,
    region: Region,
    name: str,
    department: str,
    basis: str,
    placement: str = "",
    style: str = "",
    reason: str = "",
    dedicated_posts: int = 0,
    admission_reference: str = "",
) -> ApprovalRequest:
    """File a request: a plate outside the catalog for one village （九）, or a new mechanism （六）.

    Sign requests come from the village (or the county for it); mechanism requests from the county,
    on behalf of the department whose admission request asked for it. Both go county → province.
    """
    scope = scope_for(actor)
    if not scope.covers(region.code, Perm.SIGN_VIEW):
        raise NotFound("找不到该区划，或不在您的管辖范围内。")
    if kind == RequestKind.SIGN:
        if not (scope.can(Perm.SIGN_EDIT, region.code) or scope.can(Perm.SIGN_REVIEW, region.code)):
            raise Forbidden("您没有为该村（社区）申请目录外挂牌的权限。")
    elif kind == RequestKind.MECHANISM:
        if not scope.can(Perm.SIGN_REVIEW, region.code):
            raise Forbidden("新设工作机制由县级审查后报省审批，请联系县级审查人员。")
    else:
        raise Invalid.field("kind", "类别应为 sign（目录外挂牌）或 mechanism（新设工作机制）。")
    problems = Problems()
    name, department, basis = (name or "").strip(), (department or "").strip(), (basis or "").strip()
    if not name:
        problems.add("name", "请填写名称。")
    elif len(name) > 100:
        problems.add("name", "名称过长，最多 100 字。")
    if not department:
        problems.add("department", "请填写提出的党政群机构。")
    elif len(department) > 64:
        problems.add("department", "机构名称过长，最多 64 字。")
    if not basis:
        problems.add("basis", "请写明依据（法律法规或文件名称及条款）。")
    if len(style) > 200:
        problems.add("style", "式样说明过长，最多 200 字。")
    if isinstance(dedicated_posts, bool) or not isinstance(dedicated_posts, int) or not 0 <= dedicated_posts <= 50:
        problems.add("dedicated_posts", "专人专岗数应为 0 到 50 之间的整数。")
    if kind == RequestKind.SIGN:
        if region.level not in VILLAGE_LEVELS:
            problems.add("region", "目录外挂牌按村（社区）申请，请选择村（社区）。")
        if placement not in Placement.values:
            problems.add("placement", rules.PLACEMENT_PROBLEM)
        if not style.strip():
            problems.add("style", "请写明式样（尺寸、材质、颜色）。")
        if name and region.level in VILLAGE_LEVELS:
            what = compliance.check_plates(region, [rules.Plate(name, placement or "interior")]).identified[0]
            if what.kind == "catalog":
                problems.add("name", f"“{name}”已是目录内的“{what.name}”（{what.code}），按目录悬挂即可，无需审批。")
            elif what.kind == "exception":
                problems.add("name", f"“{name}”已获省级批准（{what.exception.reference if what.exception else ''}）。")
            elif what.kind == "award":
                problems.add("name", "表彰奖励和创建成果在村务公开栏或相应功能室集中展陈，不挂牌（十）。")
    else:
        placement = ""
        if region.level not in (codes.COUNTY, codes.TOWNSHIP, *VILLAGE_LEVELS):
            problems.add("region", "新设机制的适用范围应为本县、乡镇或村（社区）。")
    problems.raise_if_any("申请有误，未提交。")
    if ApprovalRequest.objects.filter(
        kind=kind,
        region=region,
        name=name,
        status__in=[RequestStatus.SUBMITTED, RequestStatus.FORWARDED, RequestStatus.APPROVED],
    ).exists():
        raise Conflict(f"“{name}”已有在办或已批准的申请，不要重复提交。", "duplicate_request")
    with transaction.atomic():
        req = ApprovalRequest.objects.create(
            kind=kind,
            region=region,
            name=name,
            placement=placement,
            style=style.strip(),
            department=department,
            basis=basis,
            reason=reason.strip(),
            dedicated_posts=dedicated_posts,
            admission_reference=admission_reference.strip()[:64],
            filed_by=actor,
        )
        audit_record(
            actor=actor,
            action="signs.request_file",
            obj=req,
            region_code=region.code,
            after={"kind": kind, "name": name, "placement": placement, "department": department},
        )
        notification_send(
            kind="signs.request_review",
            title=f"待审查：{region.name}{req.get_kind_display()}“{name}”",
            url=reverse("signs:request_detail", args=[req.pk]),
            role=Role.COUNTY_REVIEWER,
            region=_county_of(region.code),
            subject=("signs.request", str(req.pk)),
        )
    return req


def _transition(req: ApprovalRequest, action: str, **updates: Any) -> str:
    new = rules.next_request_status(req.status, action)
    if new is None:
        raise Conflict(
            f"该申请当前为“{req.get_status_display()}”，不能{rules.REQUEST_ACTION_LABELS[action]}。", "wrong_status"
        )
    changed = ApprovalRequest.objects.filter(pk=req.pk, status=req.status).update(status=new, **updates)
    if not changed:
        raise Conflict("该申请刚被他人处理过，请刷新后查看。", "already_decided")
    return new


def request_review(*, actor: Any, request: ApprovalRequest, action: str, note: str = "") -> ApprovalRequest:
    """County review: forward to the province, or return with a reason."""
    scope_for(actor).require(Perm.SIGN_REVIEW, request.region_id, view=Perm.SIGN_VIEW)
    if action not in ("forward", "return"):
        raise Invalid.field("action", "审查结论应为“报省审批”或“退回”。")
    note = (note or "").strip()
    if action == "return" and not note:
        raise Invalid.field("note", "退回时请写明理由。")
    if len(note) > 300:
        raise Invalid.field("note", "意见过长，最多 300 字。")
    before = request.status
    with transaction.atomic():
        new = _transition(request, action, reviewed_by=actor, reviewed_at=timezone.now(), review_note=note)
        audit_record(
            actor=actor,
            action=f"signs.request_{action}",
            obj=request,
            region_code=request.region_id,
            before={"status": before},
            after={"status": new},
            note=note,
        )
        notification_close(subject=("signs.request", str(request.pk)))
        url = reverse("signs:request_detail", args=[request.pk])
        if new == RequestStatus.FORWARDED:
            notification_send(
                kind="signs.request_approve",
                title=f"待省级审批：{request.get_kind_display()}“{request.name}”",
                url=url,
                role=Role.PROVINCE_ADMIN,
                region=codes.PROVINCE_CODE,
                subject=("signs.request", str(request.pk)),
            )
        else:
            notification_send(
                kind="signs.request_returned",
                title=f"申请被县级退回：“{request.name}”",
                url=url,
                user=request.filed_by,
                subject=("signs.request_result", str(request.pk)),
            )
    request.refresh_from_db()
    return request


def request_decide(
    *, actor: Any, request: ApprovalRequest, action: str, note: str = "", approval_reference: str = ""
) -> ApprovalRequest:
    """Provincial decision （六）（九）: approve with the approval's document number, or reject."""
    scope_for(actor).require(Perm.SIGN_APPROVE, request.region_id, view=Perm.SIGN_VIEW)
    if action not in ("approve", "reject"):
        raise Invalid.field("action", "审批结论应为“批准”或“不予批准”。")
    note, reference = (note or "").strip(), (approval_reference or "").strip()
    if action == "approve" and not reference:
        raise Invalid.field("approval_reference", "批准时请填写批准文号。")
    if action == "reject" and not note:
        raise Invalid.field("note", "不予批准时请写明理由。")
    if len(note) > 300 or len(reference) > 100:
        raise Invalid.field("note" if len(note) > 300 else "approval_reference", "内容过长。")
    before = request.status
    with transaction.atomic():
        updates: dict[str, Any] = {"decided_by": actor, "decided_at": timezone.now(), "decision_note": note}
        if action == "approve":
            updates["approval_reference"] = reference
        new = _transition(request, action, **updates)
        request.refresh_from_db()
        audit_record(
            actor=actor,
            action=f"signs.request_{action}",
            obj=request,
            region_code=request.region_id,
            before={"status": before},
            after={"status": new, "approval_reference": reference or None},
            note=note,
        )
        notification_close(subject=("signs.request", str(request.pk)))
        notification_send(
            kind="signs.request_decided",
            title=f"省级{'批准' if new == RequestStatus.APPROVED else '不予批准'}：“{request.name}”",
            url=reverse("signs:request_detail", args=[request.pk]),
            user=request.filed_by,
            subject=("signs.request_result", str(request.pk)),
        )
        if request.kind == RequestKind.SIGN:
            _after_inventory_change(request.region, actor)
    return request


def request_revoke(*, actor: Any, request: ApprovalRequest, reason: str) -> ApprovalRequest:
    """Withdraw an approval: the plate is outside the catalog again, the mechanism loses its basis."""
    scope_for(actor).require(Perm.SIGN_APPROVE, request.region_id, view=Perm.SIGN_VIEW)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid.field("reason", "请写明撤销理由。")
    if len(reason) > 300:
        raise Invalid.field("reason", "理由过长，最多 300 字。")
    with transaction.atomic():
        new = _transition(request, "revoke", revoked_by=actor, revoked_at=timezone.now(), revoke_reason=reason)
        request.refresh_from_db()
        audit_record(
            actor=actor,
            action="signs.request_revoke",
            obj=request,
            region_code=request.region_id,
            before={"status": RequestStatus.APPROVED},
            after={"status": new},
            note=reason,
        )
        if request.kind == RequestKind.SIGN:
            _after_inventory_change(request.region, actor)
    return request


# --- campaigns （九） -------------------------------------------------------------------------------


def campaign_open(*, actor: Any, county: Region, title: str, deadline: date | None, note: str = "") -> Campaign:
    """Open a county clean-up: every village's findings become tasks, each village is told."""
    scope_for(actor).require(Perm.SIGN_CAMPAIGN, county.code, view=Perm.SIGN_VIEW)
    problems = Problems()
    if county.level != codes.COUNTY:
        problems.add("county", "清理行动以县（市、区）为单位开展（九）。")
    title = (title or "").strip()
    if not title:
        problems.add("title", "请填写行动名称。")
    elif len(title) > 100:
        problems.add("title", "名称过长，最多 100 字。")
    if deadline is None:
        problems.add("deadline", "请填写完成期限。")
    elif deadline <= _today():
        problems.add("deadline", "完成期限应晚于今天。")
    problems.raise_if_any("清理行动信息有误，未发起。")
    assert deadline is not None
    if Campaign.objects.filter(county=county, status=CampaignStatus.OPEN).exists():
        raise Conflict("本县已有进行中的清理行动，请先结束后再发起新的行动。", "campaign_open")
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(
                county=county, title=title, deadline=deadline, note=note.strip(), opened_by=actor
            )
            villages, tasks = [], []
            for village in compliance.check_villages(county, include_empty=True):
                villages.append(
                    CampaignVillage(
                        campaign=campaign,
                        region_id=village.code,
                        plates_before=len(village.plates),
                        findings_before=len(village.result.findings),
                    )
                )
                tasks += [_new_task(campaign, village.code, sid, f) for sid, f in _wanted_tasks(village).items()]
            CampaignVillage.objects.bulk_create(villages, batch_size=2000)
            CampaignTask.objects.bulk_create(tasks, batch_size=2000)
            audit_record(
                actor=actor,
                action="signs.campaign_open",
                obj=campaign,
                region_code=county.code,
                after={"title": title, "deadline": str(deadline), "villages": len(villages), "tasks": len(tasks)},
            )
            with_tasks = {t.region_id for t in tasks}
            for code in sorted(with_tasks):
                notification_send(
                    kind="signs.campaign",
                    title=f"挂牌清理：{title}，请于 {deadline} 前完成整改",
                    url=reverse("signs:village", args=[code]),
                    role=Role.VILLAGE_CLERK,
                    region=code,
                    subject=("signs.campaign_village", f"{campaign.pk}:{code}"),
                )
    except IntegrityError as exc:
        raise Conflict("本县已有进行中的清理行动。", "campaign_open") from exc
    return campaign


def campaign_close(*, actor: Any, campaign: Campaign) -> Campaign:
    """End a campaign; unfinished tasks stay on record as unfinished."""
    scope_for(actor).require(Perm.SIGN_CAMPAIGN, campaign.county_id, view=Perm.SIGN_VIEW)
    with transaction.atomic():
        changed = Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.OPEN).update(
            status=CampaignStatus.CLOSED, closed_by=actor, closed_at=timezone.now()
        )
        if not changed:
            raise Conflict("该清理行动已经结束。", "campaign_closed")
        open_tasks = CampaignTask.objects.filter(campaign=campaign, status=TaskStatus.OPEN).count()
        audit_record(
            actor=actor,
            action="signs.campaign_close",
            obj=campaign,
            region_code=campaign.county_id,
            before={"status": "open"},
            after={"status": "closed", "open_tasks": open_tasks},
        )
        for code in CampaignVillage.objects.filter(campaign=campaign).values_list("region_id", flat=True):
            notification_close(subject=("signs.campaign_village", f"{campaign.pk}:{code}"))
    campaign.refresh_from_db()
    return campaign


def batch_create(
    *,
    actor: Any,
    campaign: Campaign,
    title: str,
    codes_: Sequence[str],
    made_by: str,
    planned_on: date | None,
    township: Region | None = None,
) -> ReplacementBatch:
    """Plates the county makes in one batch （九）: each village in scope gets a replace task per plate."""
    scope_for(actor).require(Perm.SIGN_CAMPAIGN, campaign.county_id, view=Perm.SIGN_VIEW)
    if campaign.status != CampaignStatus.OPEN:
        raise Conflict("该清理行动已经结束。", "campaign_closed")
    county = campaign.county
    catalog = {c.code: c for c in rules.catalog_signs(catalog_in_force(kinds.SIGN, county))}
    problems = Problems()
    title, made_by = (title or "").strip(), (made_by or "").strip()
    if not title:
        problems.add("title", "请填写批次名称。")
    if not made_by:
        problems.add("made_by", "请填写制作单位。")
    wanted = list(dict.fromkeys(codes_))
    if not wanted:
        problems.add("codes", "请选择本批次统一制作的标牌。")
    unknown = [c for c in wanted if c not in catalog]
    if unknown:
        problems.add("codes", f"目录中没有编码为 {'、'.join(unknown)} 的标牌。")
    if planned_on is None:
        problems.add("planned_on", "请填写计划完成日期。")
    if township is not None and (township.level != codes.TOWNSHIP or not county.contains(township.code)):
        problems.add("township", "请选择本县的乡镇（街道）。")
    problems.raise_if_any("批次信息有误，未保存。")
    assert planned_on is not None
    scope_region = township or county
    with transaction.atomic():
        batch = ReplacementBatch.objects.create(
            campaign=campaign, title=title, codes=wanted, made_by=made_by, planned_on=planned_on, created_by=actor
        )
        tasks = []
        in_campaign = set(CampaignVillage.objects.filter(campaign=campaign).values_list("region_id", flat=True))
        for village in compliance.check_villages(scope_region, include_empty=True):
            if village.code not in in_campaign:
                continue
            for code in wanted:
                item = catalog[code]
                current = [
                    sid
                    for sid, what in zip(village.sign_ids, village.result.identified, strict=True)
                    if what.kind == "catalog" and what.code == code
                ]
                targets: list[int | None] = list(current[: item.max_count]) or [None]
                for sid in targets:
                    tasks.append(
                        CampaignTask(
                            campaign=campaign,
                            region_id=village.code,
                            sign_id=sid,
                            action=TaskAction.REPLACE,
                            problem="batch",
                            clause="（九）",
                            catalog_code=code,
                            batch=batch,
                            message=f"县统一制作“{item.name}”（{title}），{'替换现有标牌' if sid else '新挂'}（九）。",
                        )
                    )
        CampaignTask.objects.bulk_create(tasks, batch_size=2000)
        audit_record(
            actor=actor,
            action="signs.batch_create",
            obj=batch,
            region_code=scope_region.code,
            after={"title": title, "codes": wanted, "tasks": len(tasks), "made_by": made_by},
        )
    return batch


def task_complete(
    *,
    actor: Any,
    task: CampaignTask,
    done_on: date | None,
    photo: Upload | None = None,
    note: str = "",
    placement: str = "",
    name: str = "",
    size: str = "",
    material: str = "",
) -> CampaignTask:
    """Record what the village did about a task: removed or merged (photo required), moved, or replaced."""
    region = task.region
    _require_village_edit(actor, region)
    if task.campaign.status != CampaignStatus.OPEN:
        raise Conflict("该清理行动已经结束。", "campaign_closed")
    if task.status != TaskStatus.OPEN:
        raise Conflict("该任务已经办结。", "task_done")
    problems = Problems()
    _check_date(problems, "done_on", done_on, "完成日期", required=True)
    if len(note) > 200:
        problems.add("note", "说明过长，最多 200 字。")
    sign = task.sign
    if task.action == TaskAction.RELOCATE and placement not in Placement.values:
        problems.add("placement", rules.PLACEMENT_PROBLEM)
    if task.action == TaskAction.REPLACE:
        name = (name or "").strip()
        if not name:
            problems.add("name", "请填写新牌子上的文字。")
        elif len(name) > 100:
            problems.add("name", "牌子名称过长，最多 100 字。")
    prepared = None
    try:
        prepared = _prepare_photo(photo, "photo")
    except Invalid as exc:
        problems.items.extend(exc.errors)
    if (
        prepared is None
        and task.action in (TaskAction.REMOVE, TaskAction.MERGE)
        and not any(p.field == "photo" for p in problems.items)
    ):
        problems.add("photo", "请上传摘除后的现场照片（九）。")
    problems.raise_if_any("整改登记有误，未保存。")
    assert done_on is not None
    now = timezone.now()
    with _files() as files, transaction.atomic():
        saved = _save_photo(files, actor=actor, region=region, prepared=prepared)
        changed = CampaignTask.objects.filter(pk=task.pk, status=TaskStatus.OPEN).update(
            status=TaskStatus.DONE, done_on=done_on, done_by=actor, photo=saved, note=note.strip()
        )
        if not changed:
            raise Conflict("该任务刚被他人办结。", "task_done")
        after: dict[str, Any] = {"status": "done", "done_on": str(done_on), "photo": saved.pk if saved else None}
        if task.action in (TaskAction.REMOVE, TaskAction.MERGE) and sign is not None:
            reason = RemovalReason.MERGE if task.action == TaskAction.MERGE else RemovalReason.REMOVE
            Sign.objects.filter(pk=sign.pk, status=SignStatus.HANGING).update(
                status=SignStatus.REMOVED,
                removed_on=done_on,
                removal_reason=reason,
                removal_note=note.strip()[:200],
                removal_photo=saved,
                removal_recorded_at=now,
                updated_at=now,
            )
            _finish_sign_tasks(sign, actor=actor, on=done_on, photo=saved, note="已摘除")
        elif task.action == TaskAction.RELOCATE and sign is not None:
            Sign.objects.filter(pk=sign.pk, status=SignStatus.HANGING).update(placement=placement, updated_at=now)
            after["placement"] = placement
        elif task.action == TaskAction.REPLACE:
            if sign is not None:
                Sign.objects.filter(pk=sign.pk, status=SignStatus.HANGING).update(
                    status=SignStatus.REMOVED,
                    removed_on=done_on,
                    removal_reason=RemovalReason.REPLACE,
                    removal_note=f"由县统一制作的标牌替换（{task.batch.title if task.batch else ''}）"[:200],
                    removal_recorded_at=now,
                    updated_at=now,
                )
                _finish_sign_tasks(sign, actor=actor, on=done_on, photo=saved, note="已由统一制作的标牌替换")
            item = {c.code: c for c in rules.catalog_signs(catalog_in_force(kinds.SIGN, region))}.get(task.catalog_code)
            new_sign = Sign.objects.create(
                region=region,
                name=name,
                placement=item.placement if item else (sign.placement if sign else Placement.INTERIOR),
                size=size.strip()[:40],
                material=material.strip()[:40],
                put_up_by=(task.batch.made_by if task.batch else "县统一制作")[:64],
                put_up_on=done_on,
                photo=saved,
                batch=task.batch,
                created_by=actor,
            )
            after["new_sign"] = new_sign.pk
        audit_record(
            actor=actor,
            action="signs.task_complete",
            obj=task,
            region_code=region.code,
            before={"status": "open", "action": task.action, "sign": task.sign_id},
            after=after,
            note=note,
        )
        _sync_village(task.campaign, region, actor)
        _close_village_notice(task.campaign, region)
    task.refresh_from_db()
    return task


# --- scans -----------------------------------------------------------------------------------------


def scan_record(*, actor: Any, region: Region) -> ScanReport:
    """Run the compliance scan over a region and keep its per-county figures."""
    if actor is not None and not scope_for(actor).covers(region.code, Perm.SIGN_VIEW):
        raise NotFound("找不到该区划，或不在您的管辖范围内。")
    result = compliance.scan(region)
    with transaction.atomic():
        report = ScanReport.objects.create(
            region=region,
            started_at=result.started_at,
            seconds=round(result.seconds, 3),
            villages=result.villages,
            plates=result.plates,
            rows=[r.as_dict() for r in result.rows],
            run_by=getattr(actor, "username", "") if actor is not None else "cunwu signs_scan",
        )
        audit_record(
            actor=actor or "system",
            action="signs.scan_record",
            obj=report,
            region_code=region.code,
            after={"villages": result.villages, "plates": result.plates, "seconds": report.seconds},
        )
    return report
