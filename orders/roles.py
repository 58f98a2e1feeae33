"""Which role may do what with orders (see accounts/roles.py for how this is applied).

Coordinators use the portal (scoped by organization in ``orders.selectors``);
technicians work orders; managers also configure queues and cancel.
"""

from accounts.roles import Role

_VIEW = [
    "orders.view_order",
    "orders.view_orderaction",
    "orders.view_orderaudit",
    "orders.view_ordermessage",
    "orders.view_orderattachment",
    "orders.view_ordersubscription",
    "orders.view_orderqueue",
    "orders.view_orderactiontemplate",
    "orders.view_workstationplaceholder",
    "orders.view_orderitsmticket",
    "orders.view_installablesoftware",
    "orders.view_cannedresponse",
]

_TECHNICIAN = [
    *_VIEW,
    "orders.work_order",
    "orders.hold_order",
    "orders.reveal_enduser_secret",
    "orders.change_order",
    "orders.add_ordermessage",
    "orders.add_orderattachment",
    "orders.add_ordersubscription",
    "orders.delete_ordersubscription",
    "orders.add_orderitsmticket",
    "orders.change_orderitsmticket",
    # Request types (issue 13): technicians read them and log time.
    "orders.view_requesttype",
    "orders.view_customfield",
    "orders.view_assignmentrule",
    "orders.view_timeentry",
    "orders.add_timeentry",
    "orders.change_timeentry",
    "orders.delete_timeentry",
]

ROLE_PERMISSIONS = {
    Role.ORDERS_TECHNICIAN: _TECHNICIAN,
    Role.ORDERS_MANAGER: [
        *_TECHNICIAN,
        "orders.cancel_order",
        "orders.edit_order_information",
        "orders.add_orderqueue",
        "orders.change_orderqueue",
        "orders.add_orderactiontemplate",
        "orders.change_orderactiontemplate",
        "orders.delete_orderactiontemplate",
        "orders.add_installablesoftware",
        "orders.change_installablesoftware",
        "orders.add_cannedresponse",
        "orders.change_cannedresponse",
        "orders.delete_cannedresponse",
        "orders.add_requesttype",
        "orders.change_requesttype",
        "orders.add_customfield",
        "orders.change_customfield",
        "orders.add_assignmentrule",
        "orders.change_assignmentrule",
        "orders.delete_assignmentrule",
    ],
}


def can_work_orders(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.has_perm("orders.work_order")
    )
