"""Response headers the browser enforces on every page (issue 14 item 9).

The Content-Security-Policy itself comes from django-csp (``CONTENT_SECURITY_POLICY``
in settings); this adds the Permissions-Policy header Django has no setting for.
"""

from django.conf import settings


class PermissionsPolicyMiddleware:
    """Send ``settings.PERMISSIONS_POLICY`` ({feature: [allowlist]}) on every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = ", ".join(
            f"{feature}=({' '.join(allow)})"
            for feature, allow in getattr(settings, "PERMISSIONS_POLICY", {}).items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.value:
            response.headers.setdefault("Permissions-Policy", self.value)
        return response
