"""Staff order manager URLs (``orders/views/staff.py``), included at /orders/staff/."""

from django.urls import path

from .views import staff

urlpatterns = [
    path("", staff.staff_list, name="staff_list"),
    path("queues/<int:queue_id>/", staff.staff_queue, name="staff_queue"),
    path("attachments/<int:pk>/", staff.staff_attachment_download, name="staff_attachment"),
    path("<int:number>/", staff.staff_detail, name="staff_detail"),
    path(
        "<int:number>/actions/<int:action_id>/process/",
        staff.staff_action_process,
        name="staff_action_process",
    ),
    path(
        "<int:number>/actions/<int:action_id>/skip/",
        staff.staff_action_skip,
        name="staff_action_skip",
    ),
    path(
        "<int:number>/actions/<int:action_id>/retry/",
        staff.staff_action_retry,
        name="staff_action_retry",
    ),
    path("<int:number>/details/", staff.staff_details_edit, name="staff_details"),
    path("<int:number>/hold/", staff.staff_hold, name="staff_hold"),
    path("<int:number>/resume/", staff.staff_resume, name="staff_resume"),
    path("<int:number>/cancel/", staff.staff_cancel, name="staff_cancel"),
    path("<int:number>/organization/", staff.staff_organization, name="staff_organization"),
    path("<int:number>/itsm/", staff.staff_itsm_add, name="staff_itsm_add"),
    path(
        "<int:number>/itsm/<int:ticket_id>/status/",
        staff.staff_itsm_status,
        name="staff_itsm_status",
    ),
    path("<int:number>/messages/", staff.staff_message_post, name="staff_message"),
    path("<int:number>/subscribe/", staff.staff_subscribe, name="staff_subscribe"),
    path("<int:number>/unsubscribe/", staff.staff_unsubscribe, name="staff_unsubscribe"),
    path("<int:number>/secret/", staff.staff_secret_reveal, name="staff_secret"),
    path("<int:number>/send-link/", staff.staff_send_link, name="staff_send_link"),
]
