from cunwu.accounts.navigation import NavItem
from cunwu.accounts.permissions import Perm

NAV = [NavItem("负担监测", "oversight:home", Perm.OVERSIGHT_VIEW, order=80)]
