from cunwu.accounts.navigation import NavItem
from cunwu.accounts.permissions import Perm

GROUP = "印章"

NAV = [
    NavItem("用印申请", "seals:request_list", Perm.SEAL_VIEW, 60),
    NavItem("印章登记", "seals:seal_list", Perm.SEAL_VIEW, 61),
    NavItem("用印监管", "seals:oversight", Perm.OVERSIGHT_VIEW, 62),
]
