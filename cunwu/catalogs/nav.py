"""Menu entries: 我要开证明 first on the public portal; the catalogs workspace for staff."""

from cunwu.accounts.navigation import NavItem
from cunwu.accounts.permissions import Perm

GROUP = "清单与准入"

NAV = [
    NavItem("目录清单", "catalogs:home", Perm.CATALOG_VIEW, 20),
    NavItem("未识别的写法", "catalogs:phrasings", Perm.CATALOG_EDIT, 21),
]
PUBLIC = [
    NavItem("我要开证明", "catalogs_public:triage", None, 0),
    NavItem("清单公开", "catalogs_public:index", None, 10),
]
