from accounts.nav import NavItem

from .selectors import can_manage_webhooks

NAV_ITEMS = [NavItem("Webhooks", "webhooks:delivery_list", visible=can_manage_webhooks, order=80)]
