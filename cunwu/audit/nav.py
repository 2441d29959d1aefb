from cunwu.accounts.navigation import NavItem
from cunwu.accounts.permissions import Perm

GROUP = "系统"

NAV = [NavItem("操作日志", "audit:list", Perm.AUDIT_VIEW, 95)]
