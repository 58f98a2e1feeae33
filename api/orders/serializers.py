"""The shapes of orders over the API, and how portal form input and service errors
cross it (the portal forms validate, so the messages are the portal's own)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from rest_framework import serializers

from orders import selectors as staff_selectors
from orders.choices import FINISHED_ACTION_STATUSES, MessageKind, OrderPriority, OrderType
from orders.forms.portal import ERROR_FIELD_ALIASES
from orders.models import Order, OrderAction, OrderMessage


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


def portal_form_data(fields: dict) -> dict:
    data = {}
    for name, value in fields.items():
        if name in ("distribution_groups", "shared_mailboxes") and isinstance(value, list):
            value = "\n".join(str(v) for v in value)
        data[name] = "" if value is None else value
    return data


def raise_service_errors(order_type: str, exc: ValidationError):
    aliases = ERROR_FIELD_ALIASES.get(order_type, {})
    if hasattr(exc, "error_dict"):
        raise serializers.ValidationError(
            {
                ("non_field_errors" if f == "__all__" else aliases.get(f, f)): m
                for f, m in exc.message_dict.items()
            }
        ) from exc
    raise exc
