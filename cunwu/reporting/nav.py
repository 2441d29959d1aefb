from cunwu.accounts.navigation import NavItem
from cunwu.accounts.permissions import Perm

GROUP = "填表报数"

NAV = [NavItem("填表报数", "reporting:home", Perm.FORM_VIEW, 30)]
