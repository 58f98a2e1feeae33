"""Which role may do what in reports (see accounts/roles.py for how this is applied).

Dashboards follow the pages they summarise: the refresh dashboard is for
refresh managers and administrators (``refresh.view_refreshticket``), the
order desk dashboard for orders staff (``orders.work_order``). Every staff
role saves views and subscribes; refresh administrators own lifecycle policies,
the system importer and the forecast's "start a refresh batch".
"""

from accounts.roles import STAFF_ROLES, Role

_SAVED_VIEWS = [
    "reports.view_savedview",
    "reports.add_savedview",
    "reports.view_reportsubscription",
    "reports.add_reportsubscription",
]

_FORECAST = ["reports.view_lifecyclepolicy", "reports.view_forecast"]

ROLE_PERMISSIONS = {role: list(_SAVED_VIEWS) for role in STAFF_ROLES}
ROLE_PERMISSIONS[Role.REFRESH_MANAGER] = [*_SAVED_VIEWS, *_FORECAST]
ROLE_PERMISSIONS[Role.REFRESH_ADMINISTRATOR] = [
    *_SAVED_VIEWS,
    *_FORECAST,
    "reports.add_lifecyclepolicy",
    "reports.change_lifecyclepolicy",
    "reports.delete_lifecyclepolicy",
    "reports.import_systems",
]


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_view_refresh_dashboard(user) -> bool:
    return _active(user) and user.has_perm("refresh.view_refreshticket")


def can_view_orders_dashboard(user) -> bool:
    return _active(user) and user.has_perm("orders.work_order")


def can_save_views(user) -> bool:
    return _active(user) and user.has_perm("reports.add_savedview")


def can_view_forecast(user) -> bool:
    return _active(user) and user.has_perm("reports.view_forecast")


def can_manage_lifecycle(user) -> bool:
    return _active(user) and user.has_perm("reports.change_lifecyclepolicy")


def can_import_systems(user) -> bool:
    return _active(user) and user.has_perm("reports.import_systems")


def can_see_reports(user) -> bool:
    return (
        can_view_refresh_dashboard(user)
        or can_view_orders_dashboard(user)
        or can_save_views(user)
        or can_view_forecast(user)
    )
