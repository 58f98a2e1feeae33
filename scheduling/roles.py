"""Which role may do what with slots (see accounts/roles.py for how this is applied).

Schedule slot admins edit preferences, slots and closure days; refresh managers
and administrators see the calendar and subscribe to its feeds.
"""

from accounts.roles import Role

VIEW_CALENDAR = "scheduling.view_schedule_calendar"
MANAGE_SLOTS = "scheduling.manage_schedule_slots"

_VIEWER = [
    VIEW_CALENDAR,
    "scheduling.view_scheduleslot",
    "scheduling.view_scheduleslotpreference",
    "scheduling.view_booking",
    "scheduling.view_closureday",
]

ROLE_PERMISSIONS = {
    Role.SCHEDULE_SLOT_ADMIN: [
        *_VIEWER,
        MANAGE_SLOTS,
        "scheduling.add_scheduleslot",
        "scheduling.change_scheduleslot",
        "scheduling.add_scheduleslotpreference",
        "scheduling.change_scheduleslotpreference",
        "scheduling.delete_scheduleslotpreference",
        "scheduling.add_closureday",
        "scheduling.change_closureday",
        "scheduling.delete_closureday",
        "scheduling.view_generatedday",
    ],
    Role.REFRESH_MANAGER: list(_VIEWER),
    Role.REFRESH_ADMINISTRATOR: list(_VIEWER),
}


def can_view_calendar(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.is_active and user.has_perm(VIEW_CALENDAR)
    )


def can_manage_slots(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.is_active and user.has_perm(MANAGE_SLOTS)
    )
