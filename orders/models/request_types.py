"""Request types defined by staff: their custom fields and assignment rules.

The four built-in order types are request types too (``builtin_type`` set):
they keep their own forms and automations and add the custom fields staff
give them. A request's answers live in ``Order.custom_values`` by field key,
so a removed (archived) field keeps the answers already given.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from orders.choices import OrderType
from orders.request_choices import (
    AssignmentRuleKind,
    FieldKind,
    RequestColour,
    RequestIcon,
    RequestPortalVisibility,
)

from .catalog import OrderQueue


class RequestType(models.Model):
    """A kind of request coordinators (or staff) submit, with its own form."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, help_text="Shown in the portal's chooser.")
    icon = models.CharField(max_length=20, choices=RequestIcon.choices, default=RequestIcon.REQUEST)
    colour = models.CharField(
        max_length=20, choices=RequestColour.choices, default=RequestColour.BLUE
    )
    builtin_type = models.CharField(
        max_length=40,
        choices=OrderType.choices,
        blank=True,
        help_text="Set on the four types that ship with the product (their own form and "
        "automations); empty for staff-defined types.",
    )
    queue = models.ForeignKey(
        OrderQueue,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="request_types",
        help_text="The queue new requests go to (built-in types: empty means their queue).",
    )
    all_organizations = models.BooleanField(
        default=True, help_text="Every organization may use it; otherwise only those listed."
    )
    organizations = models.ManyToManyField(
        "accounts.Organization",
        blank=True,
        related_name="request_types",
        help_text="With their sub-organizations.",
    )
    portal_visibility = models.CharField(
        max_length=20,
        choices=RequestPortalVisibility.choices,
        default=RequestPortalVisibility.PORTAL,
    )
    position = models.PositiveSmallIntegerField(default=100)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["builtin_type"],
                condition=~Q(builtin_type=""),
                name="orders_request_type_one_per_builtin",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_builtin(self) -> bool:
        return bool(self.builtin_type)


class CustomField(models.Model):
    """One input of a request type's form; ``archived_at`` set when staff remove it."""

    request_type = models.ForeignKey(RequestType, on_delete=models.CASCADE, related_name="fields")
    position = models.PositiveSmallIntegerField(default=0)
    key = models.SlugField(
        max_length=60, help_text="Where answers are stored; never changes once answered."
    )
    label = models.CharField(max_length=120)
    help_text = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=20, choices=FieldKind.choices, default=FieldKind.TEXT)
    required = models.BooleanField(default=False)
    min_number = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    max_number = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    min_date = models.DateField(null=True, blank=True)
    max_date = models.DateField(null=True, blank=True)
    choices = models.JSONField(
        default=list, blank=True, help_text="The options of a (multiple) choice field."
    )
    show_when = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependents",
        help_text="Only when this field of the same type has the value below.",
    )
    show_when_value = models.CharField(max_length=200, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request_type", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request_type", "key"], name="orders_custom_field_key_unique"
            ),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        if self.kind in (FieldKind.CHOICE, FieldKind.MULTIPLE_CHOICE) and not self.choices:
            raise ValidationError({"choices": "Give at least one option."})
        if (
            self.min_number is not None
            and self.max_number is not None
            and self.min_number > self.max_number
        ):
            raise ValidationError({"max_number": "The maximum is below the minimum."})
        if self.min_date and self.max_date and self.min_date > self.max_date:
            raise ValidationError({"max_date": "The last date is before the first date."})
        if self.show_when_id and self.show_when.request_type_id != self.request_type_id:
            raise ValidationError({"show_when": "Choose a field of the same request type."})


class AssignmentRule(models.Model):
    """One step of the owner choice on submit, per request type or per queue, in order."""

    request_type = models.ForeignKey(
        RequestType,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignment_rules",
    )
    queue = models.ForeignKey(
        OrderQueue,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignment_rules",
    )
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=AssignmentRuleKind.choices)
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="By organization: requests of this organization or its sub-organizations.",
    )
    field = models.ForeignKey(
        CustomField, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    field_value = models.CharField(max_length=200, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Who gets the request (organization and field rules).",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(request_type__isnull=False) | Q(queue__isnull=False),
                name="orders_assignment_rule_has_scope",
                violation_error_message="A rule belongs to a request type or a queue.",
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.get_kind_display()}"

    def clean(self):
        if self.kind == AssignmentRuleKind.ORGANIZATION and not (
            self.organization_id and self.assignee_id
        ):
            raise ValidationError("An organization rule needs an organization and an assignee.")
        if self.kind == AssignmentRuleKind.FIELD_VALUE and not (self.field_id and self.assignee_id):
            raise ValidationError("A field rule needs a field, a value and an assignee.")
