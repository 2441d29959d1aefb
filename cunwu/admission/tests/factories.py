"""make_<noun>() helpers for the admission tests; they go through the services."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from cunwu.admission import services
from cunwu.admission.models import WorkRequest

VILLAGE = "530124103200"
OTHER_VILLAGE = "530124103201"
ASSIST_TITLE = "关于协助开展2027年低保对象入户调查的通知"
ASSIST_CONTENT = (
    "请各村协助县民政局开展低保申请家庭入户调查，核实家庭人口、收入和财产状况。县民政局提供业务培训和工作经费。"
)
PLEDGE_TITLE = "关于签订安全生产目标责任书的通知"
PLEDGE_CONTENT = "要求各村签订2027年度安全生产目标责任书。"


def future(days: int = 30) -> date:
    return timezone.localdate() + timedelta(days=days)


def request_data(**over: Any) -> services.RequestData:
    data = {
        "title": ASSIST_TITLE,
        "content": ASSIST_CONTENT,
        "targets": [VILLAGE],
        "deadline": future(),
        "basis": "《社会救助暂行办法》第四条",
        "provisions": "业务培训和工作经费",
        "responsible_body": "富民县民政局（村委会协助）",
    }
    data.update(over)
    return services.RequestData(**data)


def make_request(actor: Any, **over: Any) -> WorkRequest:
    return services.request_file(actor=actor, data=request_data(**over))


def make_approved(actor: Any, reviewer: Any, **over: Any) -> WorkRequest:
    r = make_request(actor, **over)
    services.request_decide(
        actor=reviewer, request=r, outcome="approve", triage="assist", deployment="富办通〔2027〕1号"
    )
    r.refresh_from_db()
    return r
