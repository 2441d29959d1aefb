from .navigation import NavItem
from .permissions import Perm

NAV = [
    NavItem("工作台", "accounts:workbench", None, 0),
    NavItem("人员账号", "accounts:users", Perm.ACCOUNT_MANAGE, 90, group="系统"),
    NavItem("我的令牌", "accounts:tokens", None, 95, group="系统"),
]
