"""Reads of the orders app (a package: portal, staff pages, attachments; one import path).

Object scoping lives here, deny by default: a selector gives nothing to
someone who may not see it.
"""

from . import request_types
from .attachments import (
    attachment_for_download,
    order_attachments_visible,
    portal_attachment_get,
    staff_attachment_get,
)
from .paging import PAGE_PARAMS, filters_querystring
from .portal import (
    STAFF_ORDER_ROLES,
    client_thread,
    order_for_link,
    order_get_for_portal,
    order_messages_for_client,
    order_queues_active,
    order_queues_with_counts,
    order_status_counts,
    order_user_choices,
    orders_for_portal,
    orders_for_staff,
    placeholders_available,
    software_choices,
    user_is_coordinator,
    user_is_orders_staff,
)
from .portal_list import PortalListPage, orders_for_portal_page
from .request_types import *  # noqa: F403  (their one list is request_types.__all__)
from .staff import (
    WAITING_STATUSES,
    organizations_search,
    staff_follow_ups_for,
    staff_orders,
    staff_organization_get,
    staff_queue_get,
    staff_queues,
    staff_status_counts,
    staff_step_counts,
    technician_appointments,
)
from .staff_list import (
    OrderFilters,
    OrderListPage,
    staff_order_keys,
    staff_orders_list_page,
)
from .staff_order import (
    staff_itsm_ticket_get,
    staff_message_get,
    staff_order_appointments,
    staff_order_audits,
    staff_order_emails,
    staff_order_get,
    staff_order_itsm_tickets,
    staff_order_messages,
    staff_order_subscribed_users,
    staff_order_subscribers,
    staff_order_thread,
    thread_attachments_read,
)
from .staff_people import orders_staff_people, orders_staff_users
from .timelines import TIMELINE_SIZE, TimelinePage, timeline_page

__all__ = [
    "PortalListPage",
    "orders_for_portal_page",
    "TIMELINE_SIZE",
    "TimelinePage",
    "timeline_page",
    "OrderFilters",
    "PAGE_PARAMS",
    "OrderListPage",
    "staff_order_keys",
    "staff_orders_list_page",
    "filters_querystring",
    *request_types.__all__,
    "STAFF_ORDER_ROLES",
    "WAITING_STATUSES",
    "attachment_for_download",
    "order_attachments_visible",
    "order_for_link",
    "client_thread",
    "order_get_for_portal",
    "order_messages_for_client",
    "order_queues_active",
    "order_queues_with_counts",
    "order_status_counts",
    "order_user_choices",
    "orders_for_portal",
    "orders_for_staff",
    "orders_staff_people",
    "orders_staff_users",
    "organizations_search",
    "placeholders_available",
    "portal_attachment_get",
    "software_choices",
    "staff_attachment_get",
    "staff_follow_ups_for",
    "staff_itsm_ticket_get",
    "staff_message_get",
    "staff_order_appointments",
    "technician_appointments",
    "staff_order_audits",
    "staff_order_emails",
    "staff_order_get",
    "staff_order_itsm_tickets",
    "staff_order_messages",
    "staff_order_subscribed_users",
    "staff_order_subscribers",
    "staff_order_thread",
    "thread_attachments_read",
    "staff_orders",
    "staff_organization_get",
    "staff_queue_get",
    "staff_queues",
    "staff_status_counts",
    "staff_step_counts",
    "user_is_coordinator",
    "user_is_orders_staff",
]
