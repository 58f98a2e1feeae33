"""Refresh over the API: tickets (the staff list's filters, staff actions), configs, systems."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from refresh import selectors, services
from refresh.choices import BatchRowOutcome, Platform, RefreshStyle, SystemStatus, TicketStatus
from refresh.models import RefreshBatch, RefreshConfig, RefreshTicket, System
from refresh.selectors import (
    hardware_model_by_id,
    organization_by_id,
    system_for_staff,
    systems_for_staff,
    user_by_email,
)
from refresh.services import system_upsert
from scheduling.selectors import slots_bookable

from .permissions import CanViewTickets, HasPerm
from .schema import NoteSerializer, problems

# --- serializers -------------------------------------------------------------


class TicketSerializer(serializers.ModelSerializer):
    """A ticket as the staff list shows it."""

    number = serializers.CharField(read_only=True)
    serial_number = serializers.CharField(source="existing_system.serial_number", read_only=True)
    hostname = serializers.CharField(source="existing_system.name", read_only=True)
    user_email = serializers.EmailField(source="user.email", read_only=True, allow_null=True)
    user_name = serializers.CharField(source="user.full_name", read_only=True, allow_null=True)
    support_team = serializers.CharField(
        source="support_team.name", read_only=True, allow_null=True
    )
    config = serializers.CharField(source="config.name", read_only=True)
    replacement_serial_number = serializers.CharField(
        source="replacement_system.serial_number", read_only=True, allow_null=True
    )

    class Meta:
        model = RefreshTicket
        fields = [
            "id",
            "number",
            "status",
            "style",
            "created_at",
            "status_changed_at",
            "serial_number",
            "hostname",
            "user_email",
            "user_name",
            "support_team",
            "config",
            "replacement_serial_number",
        ]
        read_only_fields = fields


class TicketDetailSerializer(TicketSerializer):
    delivery_at = serializers.DateTimeField(read_only=True, allow_null=True)
    group = serializers.CharField(read_only=True, help_text="The replacement's group.")

    class Meta(TicketSerializer.Meta):
        fields = [
            *TicketSerializer.Meta.fields,
            "status_before_hold",
            "tracking_number",
            "tracking_carrier",
            "group",
            "delivery_at",
            "itsm_ticket_id",
            "location_building",
            "location_room",
            "wizard_submitted_at",
            "approved_at",
        ]
        read_only_fields = fields


class TrackingSerializer(serializers.Serializer):
    tracking_number = serializers.CharField(max_length=120)


class BookSerializer(serializers.Serializer):
    slot_id = serializers.IntegerField(min_value=1)


class ReplacementSerializer(serializers.Serializer):
    serial_number = serializers.CharField(
        max_length=80, allow_blank=True, help_text="Empty clears the replacement."
    )


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


class BatchSerializer(serializers.ModelSerializer):
    config = serializers.CharField(source="config.name", read_only=True)
    style = serializers.ChoiceField(
        choices=RefreshStyle.choices,
        allow_blank=True,
        read_only=True,
        help_text="Empty: the config's style.",
    )
    ticket_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = RefreshBatch
        fields = ["id", "name", "config", "style", "created_at", "tickets_created_at"]
        fields += ["ticket_count"]
        read_only_fields = fields


class BatchCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=160)
    config_id = serializers.IntegerField(min_value=1)
    serials = serializers.ListField(child=serializers.CharField(max_length=80), max_length=5000)
    create_tickets = serializers.BooleanField(
        default=False, help_text="Create the tickets now; false saves the batch and previews."
    )


class BatchRowSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    serial_number = serializers.CharField()
    outcome = serializers.ChoiceField(choices=BatchRowOutcome.choices)
    message = serializers.CharField()
    ticket_id = serializers.IntegerField(allow_null=True)


class BatchReportSerializer(serializers.Serializer):
    batch = BatchSerializer()
    applied = serializers.BooleanField(help_text="True when tickets were created.")
    rows = BatchRowSerializer(many=True)


# --- views ---------------------------------------------------------------------

TICKET_FILTERS = [
    OpenApiParameter("status", str, enum=TicketStatus.values, description="Ticket status."),
    OpenApiParameter("style", str, enum=RefreshStyle.values),
    OpenApiParameter("team", int, description="Support team id."),
    OpenApiParameter("config", int, description="Refresh config id."),
    OpenApiParameter("batch", int, description="Batch id."),
    OpenApiParameter("q", str, description="Serial, hostname, user name/email or RT-number."),
    OpenApiParameter("focus", str, enum=list(selectors.FOCUSES)),
]

ACTIONS = {
    "hold": lambda t, user, note: services.ticket_hold(ticket=t, actor=user, note=note),
    "resume": lambda t, user, note: services.ticket_resume(ticket=t, actor=user, note=note),
    "cancel": lambda t, user, note: services.ticket_cancel(ticket=t, actor=user, note=note),
    "request_reschedule": lambda t, user, note: services.ticket_request_reschedule(
        ticket=t, actor=user, actor_label="", note=note
    ),
}


def _action_schema(summary: str, request=NoteSerializer):
    return extend_schema(
        summary=summary,
        request=request,
        responses={200: TicketDetailSerializer, **problems(400, 404, 409)},
    )


@extend_schema_view(
    list=extend_schema(
        summary="Refresh tickets (staff list filters)",
        parameters=TICKET_FILTERS,
        responses={200: TicketSerializer, **problems(400)},
    ),
    retrieve=extend_schema(
        summary="One refresh ticket", responses={200: TicketDetailSerializer, **problems(404)}
    ),
)
class TicketViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [CanViewTickets]
    serializer_class = TicketSerializer
    queryset = RefreshTicket.objects.none()

    def get_queryset(self):
        params = self.request.query_params
        filters = selectors.TicketFilters(
            **{
                name: params.get(name, "")
                for name in ("status", "style", "team", "config", "batch", "q")
            },
            focus=params.get("focus", selectors.FOCUS_ALL),
        )
        return selectors.tickets_for_staff(user=self.request.user, filters=filters)

    def get_object(self):
        pk = self.kwargs["pk"]
        if not str(pk).isdigit():
            raise Http404
        try:
            return selectors.ticket_detail(user=self.request.user, ticket_id=int(pk))
        except RefreshTicket.DoesNotExist as exc:
            raise Http404("No such ticket.") from exc

    def get_serializer_class(self):
        return TicketSerializer if self.action == "list" else TicketDetailSerializer

    def _transition(self, request, name: str):
        ticket = self.get_object()
        body = NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ACTIONS[name](ticket, request.user, body.validated_data["note"])
        return Response(TicketDetailSerializer(self.get_object()).data)

    @_action_schema("Put a ticket on hold")
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        return self._transition(request, "hold")

    @_action_schema("Resume a held ticket")
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._transition(request, "resume")

    @_action_schema("Cancel a ticket (never undone)")
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._transition(request, "cancel")

    @_action_schema("Release the booking so the customer picks a new slot")
    @action(detail=True, methods=["post"], url_path="request-reschedule")
    def request_reschedule(self, request, pk=None):
        return self._transition(request, "request_reschedule")

    @_action_schema("Set the shipment tracking number", request=TrackingSerializer)
    @action(detail=True, methods=["post"], url_path="tracking-number")
    def tracking_number(self, request, pk=None):
        ticket = self.get_object()
        if not request.user.has_perm("refresh.change_refreshticket"):
            raise PermissionDenied("Your role does not allow changing tickets.")
        body = TrackingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.ticket_set_tracking_number(
            ticket=ticket, tracking_number=body.validated_data["tracking_number"], job="api"
        )
        return Response(TicketDetailSerializer(self.get_object()).data)

    @_action_schema("Book (or move to) a slot of the ticket's team", request=BookSerializer)
    @action(detail=True, methods=["post"])
    def book(self, request, pk=None):
        ticket = self.get_object()
        if not request.user.has_perm("refresh.reschedule_refreshticket"):
            raise PermissionDenied("Your role does not allow booking slots for tickets.")
        body = BookSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        offered = ticket.support_team_id and slots_bookable(team=ticket.support_team_id)
        if not offered or not offered.filter(pk=body.validated_data["slot_id"]).exists():
            raise serializers.ValidationError(
                {"slot_id": ["Choose a bookable slot of the ticket's support team."]}
            )
        services.ticket_book_slot(
            ticket=ticket,
            slot_id=body.validated_data["slot_id"],
            actor=request.user,
            actor_label="",
        )
        return Response(TicketDetailSerializer(self.get_object()).data)

    @_action_schema("Assign (or clear) the replacement system", request=ReplacementSerializer)
    @action(detail=True, methods=["post"])
    def replacement(self, request, pk=None):
        ticket = self.get_object()
        body = ReplacementSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        serial = body.validated_data["serial_number"].strip()
        system = None
        if serial:
            system = system_for_staff(user=request.user, serial_number=serial)
            if system is None:
                raise serializers.ValidationError({"serial_number": ["No system has this serial."]})
        services.ticket_assign_replacement(ticket=ticket, system=system, actor=request.user)
        return Response(TicketDetailSerializer(self.get_object()).data)


@extend_schema_view(
    list=extend_schema(
        summary="Refresh batches", responses={200: BatchSerializer, **problems(400)}
    ),
    retrieve=extend_schema(summary="One batch", responses={200: BatchSerializer, **problems(404)}),
)
class BatchViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasPerm.of("refresh.view_refreshbatch")]
    serializer_class = BatchSerializer
    queryset = RefreshBatch.objects.none()

    def get_queryset(self):
        return selectors.batches_for_staff(user=self.request.user)

    @extend_schema(
        summary="A batch from serial numbers, with the same per-row report as the page",
        request=BatchCreateSerializer,
        responses={201: BatchReportSerializer, **problems(400)},
    )
    def create(self, request, *args, **kwargs):
        body = BatchCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        given = body.validated_data
        config = (
            selectors.configs_for_staff(user=request.user).filter(pk=given["config_id"]).first()
        )
        if config is None:
            raise serializers.ValidationError({"config_id": ["No refresh config has this id."]})
        with transaction.atomic():
            batch = services.batch_create(
                name=given["name"],
                config=config,
                serials_text="\n".join(given["serials"]),
                actor=request.user,
            )
            if given["create_tickets"]:
                report = services.batch_create_tickets(batch=batch, actor=request.user)
                rows = [
                    {
                        "position": position,
                        "serial_number": row.key,
                        "outcome": row.outcome,
                        "message": row.message,
                        "ticket_id": row.ticket.pk if row.ticket else None,
                    }
                    for position, row in enumerate(report.rows, start=1)
                ]
                applied = report.applied
            else:
                rows = [
                    {
                        "position": row.position,
                        "serial_number": row.serial_number,
                        "outcome": row.outcome,
                        "message": row.message or row.outcome_label,
                        "ticket_id": None,
                    }
                    for row in services.batch_preview(batch=batch)
                ]
                applied = False
        batch = self.get_queryset().get(pk=batch.pk)
        data = {"batch": BatchSerializer(batch).data, "applied": applied, "rows": rows}
        return Response(BatchReportSerializer(data).data, status=status.HTTP_201_CREATED)


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
class SystemViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasPerm.of("refresh.view_system")]
    serializer_class = SystemSerializer
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
