from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "scheduling"
urlpatterns = [
    path(
        "",
        RedirectView.as_view(pattern_name="scheduling:calendar", query_string=True),
        name="index",
    ),
    path("calendar/", views.calendar, name="calendar"),
    path("slots/new/", views.slot_create, name="slot_create"),
    path("slots/<int:pk>/", views.slot_detail, name="slot_detail"),
    path("slots/<int:pk>/delete/", views.slot_delete, name="slot_delete"),
    path("preferences/", views.preference_list, name="preference_list"),
    path("preferences/new/", views.preference_create, name="preference_create"),
    path("preferences/<int:pk>/edit/", views.preference_edit, name="preference_edit"),
    path(
        "preferences/<int:pk>/deactivate/",
        views.preference_deactivate,
        name="preference_deactivate",
    ),
    path("feeds/create/", views.feed_create, name="feed_create"),
    path("feeds/revoke/", views.feed_revoke, name="feed_revoke"),
    path("feeds/<str:token>/all.ics", views.feed_all, name="feed_all"),
    path("feeds/<str:token>/teams/<int:team_id>.ics", views.feed_team, name="feed_team"),
]
