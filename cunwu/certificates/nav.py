from cunwu.accounts.navigation import NavItem
from cunwu.accounts.permissions import Perm

GROUP = "证明"

NAV = [
    NavItem("证明受理", "certificates:list", Perm.CERT_INTAKE, 40),
    NavItem("证明台账", "certificates:register", Perm.CERT_VIEW, 41),
    NavItem("证明协调", "certificates:cases", Perm.CERT_COORDINATE, 42),
    NavItem("证明式样", "certificates:templates", Perm.CERT_TEMPLATE, 43),
]
PUBLIC = [
    NavItem("在线申请开证明", "certificates_public:apply", None, 21),
    NavItem("证明真伪核验", "certificates_public:verify_form", None, 22),
    NavItem("证明式样", "certificates_public:samples", None, 23),
]
