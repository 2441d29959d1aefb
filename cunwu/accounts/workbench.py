"""What the accounts area asks of a person: their own password, and the accounts they manage."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from .navigation import WorkItem
from .permissions import Perm, Role
from .scope import Scope
from .selectors import account_counts_for

# One line per role on the workbench: what the measures ask of this person (REQUIREMENTS.md, "Who uses it").
ROLE_DUTIES: dict[str, str] = {
    Role.PROVINCE_ADMIN: "维护全省基础清单，办理保留给省级的审批，监测全省负担情况。",
    Role.PREFECTURE_ADMIN: "细化本州（市）清单，督促县级落实并向省级报告进展。",
    Role.COUNTY_ADMIN: "细化本县清单，维护村（社区）名单和人员账号，统筹表格和考核。",
    Role.COUNTY_REVIEWER: "审查进村事项准入申请，整合表格，清理工作群和政务应用。",
    Role.TOWNSHIP_OFFICER: "向村交办工作，协调被拒开的证明，监督印章使用。",
    Role.VILLAGE_CLERK: "受理证明申请，填报表格，登记牌子和设施，申请用印。",
    Role.VILLAGE_HEAD: "签批证明和用印，对本村事务负总责。",
    Role.SEAL_CUSTODIAN: "保管印章，按审批用印并登记。",
    Role.SUPERVISOR: "监督村务公开、证明出具和印章使用。",
    Role.DEPARTMENT_OFFICER: "提出进村事项、表格和会议申请，公布证明模板。",
    Role.AUDITOR: "只读查看各项记录和操作日志，开展监督检查。",
}


def items(user: Any, scope: Scope) -> list[WorkItem]:
    out: list[WorkItem] = []
    if scope.has(Perm.ACCOUNT_MANAGE):
        counts = account_counts_for(user)
        detail = (
            f"其中 {counts['must_change']} 人尚未修改初始密码"
            if counts["must_change"]
            else "新建、导入、重置密码、换届交接"
        )
        out.append(WorkItem("人员与权限", "在用账号", reverse("accounts:users"), count=counts["active"], detail=detail))
    return out
