from accounts.roles import Role

_STAFF = [
    Role.REFRESH_ADMINISTRATOR,
    Role.REFRESH_MANAGER,
    Role.ORDERS_TECHNICIAN,
    Role.ORDERS_MANAGER,
]

ROLE_PERMISSIONS = {
    role: ["notifications.view_outboundemail", "notifications.resend_accesslink"] for role in _STAFF
}
