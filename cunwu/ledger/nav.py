from cunwu.accounts.navigation import NavItem
from cunwu.accounts.permissions import Perm

GROUP = "系统"

NAV = [NavItem("存证链", "ledger:chains", Perm.AUDIT_VIEW, 96)]
PUBLIC = [NavItem("存证链公示", "ledger_public:heads", None, 80)]
