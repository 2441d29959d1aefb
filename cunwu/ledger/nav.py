from cunwu.accounts.navigation import NavItem

PUBLIC = [NavItem("存证链公示", "ledger_public:heads", None, 80)]
