"""Refresh configs (read-only) and systems (read, and the asset inventory's upsert by
serial number) over the API."""

from __future__ import annotations

from types import SimpleNamespace

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from api.listing import Computed, FastListMixin, ListRows
from api.permissions import HasPerm
from api.schema import problems
from refresh import selectors
from refresh.choices import Platform, SystemStatus
from refresh.models import HardwareModel, RefreshConfig, System
from refresh.selectors import (
    hardware_model_by_id,
    organization_by_id,
    system_for_staff,
    systems_for_staff,
    user_by_email,
)
from refresh.services import system_upsert


class ConfigSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name", read_only=True)
    support_team = serializers.CharField(
        source="support_team.name", read_only=True, allow_null=True
    )
    open_tickets = serializers.IntegerField(read_only=True)

    class Meta:
        model = RefreshConfig
        fields = ["id", "name", "organization", "style", "requires_approval", "support_team"]
        fields += ["open_tickets"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary="Refresh configs", responses={200: ConfigSerializer, **problems(400)}
    ),
    retrieve=extend_schema(
        summary="One refresh config", responses={200: ConfigSerializer, **problems(404)}
    ),
)
class ConfigViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasPerm.of("refresh.view_refreshconfig")]
    serializer_class = ConfigSerializer
    queryset = RefreshConfig.objects.none()

    def get_queryset(self):
        return selectors.configs_for_staff(user=self.request.user)


class SystemSerializer(serializers.ModelSerializer):
    hardware_model = serializers.StringRelatedField()
    hardware_model_id = serializers.IntegerField(read_only=True)
    current_user_email = serializers.EmailField(
        source="current_user.email", read_only=True, allow_null=True
    )

    class Meta:
        model = System
        fields = [
            "id",
            "serial_number",
            "name",
            "hardware_model",
            "hardware_model_id",
            "platform",
            "status",
            "current_user_email",
            "organization_id",
            "building",
            "room",
            "itsm_asset_id",
            "purchase_date",
            "warranty_end",
            "updated_at",
        ]
        read_only_fields = fields


def _found(obj, message: str):
    """``obj``, or the field error ``message`` when the lookup found nothing."""
    if obj is None:
        raise serializers.ValidationError(message)
    return obj


class SystemUpsertSerializer(serializers.Serializer):
    """Shape of a pushed system; the service decides what is allowed."""

    serial_number = serializers.CharField(max_length=80)
    name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    hardware_model_id = serializers.IntegerField(required=False, min_value=1)
    platform = serializers.ChoiceField(choices=Platform.choices, required=False)
    status = serializers.ChoiceField(choices=SystemStatus.choices, required=False)
    current_user_email = serializers.EmailField(required=False, allow_null=True)
    organization_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    building = serializers.CharField(max_length=160, required=False, allow_blank=True)
    room = serializers.CharField(max_length=60, required=False, allow_blank=True)
    itsm_asset_id = serializers.CharField(max_length=60, required=False, allow_blank=True)
    purchase_date = serializers.DateField(required=False, allow_null=True)
    warranty_end = serializers.DateField(required=False, allow_null=True)

    def validate_hardware_model_id(self, value):
        return _found(hardware_model_by_id(model_id=value), "No hardware model has this id.")

    def validate_current_user_email(self, value):
        if value is None:
            return None
        return _found(user_by_email(email=value), "No user has this email address.")

    def validate_organization_id(self, value):
        if value is None:
            return None
        return _found(organization_by_id(organization_id=value), "No organization has this id.")

    def to_service_data(self) -> dict:
        renames = {
            "hardware_model_id": "hardware_model",
            "current_user_email": "current_user",
            "organization_id": "organization",
        }
        data = dict(self.validated_data)
        data.pop("serial_number")
        return {renames.get(k, k): v for k, v in data.items()}


def _hardware_model_name(pk, manufacturer, name):
    """``str()`` of the hardware model, by the model's own rule, without building one."""
    if pk is None:
        return None
    return HardwareModel.__str__(SimpleNamespace(manufacturer=manufacturer, name=name))


@extend_schema_view(
    list=extend_schema(
        summary="Systems (devices)",
        parameters=[
            OpenApiParameter("q", str, description="Serial prefix or hostname."),
            OpenApiParameter("status", str, enum=SystemStatus.values),
            OpenApiParameter("platform", str, enum=Platform.values),
            OpenApiParameter("organization", int, description="Organization id."),
        ],
        responses={200: SystemSerializer, **problems(400)},
    ),
    retrieve=extend_schema(
        summary="One system by serial number",
        responses={200: SystemSerializer, **problems(404)},
    ),
)
class SystemViewSet(FastListMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasPerm.of("refresh.view_system")]
    serializer_class = SystemSerializer
    list_rows = ListRows(
        SystemSerializer,
        computed={
            "hardware_model": Computed(
                ("hardware_model_id", "hardware_model__manufacturer", "hardware_model__name"),
                _hardware_model_name,
            )
        },
    )
    queryset = System.objects.none()
    lookup_field = "serial_number"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        params = self.request.query_params
        return systems_for_staff(
            user=self.request.user,
            **{name: params.get(name, "") for name in ("q", "status", "platform", "organization")},
        )

    def get_object(self):
        system = system_for_staff(
            user=self.request.user, serial_number=self.kwargs["serial_number"]
        )
        if system is None:
            raise Http404("No such system.")
        return system

    @extend_schema(
        summary="Create or update a system by serial number (asset inventory push)",
        request=SystemUpsertSerializer,
        responses={200: SystemSerializer, 201: SystemSerializer, **problems(400)},
    )
    def create(self, request, *args, **kwargs):
        body = SystemUpsertSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = system_upsert(
            serial_number=body.validated_data["serial_number"],
            data=body.to_service_data(),
            actor=request.user,
        )
        return Response(
            SystemSerializer(result.system).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )
