from accounts.nav import NavItem

from .roles import can_view_tickets

NAV_ITEMS = [
    NavItem("Refresh", "refresh:ticket_list", visible=can_view_tickets, order=20),
]
