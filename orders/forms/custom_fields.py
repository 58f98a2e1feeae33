"""Forms of request types: the portal form built from a type's custom fields, the
staff forms that define types and fields, the time entry form. Shape checks only;
``orders.services.custom_fields`` holds the rules (required, conditions, ranges)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone

from accounts.models import Organization
from common.form_render import PLAIN_WIDGETS
from orders.forms.portal import NOTES_MAX_LENGTH, REQUIRED_HELP
from orders.models import CustomField, OrderQueue, RequestType, TimeEntry
from orders.request_choices import FieldKind
from orders.selectors import order_user_choices

TEXT_MAX_LENGTH = 500
LONG_TEXT_MAX_LENGTH = 5000


def _form_field(field: CustomField, *, people: list) -> forms.Field:
    common = {"label": field.label, "required": False, "help_text": field.help_text}
    kind = field.kind
    if kind == FieldKind.LONG_TEXT:
        return forms.CharField(
            max_length=LONG_TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}), **common
        )
    if kind == FieldKind.URL:
        return forms.URLField(max_length=500, assume_scheme="https", **common)
    if kind == FieldKind.NUMBER:
        return forms.DecimalField(
            min_value=field.min_number, max_value=field.max_number, max_digits=14, **common
        )
    if kind == FieldKind.DATE:
        attrs = {"type": "date"}
        if field.min_date:
            attrs["min"] = field.min_date.isoformat()
        if field.max_date:
            attrs["max"] = field.max_date.isoformat()
        return forms.DateField(widget=forms.DateInput(attrs=attrs), **common)
    if kind == FieldKind.CHOICE:
        return forms.ChoiceField(choices=[("", "—")] + [(c, c) for c in field.choices], **common)
    if kind == FieldKind.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in field.choices], widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == FieldKind.YES_NO:
        return forms.ChoiceField(
            choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect, **common
        )
    if kind == FieldKind.PERSON:  # the people are read once for every person field
        return forms.TypedChoiceField(
            choices=[("", "—")] + [(p.pk, p.display_name) for p in people],
            coerce=int,
            empty_value=None,
            **common,
        )
    if kind == FieldKind.FILE:
        return forms.FileField(**common)
    return forms.CharField(max_length=TEXT_MAX_LENGTH, **common)


def _to_json(value):
    if value in (None, "", []):
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "pk") and hasattr(value, "display_name"):
        return {"id": value.pk, "name": value.display_name}
    return value


def _from_json(field: CustomField, value):
    if isinstance(value, dict) and field.kind == FieldKind.PERSON:
        return value.get("id")
    if isinstance(value, dict):
        return None
    return value


def add_custom_fields(form, custom_fields, *, organization, values) -> dict:
    """Add the custom fields to ``form`` (in order, with the stored answers as initial
    values); returns the people offered by person fields, by id (read once)."""
    people = []
    if any(f.kind == FieldKind.PERSON for f in custom_fields):
        people = list(order_user_choices(organization=organization))
    for field in custom_fields:
        form_field = _form_field(field, people=people)
        if field.required:
            form_field.help_text = f"{REQUIRED_HELP} {form_field.help_text}".strip()
            form_field.widget.attrs["aria-required"] = "true"
        if field.show_when_id:
            controller = field.show_when
            hint = f"Only when “{controller.label}” is “{field.show_when_value}”."
            form_field.help_text = f"{form_field.help_text} {hint}".strip()
            form_field.widget.attrs["data-show-when"] = controller.key
            form_field.widget.attrs["data-show-value"] = field.show_when_value
        if field.key in values:
            form_field.initial = _from_json(field, values[field.key])
        form.fields[field.key] = form_field
    return {p.pk: p for p in people}


def custom_values_from(custom_fields, cleaned_data: dict, *, people: dict) -> dict:
    """The answers of a cleaned form as stored (JSON), files left out."""
    result = {}
    for field in custom_fields:
        if field.kind == FieldKind.FILE:
            continue
        value = cleaned_data.get(field.key)
        if field.kind == FieldKind.PERSON and value is not None:
            value = people.get(value)
        value = _to_json(value)
        if value is not None:
            result[field.key] = value
    return result


def custom_files_from(custom_fields, cleaned_data: dict) -> dict:
    """The uploaded files of a cleaned form, by file field key."""
    return {
        f.key: cleaned_data[f.key]
        for f in custom_fields
        if f.kind == FieldKind.FILE and cleaned_data.get(f.key)
    }


def with_custom_fields(form_class):
    """The built-in type's form plus the custom fields staff gave the type. Their
    answers go to the services as ``custom_values``, their files as ``custom_files``
    (stored as a staff-defined type's files are)."""
    from orders.selectors import builtin_custom_fields

    custom_fields = list(builtin_custom_fields(order_type=form_class.order_type))
    if not custom_fields:
        return form_class

    class WithCustomFields(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            values = self.order.custom_values if self.order is not None else {}
            self.people = add_custom_fields(
                self, custom_fields, organization=self.organization, values=values
            )

        def order_data(self) -> dict:
            data = super().order_data()
            for field in custom_fields:
                data.pop(field.key, None)
            data["custom_values"] = custom_values_from(
                custom_fields, self.cleaned_data, people=self.people
            )
            data["custom_files"] = custom_files_from(custom_fields, self.cleaned_data)
            return data

    WithCustomFields.__name__ = form_class.__name__
    return WithCustomFields


class CustomFieldsForm(forms.Form):
    """The type's custom fields (and notes for staff-defined types), in form order."""

    def __init__(self, *args, custom_fields, organization, values=None, with_notes=True, **kwargs):
        self.custom_fields = list(custom_fields)
        values = values or {}
        super().__init__(*args, **kwargs)
        self.people = add_custom_fields(
            self, self.custom_fields, organization=organization, values=values
        )
        if with_notes:
            self.fields["notes"] = forms.CharField(
                required=False,
                max_length=NOTES_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="Anything IT should know.",
            )

    def custom_values(self) -> dict:
        """The answers as stored (JSON); files are in ``files_by_key``."""
        return custom_values_from(self.custom_fields, self.cleaned_data, people=self.people)

    def files_by_key(self) -> dict:
        return custom_files_from(self.custom_fields, self.cleaned_data)


class RequestTypeForm(forms.ModelForm):
    """What staff set on a request type."""

    organizations = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="When not every organization may use it: these and their sub-organizations.",
    )

    class Meta:
        model = RequestType
        fields = [
            "name",
            "description",
            "icon",
            "colour",
            "queue",
            "all_organizations",
            "organizations",
            "portal_visibility",
            "position",
            "active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = OrderQueue.objects.filter(active=True).order_by("name")


class CustomFieldForm(forms.ModelForm):
    """One custom field; the choices one per line."""

    choices = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Choice fields: one option per line.",
    )

    class Meta:
        model = CustomField
        fields = [
            "label",
            "help_text",
            "kind",
            "required",
            "position",
            "min_number",
            "max_number",
            "min_date",
            "max_date",
            "choices",
            "show_when",
            "show_when_value",
        ]
        widgets = {
            "min_date": forms.DateInput(attrs={"type": "date"}),
            "max_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, request_type: RequestType, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.request_type_id is None:
            self.instance.request_type = request_type  # the model's checks need it
        if self.instance.pk and isinstance(self.instance.choices, list):
            self.initial["choices"] = "\n".join(self.instance.choices)
        others = CustomField.objects.filter(
            request_type=request_type, archived_at__isnull=True
        ).order_by("position", "id")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["show_when"].queryset = others
        self.fields["show_when"].label = "Only when field"
        self.fields["show_when_value"].label = "has the value"
        self.fields["position"].required = False

    def clean_choices(self):
        return [c.strip() for c in self.cleaned_data["choices"].splitlines() if c.strip()]

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class TimeEntryForm(forms.ModelForm):
    """Minutes on a request or one of its actions (the order's actions, already read)."""

    default_renderer = PLAIN_WIDGETS  # on every staff order page
    action = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)

    class Meta:
        model = TimeEntry
        fields = ["minutes", "worked_on", "billable", "note"]
        widgets = {"worked_on": forms.DateInput(attrs={"type": "date"})}
        labels = {"worked_on": "Day"}

    def __init__(self, *args, order, actions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actions = {a.pk: a for a in (actions if actions is not None else order.actions.all())}
        self.fields["action"].choices = [("", "The request as a whole")] + [
            (a.pk, f"{a.position}. {a.name}") for a in self.actions.values()
        ]
        if self.instance.pk and self.instance.action_id:
            self.initial["action"] = self.instance.action_id
        self.order_fields(["minutes", "worked_on", "action", "billable", "note"])
        self.fields["worked_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["worked_on"].initial = timezone.localdate()
        self.fields["minutes"].widget.attrs["min"] = 1

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["action"] = self.actions.get(data.get("action"))
        return data


class PlannedActionForm(forms.Form):
    """A step staff add to a request: title, owner, planned date."""

    default_renderer = PLAIN_WIDGETS  # on every open order's staff page

    name = forms.CharField(label="Title", max_length=160)
    owner = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    planned_date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Planned date"
    )

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = {u.pk: u for u in staff}
        self.fields["owner"].choices = [("", "—")] + [
            (u.pk, u.display_name) for u in self.staff.values()
        ]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["owner"] = self.staff.get(data.get("owner"))
        return data
