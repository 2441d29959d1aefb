"""Implementation ledgers （十五）: each level keeps its tasks; the level above sees and comments;
the province (or a prefecture) sends one task to all its prefectures or counties and watches it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.audit.services import audit_record
from cunwu.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from cunwu.regions import codes
from cunwu.regions.selectors import regions_at_level

from .models import LedgerComment, LedgerTask, TaskBatch, TaskStatus

CLAUSE = "（十五）"
OUTSIDE = "找不到该台账事项，或不在您的管辖范围内。"
TRANSITIONS = {
    TaskStatus.NOT_STARTED: {TaskStatus.DOING, TaskStatus.DONE},
    TaskStatus.DOING: {TaskStatus.DONE},
    TaskStatus.DONE: set(),
}


def check_transition(old: str, new: str) -> str | None:
    """None when a ledger line may move from `old` to `new`; else the Chinese reason."""
    if new == old:
        return None
    if new not in TRANSITIONS.get(TaskStatus(old), set()):
        return f"台账事项不能从“{TaskStatus(old).label}”改为“{TaskStatus(new).label}”。"
    return None


def is_overdue(task: LedgerTask, today: dt.date) -> bool:
    return task.status != TaskStatus.DONE and task.deadline < today


# --- who may do what ---------------------------------------------------------------------------


def _keeps(user: Any, region_code: str) -> bool:
    """The user speaks for the body keeping this ledger (an admin at exactly that level)."""
    return any(g.region_code == region_code and Perm.OVERSIGHT_REPORT in g.perms for g in scope_for(user).grants)


def _above(user: Any, region_code: str) -> bool:
    """The user watches from a level above the ledger's region."""
    return any(
        Perm.OVERSIGHT_VIEW in g.perms and g.covers(region_code) and g.region_code != region_code
        for g in scope_for(user).grants
    )


def ledger_region_for(user: Any, code: str) -> tuple[bool, bool]:
    """(may edit, may comment) on the ledger of `code`; 404 outside scope, 403 without oversight:view."""
    scope = scope_for(user)
    if not codes.is_code(code):
        raise Invalid.field("region", codes.code_problem(code) or "区划代码有误。")
    if not scope.covers(code):
        raise NotFound("找不到该区划，或不在您的管辖范围内。")
    if not scope.can(Perm.OVERSIGHT_VIEW, code):
        raise Forbidden("您没有查看工作台账的权限。")
    return _keeps(user, code), _above(user, code)


def task_list(code: str) -> QuerySet[LedgerTask]:
    return LedgerTask.objects.filter(region_code=code).prefetch_related("comments").order_by("deadline", "id")


def task_get_for(user: Any, pk: int) -> LedgerTask:
    scope = scope_for(user)
    found = LedgerTask.objects.filter(scope.region_q("region_code", Perm.OVERSIGHT_VIEW), pk=pk).first()
    if found is None:
        raise NotFound(OUTSIDE)
    return found


@dataclass
class ChildLedger:
    code: str
    name: str
    total: int
    done: int
    overdue: int


def children_ledgers(code: str, child_level: str | None) -> list[ChildLedger]:
    """Each child's ledger in numbers (the level above watches these)."""
    if child_level is None:
        return []
    today = timezone.localdate()
    children = regions_at_level(code, child_level)
    agg = {
        r["region_code"]: r
        for r in LedgerTask.objects.filter(region_code__in=[c.code for c in children])
        .values("region_code")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(status=TaskStatus.DONE)),
            overdue=Count("id", filter=~Q(status=TaskStatus.DONE) & Q(deadline__lt=today)),
        )
        .order_by()
    }
    return [
        ChildLedger(c.code, c.name, *(agg.get(c.code, {}).get(k, 0) for k in ("total", "done", "overdue")))
        for c in children
    ]


def batch_list_for(user: Any, code: str) -> list[tuple[TaskBatch, int, int]]:
    """Tasks this level sent down, with (done, total)."""
    rows = (
        TaskBatch.objects.filter(region_code=code)
        .annotate(total=Count("tasks"), done=Count("tasks", filter=Q(tasks__status=TaskStatus.DONE)))
        .order_by("-created_at")
    )
    return [(b, b.done, b.total) for b in rows]  # type: ignore[attr-defined]


# --- writes --------------------------------------------------------------------------------------


def _task_fields(title: str, responsible_body: str, deadline: dt.date | None) -> tuple[str, str, dt.date]:
    errors = []
    title, body = (title or "").strip(), (responsible_body or "").strip()
    if not title or len(title) > 200:
        errors.append(("title", "请填写任务（不超过 200 字）。"))
    if not body or len(body) > 200:
        errors.append(("responsible_body", "请填写责任主体（不超过 200 字）。"))
    if deadline is None:
        errors.append(("deadline", "请填写完成时限。"))
    if errors:
        raise Invalid(errors[0][1], [FieldError(f, m) for f, m in errors])
    assert deadline is not None
    return title, body, deadline


def task_add(
    *, actor: Any, region_code: str, title: str, responsible_body: str, deadline: dt.date | None
) -> LedgerTask:
    """A new line in the ledger of the actor's own level."""
    may_edit, _ = ledger_region_for(actor, region_code)
    if not may_edit:
        raise Forbidden("只有本级可以在本级工作台账中添加事项。")
    title, body, deadline = _task_fields(title, responsible_body, deadline)
    with transaction.atomic():
        task = LedgerTask.objects.create(
            region_code=region_code, title=title, responsible_body=body, deadline=deadline, created_by=actor
        )
        audit_record(
            actor=actor, action="oversight.ledger.add", obj=task, region_code=region_code, after={"title": title}
        )
    return task


def task_update(*, actor: Any, task: LedgerTask, status: str, progress_note: str, evidence: str) -> LedgerTask:
    """Progress on a line: its level records what was done; done needs evidence."""
    if not _keeps(actor, task.region_code):
        raise Forbidden("只有本级可以更新本级工作台账。")
    if status not in TaskStatus.values:
        raise Invalid.field("status", "请选择状态。")
    problem = check_transition(task.status, status)
    if problem:
        raise Invalid.field("status", problem)
    evidence = (evidence or "").strip()
    if status == TaskStatus.DONE and not evidence:
        raise Invalid.field("evidence", "标记完成须填写佐证材料（文号、链接或说明）。")
    now = timezone.now()
    with transaction.atomic():
        changed = LedgerTask.objects.filter(pk=task.pk, status=task.status).update(
            status=status,
            progress_note=(progress_note or "").strip()[:4000],
            evidence=evidence[:4000],
            updated_at=now,
            done_at=now if status == TaskStatus.DONE else None,
        )
        if not changed:
            raise Conflict("该事项刚被他人更新，请刷新后重试。")
        audit_record(
            actor=actor,
            action="oversight.ledger.update",
            obj=task,
            region_code=task.region_code,
            before={"status": task.status},
            after={"status": status},
        )
    task.refresh_from_db()
    return task


def task_comment(*, actor: Any, task: LedgerTask, body: str) -> LedgerComment:
    """The level above comments on a child's ledger line."""
    if not _above(actor, task.region_code):
        raise Forbidden("只有上级可以对下级工作台账提出意见。")
    body = (body or "").strip()
    if not body or len(body) > 2000:
        raise Invalid.field("body", "请填写意见（不超过 2000 字）。")
    grant = next(g for g in scope_for(actor).grants if g.covers(task.region_code) and g.region_code != task.region_code)
    with transaction.atomic():
        comment = LedgerComment.objects.create(task=task, author=actor, author_region=grant.region_code, body=body)
        audit_record(actor=actor, action="oversight.ledger.comment", obj=task, region_code=task.region_code)
    return comment


def batch_send(
    *,
    actor: Any,
    region_code: str,
    target_level: str,
    title: str,
    responsible_body: str,
    deadline: dt.date | None,
) -> TaskBatch:
    """One task to every prefecture (or county) under the actor's level, in one transaction."""
    may_edit, _ = ledger_region_for(actor, region_code)
    if not may_edit:
        raise Forbidden("只有本级可以向下级下发任务。")
    level = codes.level_of(region_code)
    allowed = {codes.PROVINCE: (codes.PREFECTURE, codes.COUNTY), codes.PREFECTURE: (codes.COUNTY,)}.get(level, ())
    if target_level not in allowed:
        raise Invalid.field("target_level", "只能向下级州（市）或县（市、区）下发。")
    title, body, deadline = _task_fields(title, responsible_body, deadline)
    targets = regions_at_level(region_code, target_level)
    with transaction.atomic():
        batch = TaskBatch.objects.create(
            region_code=region_code,
            target_level=target_level,
            title=title,
            responsible_body=body,
            deadline=deadline,
            created_by=actor,
        )
        try:
            LedgerTask.objects.bulk_create(
                LedgerTask(
                    region_code=t.code,
                    title=title,
                    responsible_body=body,
                    deadline=deadline,
                    batch=batch,
                    created_by=actor,
                )
                for t in targets
            )
        except IntegrityError:
            raise Conflict("任务已下发。") from None
        audit_record(
            actor=actor,
            action="oversight.ledger.send",
            obj=batch,
            region_code=region_code,
            after={"title": title, "targets": len(targets), "level": target_level},
        )
    return batch


def overdue_tasks(today: dt.date) -> QuerySet[LedgerTask]:
    return LedgerTask.objects.exclude(status=TaskStatus.DONE).filter(deadline__lt=today)
