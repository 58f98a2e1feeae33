from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .nav import nav_for_user
from .roles import Role, user_has_role


@login_required
def home(request):
    """The landing page: what this person can do, by role."""
    user = request.user
    roles = [role.label for role in Role if user_has_role(user, role)]
    shortcuts = [item for item in nav_for_user(user) if item["url"] != request.path]
    return render(
        request,
        "accounts/home.html",
        {"roles": roles, "shortcuts": shortcuts, "organization": user.organization},
    )
