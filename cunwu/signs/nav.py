from cunwu.accounts.navigation import NavItem
from cunwu.accounts.permissions import Perm

GROUP = "牌子与阵地"

NAV = [
    NavItem("机制牌子", "signs:home", Perm.SIGN_VIEW, 40),
    NavItem("挂牌清理", "signs:campaign_list", Perm.SIGN_VIEW, 41),
    NavItem("挂牌审批", "signs:request_list", Perm.SIGN_REVIEW, 42),
    # The province decides what the county forwarded; nobody holds both permissions by role.
    NavItem("挂牌审批", "signs:request_list", Perm.SIGN_APPROVE, 42),
]
PUBLIC = [NavItem("设施面积测算", "signs_public:facility_standard", None, 70)]
