from cunwu.accounts.navigation import NavItem
from cunwu.accounts.permissions import Perm

GROUP = "清单与准入"

NAV = [
    NavItem("准入申请", "admission:requests", Perm.ADMISSION_FILE, 20),
    NavItem("准入审查", "admission:review", Perm.ADMISSION_REVIEW, 20),
    NavItem("派来的工作", "admission:village", Perm.ADMISSION_RECEIVE, 20),
    NavItem("工作台账", "admission:ledger", Perm.ADMISSION_VIEW, 25),
    NavItem("清单外摊派", "admission:offlist", Perm.ADMISSION_REPORT, 26),
    NavItem("清单外摊派", "admission:offlist", Perm.COMPLAINT_HANDLE, 26),
    NavItem("统一考评", "admission:evaluations", Perm.EVALUATION_MANAGE, 60),
    NavItem("工作群和应用", "admission:channels", Perm.GROUP_MANAGE, 60),
    NavItem("部门职责", "admission:remits", Perm.REGION_MANAGE, 61),
    # registries, routed work and rule misses (issue 12)
    NavItem("分流事项", "admission:routed", Perm.ADMISSION_HANDLE, 27),
    NavItem("批准登记", "admission:approvals", Perm.SIGN_APPROVE, 61),
    NavItem("批准登记", "admission:approvals", Perm.EVALUATION_MANAGE, 61),
    NavItem("筛查改判", "admission:rule_misses", Perm.ADMISSION_REVIEW, 62),
    NavItem("筛查改判", "admission:rule_misses", Perm.SIGN_APPROVE, 62),
]
PUBLIC = [
    NavItem(
        "准入结果公开",
        "admission_public:results",
        None,
        30,
        "经县级审查、统一部署交给村里的工作，以及各部门被退回、不予准入的次数。",
    ),
]
