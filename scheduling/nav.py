from accounts.nav import NavItem

from .roles import can_manage_slots, can_view_calendar

NAV_ITEMS = [
    NavItem("Slot calendar", "scheduling:calendar", visible=can_view_calendar, order=40),
    NavItem("Slot preferences", "scheduling:preference_list", visible=can_manage_slots, order=41),
]
