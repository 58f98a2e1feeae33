"""Refresh tickets over the API: the staff list's filters, one ticket, the staff actions."""

from __future__ import annotations

from types import SimpleNamespace

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from api.listing import Computed, FastListMixin, ListRows
from api.permissions import CanViewTickets
from api.schema import NoteSerializer, problems
from refresh import selectors, services
from refresh.choices import Carrier, RefreshStyle, TicketStatus
from refresh.models import RefreshTicket
from refresh.selectors import system_for_staff
from scheduling.selectors import slots_bookable


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
    # Declared, not derived from the model: a read-only model choice field loses
    # allow_blank, and both are empty most of the time.
    status_before_hold = serializers.ChoiceField(
        choices=TicketStatus.choices,
        allow_blank=True,
        read_only=True,
        help_text="The status a resume returns to; empty unless the ticket is on hold.",
    )
    tracking_carrier = serializers.ChoiceField(
        choices=Carrier.choices, allow_blank=True, read_only=True, help_text="Empty until known."
    )

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
class TicketViewSet(FastListMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [CanViewTickets]
    serializer_class = TicketSerializer
    list_rows = ListRows(
        TicketSerializer,
        # The model's own rule on a bare object: a model instance per row costs ~0.2 ms.
        computed={
            "number": Computed(
                ("id",), lambda pk: RefreshTicket.number.fget(SimpleNamespace(pk=pk))
            )
        },
    )
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
