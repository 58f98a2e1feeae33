from django.conf import settings

from .nav import nav_for_user


def navigation(request):
    user = getattr(request, "user", None)
    nav = nav_for_user(user, request.path) if user is not None and user.is_authenticated else []
    return {"nav_items": nav, "site_name": settings.SITE_NAME}
