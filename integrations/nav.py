from accounts.nav import NavItem

NAV_ITEMS = [
    NavItem(
        "ITSM stub",
        "integrations:itsm_stub",
        visible=lambda user: user.has_perm("integrations.use_itsm_stub"),
        order=80,
    ),
    NavItem(
        "Effects",
        "integrations:effects",
        visible=lambda user: user.has_perm("common.view_effect"),
        order=85,
    ),
]
