"""Refresh administrators and orders managers connect other systems."""

from accounts.roles import Role

_WEBHOOKS = [
    "webhooks.add_webhookendpoint",
    "webhooks.change_webhookendpoint",
    "webhooks.view_webhookendpoint",
    "webhooks.view_webhookdelivery",
]

ROLE_PERMISSIONS = {Role.REFRESH_ADMINISTRATOR: _WEBHOOKS, Role.ORDERS_MANAGER: _WEBHOOKS}
