from django.urls import include, path

from . import views

app_name = "refresh"
urlpatterns = [
    # Customer pages reached from emailed links; owned by refresh/customer/.
    path("c/", include("refresh.customer.urls")),
    # Staff pages.
    path("", views.ticket_list, name="ticket_list"),
    path("tickets/bulk/", views.tickets_bulk, name="tickets_bulk"),
    path("tickets/new/", views.ticket_create, name="ticket_create"),
    path("tickets/<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path("tickets/<int:pk>/do/<slug:action>/", views.ticket_action, name="ticket_action"),
    path("tickets/<int:pk>/comment/", views.ticket_comment, name="ticket_comment"),
    path("tickets/<int:pk>/itsm-lookup/", views.ticket_itsm_lookup, name="ticket_itsm_lookup"),
    path("tickets/<int:pk>/location/", views.ticket_location, name="ticket_location"),
    path("tickets/<int:pk>/replacement/", views.ticket_replacement, name="ticket_replacement"),
    path("tickets/<int:pk>/slot/", views.ticket_slot, name="ticket_slot"),
    path("tickets/<int:pk>/tracking/", views.ticket_tracking, name="ticket_tracking"),
    path("tickets/<int:pk>/group/", views.ticket_group, name="ticket_group"),
    path("tracking/", views.tracking_bulk, name="tracking_bulk"),
    path("order-group/", views.order_group, name="order_group"),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/new/", views.batch_create, name="batch_create"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/create/", views.batch_create_tickets, name="batch_create_tickets"),
    path("bulk-create/", views.bulk_create, name="bulk_create"),
    path("configs/", views.config_list, name="config_list"),
    path("configs/new/", views.config_create, name="config_create"),
    path("configs/<int:pk>/", views.config_detail, name="config_detail"),
    path("configs/<int:pk>/edit/", views.config_edit, name="config_edit"),
    # Approver pages (refresh/approvals/).
    path("approvals/", include("refresh.approvals.urls")),
]
