from cunwu.accounts.navigation import NavItem
from cunwu.accounts.permissions import Perm

GROUP = "监督与举报"

NAV = [
    NavItem("举报办理", "complaints:queue", Perm.COMPLAINT_HANDLE, 60),
    NavItem("制度性文件审查", "complaints:documents", Perm.ADMISSION_FILE, 61),
]
PUBLIC = [
    NavItem(
        "我要举报",
        "complaints_public:file",
        None,
        75,
        "清单外摊派、索要不该开的证明、乱挂牌子等问题，可匿名举报，凭查询码查看办理结果。",
    ),
    NavItem("举报进度查询", "complaints_public:track", None, 76, "凭举报回执上的查询码查看办理进度和结果。"),
    NavItem("典型案例通报", "complaints_public:cases", None, 77, "已查实问题的通报曝光（十六）。"),
]
