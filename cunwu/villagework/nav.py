from cunwu.accounts.navigation import NavItem
from cunwu.accounts.permissions import Perm

GROUP = "牌子与阵地"

NAV = [
    NavItem("岗位与设施使用", "villagework:home", Perm.SIGN_VIEW, 45),
]
PUBLIC = [
    NavItem(
        "群众满意度测评",
        "villagework_public:survey",
        None,
        78,
        "凭村里发放的测评码，匿名评价村级组织的工作，每个码只能用一次。",
    ),
]
