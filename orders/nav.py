from accounts.nav import NavItem
from accounts.roles import Role, user_has_role

from .roles import can_work_orders

NAV_ITEMS = [
    NavItem(
        "Orders",
        "orders:portal_list",
        visible=lambda user: user_has_role(user, Role.COORDINATOR) and not user.is_superuser,
        order=10,
    ),
    # The staff order manager (orders/views/staff.py) names its landing page staff_list.
    NavItem("Order manager", "orders:staff_list", visible=can_work_orders, order=20),
    NavItem("My appointments", "orders:staff_appointments", visible=can_work_orders, order=21),
]
NAV_ITEMS.append(
    # Request types and the requests filtered by an answer (issue 13).
    NavItem("Request types", "orders:staff_request_types", visible=can_work_orders, order=22)
)
