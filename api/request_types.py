"""Staff-defined request types over the API (issue 15 item 3): the types the caller
may use with their custom fields, and a request of one, saved or submitted exactly
as the portal form does (``request_save`` then ``order_submit``): same rules, same
messages, errors keyed by the custom field's key. File fields are answered with
multipart/form-data (``values`` as a JSON string, one part per file field named by
its key); the portal form checks the files and the same service stores them."""

from __future__ import annotations

import json

from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, QueryDict
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from orders.forms.custom_fields import CustomFieldsForm
from orders.models import CustomField, RequestType
from orders.request_choices import FieldKind
from orders.selectors import (
    order_get_for_portal,
    request_type_for_portal,
    request_types_for_portal,
    request_types_for_staff,
    user_is_coordinator,
)
from orders.services import order_submit, request_save

from .orders.serializers import OrderDetailSerializer
from .permissions import OrdersPortalOrStaff
from .schema import problems

FILE_FIELDS_MESSAGE = (
    "{label}: files cannot be given as JSON; send multipart/form-data with a part named {key}."
)


def _form_data(values: dict, *, notes: str) -> QueryDict:
    """JSON answers as the portal form posts them: lists as repeated values, a person
    as its id, everything else as text (the form then parses and stores them alike)."""
    data = QueryDict(mutable=True)
    data["notes"] = notes
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, list):
            data.setlist(key, [str(v) for v in value])
        elif isinstance(value, dict):
            data[key] = str(value.get("id", ""))
        else:
            data[key] = str(value)
    return data


def _live_fields():
    return Prefetch(
        "fields",
        queryset=CustomField.objects.filter(archived_at__isnull=True)
        .select_related("show_when")
        .order_by("position", "id"),
        to_attr="live_fields",
    )


class CustomFieldSerializer(serializers.ModelSerializer):
    show_when = serializers.SerializerMethodField(
        help_text="Shown (and then checked) only when the field `key` is answered `value`."
    )

    class Meta:
        model = CustomField
        fields = [
            "key",
            "label",
            "kind",
            "required",
            "help_text",
            "choices",
            "min_number",
            "max_number",
            "min_date",
            "max_date",
            "show_when",
        ]
        read_only_fields = fields

    def get_show_when(self, field) -> dict[str, str] | None:
        if field.show_when_id is None:
            return None
        return {"key": field.show_when.key, "value": field.show_when_value}


class RequestTypeSerializer(serializers.ModelSerializer):
    fields = CustomFieldSerializer(source="live_fields", many=True, read_only=True)

    class Meta:
        model = RequestType
        fields = ["slug", "name", "description", "icon", "colour", "active", "fields"]
        read_only_fields = fields


class RequestCreateSerializer(serializers.Serializer):
    values = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        default=dict,
        help_text="Answers by custom field key: text, a number, an ISO date, "
        '"yes"/"no", one of the choices or a list of them, a person\'s user id. '
        "File fields are answered with multipart/form-data, one part per file field "
        "named by its key.",
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    submit = serializers.BooleanField(
        default=False, help_text="Submit at once; false saves a draft."
    )


class RequestMultipartSerializer(serializers.Serializer):
    values = serializers.CharField(
        required=False,
        default="{}",
        help_text="The answers as a JSON object (as `values` of the JSON body). Each file "
        "field is a further part named by the field's key.",
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    submit = serializers.BooleanField(
        default=False, help_text="Submit at once; false saves a draft."
    )

    def validate_values(self, value: str) -> dict:
        try:
            parsed = json.loads(value or "{}")
        except ValueError:
            raise serializers.ValidationError("Give the answers as a JSON object.") from None
        if not isinstance(parsed, dict):
            raise serializers.ValidationError("Give the answers as a JSON object.")
        return parsed


class RequestOrderSerializer(OrderDetailSerializer):
    request_type = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    custom_values = serializers.JSONField(read_only=True, help_text="Answers by field key.")

    class Meta(OrderDetailSerializer.Meta):
        fields = [*OrderDetailSerializer.Meta.fields, "request_type", "custom_values"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary="Request types you may use, with their custom fields",
        description="Coordinators: the staff-defined types offered to their organization "
        "and shown in the portal, in the chooser's order. Orders staff: every "
        "staff-defined type, as the staff pages list them. Built-in types are created "
        "with POST /orders/.",
        responses={200: RequestTypeSerializer, **problems()},
    ),
    retrieve=extend_schema(
        summary="One request type with its custom fields",
        responses={200: RequestTypeSerializer, **problems(404)},
    ),
)
class RequestTypeViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [OrdersPortalOrStaff]
    serializer_class = RequestTypeSerializer
    queryset = RequestType.objects.none()
    pagination_class = None
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    @property
    def is_coordinator(self) -> bool:
        return user_is_coordinator(self.request.user)

    def get_queryset(self):
        if self.is_coordinator:
            slugs = [
                e.slug
                for e in request_types_for_portal(user=self.request.user)
                if not e.builtin_type
            ]
            rows = RequestType.objects.filter(slug__in=slugs).prefetch_related(_live_fields())
            by_slug = {r.slug: r for r in rows}
            return [by_slug[s] for s in slugs if s in by_slug]
        return list(
            request_types_for_staff(user=self.request.user)
            .filter(builtin_type="")
            .prefetch_related(_live_fields())
        )

    def get_object(self):
        slug = self.kwargs["slug"]
        if self.is_coordinator:
            row = request_type_for_portal(user=self.request.user, slug=slug)
        else:
            row = (
                request_types_for_staff(user=self.request.user)
                .filter(slug=slug, builtin_type="")
                .first()
            )
        if row is None:
            raise Http404("No such request type.")
        prefetch_related_objects([row], _live_fields())
        return row

    @extend_schema(
        summary="Start a request of this type (coordinators): a draft, or submitted at once",
        description="The portal form's checks, service and rules: answers are checked "
        "by the portal's form then on the server, fields that do not show are dropped, "
        "a required field that shows must be answered to submit. `errors` is keyed "
        "by the custom field key. A failed submission saves nothing. "
        "File fields: send multipart/form-data with `values` as a JSON string and one "
        "part per file field named by its key (the attachment rules apply).",
        request={
            "application/json": RequestCreateSerializer,
            "multipart/form-data": RequestMultipartSerializer,
        },
        responses={201: RequestOrderSerializer, **problems(400, 404)},
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser])
    def requests(self, request, slug=None):
        if not self.is_coordinator or request.user.organization_id is None:
            raise PermissionDenied("Requests are created by coordinators of an organization.")
        request_type = self.get_object()
        multipart = request.content_type.startswith("multipart/")
        body_class = RequestMultipartSerializer if multipart else RequestCreateSerializer
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data["values"]
        file_keys = {f.key for f in request_type.live_fields if f.kind == FieldKind.FILE}
        file_errors = {
            f.key: [FILE_FIELDS_MESSAGE.format(label=f.label, key=f.key)]
            for f in request_type.live_fields
            if f.key in file_keys and values.get(f.key) not in (None, "", [], {})
        }
        if file_errors:
            raise serializers.ValidationError(file_errors)
        files = {k: request.FILES[k] for k in file_keys if k in request.FILES} if multipart else {}
        form = CustomFieldsForm(
            _form_data(values, notes=body.validated_data["notes"]),
            files,
            custom_fields=request_type.live_fields,
            organization=request.user.organization,
        )
        if not form.is_valid():  # the portal form's checks and messages
            raise serializers.ValidationError(form.errors)
        with transaction.atomic():
            order = request_save(
                request_type=request_type,
                organization=request.user.organization,
                author=request.user,
                values=form.custom_values(),
                files=form.files_by_key(),
                notes=form.cleaned_data.get("notes", ""),
            )
            if body.validated_data["submit"]:
                order_submit(order=order, actor=request.user)
        order = order_get_for_portal(user=request.user, number=order.number)
        return Response(RequestOrderSerializer(order).data, status=status.HTTP_201_CREATED)
