from django.urls import path

from . import views

# Included under /refresh/approvals/ in the "refresh" namespace.
urlpatterns = [
    path("", views.approval_list, name="approval_list"),
    path("bulk/", views.approve_bulk, name="approval_bulk"),
    path("<int:pk>/approve/", views.approve, name="approval_approve"),
    path("<int:pk>/return/", views.return_to_customer, name="approval_return"),
    path("<int:pk>/edit/", views.edit, name="approval_edit"),
]
