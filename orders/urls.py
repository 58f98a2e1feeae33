"""URLs of the orders app: the coordinator portal at /orders/, emailed links,
and the staff order manager at /orders/staff/."""

from django.urls import path

from .views import (
    appointments,
    attachments,
    links,
    people,
    portal,
    request_portal,
    request_staff,
    staff,
    staff_appointment,
    staff_information,
    staff_links,
    staff_work,
)

app_name = "orders"

portal_urls = [
    path("", portal.portal_list, name="portal_list"),
    path("new/", request_portal.portal_chooser, name="portal_new"),
    path("people/", people.portal_people, name="portal_people"),
    path("new/r/<slug:slug>/", request_portal.portal_request_create, name="portal_request_create"),
    path("r/<int:number>/edit/", request_portal.portal_request_edit, name="portal_request_edit"),
    path("new/<slug:order_type>/", portal.portal_create, name="portal_create"),
    path("<int:number>/", portal.portal_detail, name="portal_detail"),
    path("<int:number>/edit/", portal.portal_edit, name="portal_edit"),
    path("<int:number>/reply/", portal.portal_reply, name="portal_reply"),
    path("<int:number>/withdraw/", portal.portal_cancel, name="portal_cancel"),
    path(
        "<int:number>/attachments/<int:pk>/",
        attachments.attachment_download,
        {"audience": "portal"},
        name="portal_attachment",
    ),
]

link_urls = [
    path("finish/<str:token>/", links.finish_link, name="finish_link"),
    path("l/<str:token>/", links.enduser_link, name="enduser_link"),
    path("account/<str:token>/", links.account_access, name="account_access"),
]

staff_urls = [
    path("staff/", staff.staff_list, name="staff_list"),
    path("staff/appointments/", appointments.staff_appointments, name="staff_appointments"),
    path(
        "staff/appointments/feed/",
        appointments.appointments_feed_create,
        name="appointments_feed_create",
    ),
    path(
        "feeds/<str:token>/appointments.ics",
        appointments.appointments_feed,
        name="appointments_feed",
    ),
    path("staff/queues/<int:queue_id>/", staff.staff_queue, name="staff_queue"),
    path(
        "staff/attachments/<int:pk>/",
        attachments.attachment_download,
        {"audience": "staff"},
        name="staff_attachment",
    ),
    path("staff/<int:number>/", staff.staff_detail, name="staff_detail"),
    path(
        "staff/<int:number>/actions/<int:action_id>/process/",
        staff_work.staff_action_process,
        name="staff_action_process",
    ),
    path(
        "staff/<int:number>/actions/<int:action_id>/skip/",
        staff_work.staff_action_skip,
        name="staff_action_skip",
    ),
    path(
        "staff/<int:number>/actions/<int:action_id>/retry/",
        staff_work.staff_action_retry,
        name="staff_action_retry",
    ),
    path("staff/<int:number>/details/", staff_work.staff_details_edit, name="staff_details"),
    path(
        "staff/<int:number>/appointment/",
        staff_appointment.staff_appointment,
        name="staff_appointment",
    ),
    path(
        "staff/<int:number>/appointment/cancel/",
        staff_appointment.staff_appointment_cancel,
        name="staff_appointment_cancel",
    ),
    path(
        "staff/<int:number>/information/",
        staff_information.staff_information,
        name="staff_information",
    ),
    path("staff/<int:number>/hold/", staff_work.staff_hold, name="staff_hold"),
    path("staff/<int:number>/resume/", staff_work.staff_resume, name="staff_resume"),
    path("staff/<int:number>/cancel/", staff_work.staff_cancel, name="staff_cancel"),
    path(
        "staff/<int:number>/organization/",
        staff_work.staff_organization,
        name="staff_organization",
    ),
    path("staff/<int:number>/itsm/", staff_work.staff_itsm_add, name="staff_itsm_add"),
    path(
        "staff/<int:number>/itsm/<int:ticket_id>/status/",
        staff_work.staff_itsm_status,
        name="staff_itsm_status",
    ),
    path("staff/<int:number>/messages/", staff.staff_message_post, name="staff_message"),
    path("staff/<int:number>/subscribe/", staff.staff_subscribe, name="staff_subscribe"),
    path("staff/<int:number>/unsubscribe/", staff.staff_unsubscribe, name="staff_unsubscribe"),
    path("staff/<int:number>/secret/", staff.staff_secret_reveal, name="staff_secret"),
    path("staff/<int:number>/send-link/", staff_links.staff_send_link, name="staff_send_link"),
]

# Request types (issue 13): defined by managers; requests filtered by answers; time.
request_type_urls = [
    path("staff/request-types/", request_staff.staff_request_types, name="staff_request_types"),
    path(
        "staff/request-types/new/",
        request_staff.staff_request_type_create,
        name="staff_request_type_create",
    ),
    path(
        "staff/request-types/<int:pk>/",
        request_staff.staff_request_type,
        name="staff_request_type",
    ),
    path(
        "staff/request-types/<int:pk>/fields/",
        request_staff.staff_custom_field_add,
        name="staff_custom_field_add",
    ),
    path(
        "staff/request-types/fields/<int:pk>/",
        request_staff.staff_custom_field,
        name="staff_custom_field",
    ),
    path(
        "staff/request-types/fields/<int:pk>/remove/",
        request_staff.staff_custom_field_remove,
        name="staff_custom_field_remove",
    ),
    path("staff/requests/", request_staff.staff_requests, name="staff_requests"),
    path("staff/<int:number>/answers/", request_staff.staff_answers, name="staff_answers"),
    path("staff/<int:number>/time/", request_staff.staff_time_log, name="staff_time_log"),
    path("staff/<int:number>/plan/", request_staff.staff_action_plan, name="staff_action_plan"),
    path("staff/time/<int:pk>/", request_staff.staff_time_edit, name="staff_time_edit"),
    path("staff/time/<int:pk>/delete/", request_staff.staff_time_delete, name="staff_time_delete"),
]

urlpatterns = [*portal_urls, *link_urls, *staff_urls, *request_type_urls]
