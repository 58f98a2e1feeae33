"""drf-spectacular pieces: the API-key security scheme and problem+json responses."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

from .exceptions import PROBLEM_CONTENT_TYPE


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key from /account/api-keys/: `Authorization: Bearer hov_…`.",
        }


Problem = inline_serializer(
    name="Problem",
    fields={
        "type": serializers.CharField(),
        "title": serializers.CharField(),
        "status": serializers.IntegerField(),
        "detail": serializers.CharField(),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()), required=False
        ),
    },
)


def problems(*codes: int) -> dict:
    """Problem responses for ``codes`` (plus 401/403/429 every endpoint may answer)."""
    described = {
        400: "Invalid input; `errors` lists the fields.",
        401: "No or an unknown/expired/revoked API key.",
        403: "Your role or organization does not give access.",
        404: "Not found (or not visible to you).",
        409: "The action does not apply in the object's current status.",
        429: "Rate limit reached; see Retry-After.",
    }
    return {
        (code, PROBLEM_CONTENT_TYPE): OpenApiResponse(Problem, description=described[code])
        for code in sorted({*codes, 401, 403, 429})
    }


class NoteSerializer(serializers.Serializer):
    """The optional note of a staff action (kept in the audit row)."""

    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
