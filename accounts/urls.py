from allauth.account import views as allauth_views
from django.urls import include, path

# Sign-in, sign-out, password reset/change, MFA and single sign-on are
# django-allauth's views (templates under templates/account/ and templates/mfa/).
# The short names below are the ones the rest of the site reverses.
urlpatterns = [
    path("login/", allauth_views.login, name="login"),
    path("logout/", allauth_views.logout, name="logout"),
    path("password/reset/", allauth_views.password_reset, name="password_reset"),
    path("password/change/", allauth_views.password_change, name="password_change"),
    path("", include("allauth.urls")),
]
