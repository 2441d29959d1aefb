from cunwu.accounts.navigation import NavItem
from cunwu.accounts.permissions import Perm

GROUP = "监督与举报"

NAV = [
    NavItem("负担监测", "oversight:home", Perm.OVERSIGHT_VIEW, order=80),
    NavItem("落实台账", "oversight:ledger_home", Perm.OVERSIGHT_VIEW, order=81),
    NavItem("进展报告", "oversight:reports", Perm.OVERSIGHT_VIEW, order=82),
    NavItem("负担预警", "oversight:alerts", Perm.OVERSIGHT_VIEW, order=83),
]
PUBLIC = [
    NavItem("负担公开数据", "oversight_public:open_data", order=80, detail="县级以上负担指标（CSV、JSON）及数据字典"),
]
