"""Orders over the API: the portal's create/submit/cancel/reply for coordinators, the
order manager's actions for orders staff. The portal forms validate the input, so
the messages are the portal's own; the services apply every rule."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from orders import selectors as staff_selectors
from orders.choices import (
    FINISHED_ACTION_STATUSES,
    MessageKind,
    OrderPriority,
    OrderStatus,
    OrderType,
)
from orders.forms.portal import ERROR_FIELD_ALIASES, FORMS_BY_TYPE
from orders.models import Order, OrderAction, OrderMessage
from orders.selectors import (
    order_get_for_portal,
    order_messages_for_client,
    orders_for_portal,
    user_is_orders_staff,
)
from orders.services import (
    order_action_process,
    order_action_skip,
    order_cancel,
    order_client_reply,
    order_create_draft,
    order_details_update,
    order_hold,
    order_message_post,
    order_resume,
    order_submit,
)

from .permissions import OrdersPortalOrStaff
from .schema import NoteSerializer, problems


class OrderActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderAction
        fields = ["position", "name", "kind", "status", "note", "processed_at"]
        read_only_fields = fields


class OrderSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name", read_only=True)
    submitted_by = serializers.EmailField(source="submitted_by.email", read_only=True)

    class Meta:
        model = Order
        fields = [
            "number",
            "order_type",
            "status",
            "organization",
            "submitted_by",
            "priority",
            "requested_completion_date",
            "planned_completion_date",
            "created_at",
            "submitted_at",
            "completed_at",
            "cancelled_at",
        ]
        read_only_fields = fields


class OrderDetailSerializer(OrderSerializer):
    owner = serializers.EmailField(source="owner.email", read_only=True, allow_null=True)
    new_email = serializers.CharField(read_only=True, help_text="Empty until given.")
    current_step = serializers.SerializerMethodField()
    actions = OrderActionSerializer(many=True, read_only=True)

    class Meta(OrderSerializer.Meta):
        fields = [
            *OrderSerializer.Meta.fields,
            "owner",
            "new_full_name",
            "new_username",
            "new_email",
            "workstation",
            "notes",
            "current_step",
            "actions",
        ]
        read_only_fields = fields

    def get_current_step(self, order) -> str | None:
        for act in order.actions.all():
            if act.status not in FINISHED_ACTION_STATUSES:
                return act.name
        return None


class OrderCreateSerializer(serializers.Serializer):
    # Requests of staff-defined types (issue 13) have their own form; not offered here.
    order_type = serializers.ChoiceField(
        choices=[c for c in OrderType.choices if c[0] != OrderType.REQUEST]
    )
    submit = serializers.BooleanField(
        default=False, help_text="Submit at once; false saves a draft."
    )
    fields = serializers.DictField(
        help_text=(
            "The portal form's fields of this order type (docs/api.md lists them); "
            "lists may be JSON arrays, users/software by id."
        ),
        default=dict,
    )


class DetailsSerializer(serializers.Serializer):
    """Staff: fields left out keep their value; ``owner_id`` null clears the owner."""

    requested_completion_date = serializers.DateField(required=False, allow_null=True)
    planned_completion_date = serializers.DateField(required=False, allow_null=True)
    owner_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    priority = serializers.ChoiceField(choices=OrderPriority.choices, required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")

    def validate_owner_id(self, value):
        if value is None:
            return None
        owner = staff_selectors.orders_staff_users().filter(pk=value).first()
        if owner is None:
            raise serializers.ValidationError("Choose an active person who works on orders.")
        return owner


class MessageSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.display_name", read_only=True, allow_null=True)

    class Meta:
        model = OrderMessage
        fields = ["id", "kind", "body", "author", "from_client", "created_at"]
        read_only_fields = fields


class MessagePostSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=10000)
    kind = serializers.ChoiceField(
        choices=MessageKind.choices,
        required=False,
        help_text="Staff only (default: reply); coordinators always post a reply.",
    )


def _form_data(fields: dict) -> dict:
    data = {}
    for name, value in fields.items():
        if name in ("distribution_groups", "shared_mailboxes") and isinstance(value, list):
            value = "\n".join(str(v) for v in value)
        data[name] = "" if value is None else value
    return data


def _raise_service_errors(order_type: str, exc: ValidationError):
    aliases = ERROR_FIELD_ALIASES.get(order_type, {})
    if hasattr(exc, "error_dict"):
        raise serializers.ValidationError(
            {
                ("non_field_errors" if f == "__all__" else aliases.get(f, f)): m
                for f, m in exc.message_dict.items()
            }
        ) from exc
    raise exc


ORDER_FILTERS = [
    OpenApiParameter("status", str, enum=OrderStatus.values),
    OpenApiParameter("queue", int, description="Queue id (staff)."),
    OpenApiParameter("search", str, description="Name, username, email, workstation (staff)."),
]


@extend_schema_view(
    list=extend_schema(
        summary="Orders you may see",
        parameters=ORDER_FILTERS,
        responses={200: OrderSerializer, **problems(400)},
    ),
    retrieve=extend_schema(
        summary="One order with its status and current step",
        responses={200: OrderDetailSerializer, **problems(404)},
    ),
)
class OrderViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [OrdersPortalOrStaff]
    serializer_class = OrderSerializer
    queryset = Order.objects.none()
    lookup_field = "number"
    lookup_value_regex = "[0-9]+"

    @property
    def is_staff(self) -> bool:
        return user_is_orders_staff(self.request.user)

    def get_queryset(self):
        params = self.request.query_params
        order_status = params.get("status", "")
        order_status = order_status if order_status in OrderStatus.values else ""
        if self.is_staff:
            queue = params.get("queue", "")
            return staff_selectors.staff_orders(
                user=self.request.user,
                queue_id=int(queue) if queue.isdigit() else None,
                status=order_status,
                search=params.get("search", ""),
            )
        qs = orders_for_portal(user=self.request.user)
        return qs.filter(status=order_status) if order_status else qs

    def get_object(self):
        number = int(self.kwargs["number"])
        if self.is_staff:
            order = staff_selectors.staff_order_get(user=self.request.user, number=number)
        else:
            order = order_get_for_portal(user=self.request.user, number=number)
        if order is None:
            raise Http404("No such order.")
        return order

    def get_serializer_class(self):
        return OrderSerializer if self.action == "list" else OrderDetailSerializer

    def _detail(self, code=status.HTTP_200_OK):
        return Response(OrderDetailSerializer(self.get_object()).data, status=code)

    @extend_schema(
        summary="Create an order (coordinators): a draft, or submitted at once",
        request=OrderCreateSerializer,
        responses={201: OrderDetailSerializer, **problems(400)},
    )
    def create(self, request):
        if self.is_staff and not request.user.organization_id:
            raise PermissionDenied("Orders are created by coordinators of an organization.")
        organization = request.user.organization
        if organization is None:
            raise PermissionDenied("Your account is not part of an organization; contact IT.")
        body = OrderCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        order_type = body.validated_data["order_type"]
        form = FORMS_BY_TYPE[order_type](
            _form_data(body.validated_data["fields"]), organization=organization
        )
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        with transaction.atomic():
            try:
                order = order_create_draft(
                    order_type=order_type,
                    organization=organization,
                    submitted_by=request.user,
                    data=form.order_data(),
                )
                if body.validated_data["submit"]:
                    order_submit(order=order, actor=request.user)
            except ValidationError as exc:
                _raise_service_errors(order_type, exc)
        self.kwargs["number"] = order.number
        return self._detail(status.HTTP_201_CREATED)

    @extend_schema(
        summary="Submit a draft",
        request=None,
        responses={200: OrderDetailSerializer, **problems(400, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, number=None):
        order = self.get_object()
        try:
            order_submit(order=order, actor=request.user)
        except ValidationError as exc:
            _raise_service_errors(order.order_type, exc)
        return self._detail()

    @extend_schema(
        summary="Cancel an order (or withdraw your draft)",
        request=NoteSerializer,
        responses={200: OrderDetailSerializer, **problems(400, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, number=None):
        order = self.get_object()
        body = NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        order_cancel(order=order, actor=request.user, note=body.validated_data["note"])
        return self._detail()

    def _staff_transition(self, request, service):
        if not self.is_staff:
            raise PermissionDenied("Only orders staff may do this.")
        order = self.get_object()
        body = NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        service(order=order, actor=request.user, note=body.validated_data["note"])
        return self._detail()

    @extend_schema(
        summary="Put an order on hold (staff)",
        request=NoteSerializer,
        responses={200: OrderDetailSerializer, **problems(400, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def hold(self, request, number=None):
        return self._staff_transition(request, order_hold)

    @extend_schema(
        summary="Resume a held order (staff)",
        request=NoteSerializer,
        responses={200: OrderDetailSerializer, **problems(400, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def resume(self, request, number=None):
        return self._staff_transition(request, order_resume)

    @extend_schema(
        summary="Set requested/planned dates, owner and priority (staff)",
        request=DetailsSerializer,
        responses={200: OrderDetailSerializer, **problems(400, 404)},
    )
    @action(detail=True, methods=["post"])
    def details(self, request, number=None):
        if not self.is_staff:
            raise PermissionDenied("Only orders staff may do this.")
        order = self.get_object()
        body = DetailsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        given = body.validated_data
        order_details_update(
            order=order,
            actor=request.user,
            requested_completion_date=given.get(
                "requested_completion_date", order.requested_completion_date
            ),
            planned_completion_date=given.get(
                "planned_completion_date", order.planned_completion_date
            ),
            owner=given.get("owner_id", order.owner),
            priority=given.get("priority", order.priority),
            note=given["note"],
        )
        return self._detail()

    @extend_schema(
        summary="Process or skip the order's action at a position (staff)",
        request=NoteSerializer,
        parameters=[
            OpenApiParameter("position", int, OpenApiParameter.PATH),
            OpenApiParameter("verb", str, OpenApiParameter.PATH, enum=["process", "skip"]),
        ],
        responses={200: OrderDetailSerializer, **problems(400, 404, 409)},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"actions/(?P<position>[0-9]+)/(?P<verb>process|skip)",
    )
    def step(self, request, number=None, position=None, verb=None):
        if not self.is_staff:
            raise PermissionDenied("Only orders staff may do this.")
        order = self.get_object()
        found = [a for a in order.actions.all() if a.position == int(position)]
        if not found:
            raise Http404("The order has no action at this position.")
        body = NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        service = order_action_process if verb == "process" else order_action_skip
        service(action=found[0], actor=request.user, note=body.validated_data["note"])
        return self._detail()

    @extend_schema(
        summary="The order's messages (internal ones for staff only)",
        responses={200: MessageSerializer(many=True), **problems(404)},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def messages(self, request, number=None):
        order = self.get_object()
        if self.is_staff:
            thread = staff_selectors.staff_order_messages(order=order)
        else:
            thread = order_messages_for_client(order=order)
        return Response(MessageSerializer(thread, many=True).data)

    @extend_schema(
        summary="Post a message (coordinators: a reply; staff: any kind)",
        request=MessagePostSerializer,
        responses={201: MessageSerializer, **problems(400, 404)},
    )
    @messages.mapping.post
    def post_message(self, request, number=None):
        order = self.get_object()
        body = MessagePostSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if self.is_staff:
            message = order_message_post(
                order=order,
                author=request.user,
                kind=body.validated_data.get("kind", MessageKind.REPLY),
                body=body.validated_data["body"],
            )
        else:
            message = order_client_reply(
                order=order, author=request.user, body=body.validated_data["body"]
            )
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)
