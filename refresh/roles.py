"""Which permissions each role gets in the refresh app (synced to groups after migrate)."""

from accounts.roles import Role

_VIEW = [
    "refresh.view_refreshticket",
    "refresh.view_refreshconfig",
    "refresh.view_refreshbatch",
    "refresh.view_system",
    "refresh.view_hardwaremodel",
    "refresh.view_peripheral",
    "refresh.view_peripheralbundle",
    "refresh.view_softwaretitle",
    "refresh.view_refreshticketaudit",
    "refresh.view_refreshticketevent",
]

_MANAGER = [
    *_VIEW,
    "refresh.hold_refreshticket",
    "refresh.reschedule_refreshticket",
    "refresh.fill_location_refreshticket",
]

_ADMINISTRATOR = [
    *_MANAGER,
    "refresh.cancel_refreshticket",
    "refresh.assign_replacement_refreshticket",
    "refresh.bulk_manage_refreshticket",
    "refresh.progress_refreshticket",
    "refresh.add_refreshticket",
    "refresh.change_refreshticket",
    "refresh.add_refreshconfig",
    "refresh.change_refreshconfig",
    "refresh.add_refreshbatch",
    "refresh.change_refreshbatch",
    "refresh.add_system",
    "refresh.change_system",
    "refresh.add_hardwaremodel",
    "refresh.change_hardwaremodel",
    "refresh.add_peripheral",
    "refresh.change_peripheral",
    "refresh.add_peripheralbundle",
    "refresh.change_peripheralbundle",
    "refresh.add_softwaretitle",
    "refresh.change_softwaretitle",
]

ROLE_PERMISSIONS = {
    Role.REFRESH_ADMINISTRATOR: _ADMINISTRATOR,
    Role.REFRESH_MANAGER: _MANAGER,
    Role.APPROVER: ["refresh.approve_refreshticket"],
}


def can_view_tickets(user) -> bool:
    """Refresh managers and administrators (and superusers) see the staff pages."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.has_perm("refresh.view_refreshticket")
    )


def can_administer(user) -> bool:
    """Batches, bulk creation, order groups and bulk actions: refresh administrators."""
    return can_view_tickets(user) and user.has_perm("refresh.bulk_manage_refreshticket")


def can_manage_configs(user) -> bool:
    return can_view_tickets(user) and user.has_perm("refresh.change_refreshconfig")


def can_approve(user) -> bool:
    """Approvers (and superusers) reach the approval pages; which tickets is per config."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or user.has_perm("refresh.approve_refreshticket")
