from accounts.nav import NavItem

NAV_ITEMS = [
    NavItem(
        "Outbox",
        "notifications:outbox",
        visible=lambda user: user.has_perm("notifications.view_outboundemail"),
        order=90,
    ),
]
