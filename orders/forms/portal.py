"""Coordinator forms: one per order type (shape checks; the services hold the rules)."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone

from common.form_render import PLAIN_WIDGETS
from orders.choices import OrderType
from orders.models import USERNAME_RE
from orders.selectors import placeholders_available, software_choices
from orders.selectors.people import people_for_picker, person_label
from orders.services import directory_username_exists, order_username_taken

from .people import PersonChoiceField, PersonPickerSelect

REQUIRED_HELP = "Required to submit."
NOTES_MAX_LENGTH = 2000
MESSAGE_MAX_LENGTH = 10000


def date_bounds(field: forms.DateField) -> None:
    """The date picker offers what the services accept: today to two years ahead."""
    from orders.services import COMPLETION_DATE_MAX_DAYS

    today = timezone.localdate()
    field.widget.attrs["min"] = today.isoformat()
    field.widget.attrs["max"] = (today + timedelta(days=COMPLETION_DATE_MAX_DAYS)).isoformat()


def _lines(value: str) -> list[str]:
    return [item.strip() for item in (value or "").replace(",", "\n").splitlines() if item.strip()]


class _OrderForm(forms.Form):
    """Every field may stay empty in a draft; the ones in ``required_on_submit`` are
    checked when the coordinator submits."""

    order_type: str = ""
    required_on_submit: tuple[str, ...] = ()

    requested_completion_date = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="When you need this done, within two years (IT confirms a planned date).",
    )
    notes = forms.CharField(
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anything IT should know.",
    )

    def __init__(self, *args, organization, order=None, **kwargs):
        self.organization = organization
        self.order = order
        if order is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(order)
        super().__init__(*args, **kwargs)
        date_bounds(self.fields["requested_completion_date"])
        # The type's own fields first, the date and notes last.
        self.order_fields(
            [n for n in self.fields if n not in ("requested_completion_date", "notes")]
        )
        for name in self.required_on_submit:
            field = self.fields[name]
            field.help_text = f"{REQUIRED_HELP} {field.help_text}".strip()
            field.widget.attrs["aria-required"] = "true"

    def initial_from(self, order) -> dict:
        initial = {
            "requested_completion_date": order.requested_completion_date,
            "notes": order.notes,
        }
        for name in self.base_fields:
            if name in initial or not hasattr(order, name):
                continue
            value = getattr(order, name)
            if isinstance(value, list):
                value = "\n".join(value)
            initial[name] = value
        return initial

    def clean_new_username(self):
        username = (self.cleaned_data.get("new_username") or "").strip().lower()
        if not username:
            return username
        if not USERNAME_RE.match(username):
            raise forms.ValidationError(
                "Use 3 to 32 lowercase letters, digits, dots, hyphens or underscores, "
                "starting with a letter and ending with a letter or digit."
            )
        other = order_username_taken(
            username=username, exclude_order_id=self.order.pk if self.order else None
        )
        if other is not None:
            raise forms.ValidationError(
                f"The username {username} is already requested by order {other.number}."
            )
        if directory_username_exists(username=username):
            raise forms.ValidationError(f"The username {username} is already in use.")
        return username

    def order_data(self) -> dict:
        """The cleaned data as the services' ``data`` argument."""
        data = dict(self.cleaned_data)
        for name in ("distribution_groups", "shared_mailboxes"):
            if name in data:
                data[name] = _lines(data[name])
        return data


def _user_field(label: str) -> forms.ModelChoiceField:
    return PersonChoiceField(label=label, search_field="existing_user")


def _workstation_field(**kwargs) -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=31,
        help_text=kwargs.pop("help_text", "The computer's name, for example WX14."),
        **kwargs,
    )


class EmailOnlyForm(_OrderForm):
    order_type = OrderType.EMAIL_ONLY
    required_on_submit = ("new_full_name", "new_username", "new_email")

    new_full_name = forms.CharField(label="User's name", required=False, max_length=200)
    new_username = forms.CharField(
        label="Username",
        required=False,
        max_length=32,
        help_text="3–32 lowercase letters, digits, dots, hyphens or underscores.",
    )
    new_email = forms.EmailField(label="Email address", required=False)
    distribution_groups = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line.",
    )
    shared_mailboxes = forms.CharField(
        label="Shared mailbox access",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One mailbox per line.",
    )


class DeactivateFutureReplacementForm(_OrderForm):
    order_type = OrderType.DEACTIVATE_FUTURE_REPLACEMENT
    required_on_submit = ("existing_user", "workstation")

    existing_user = _user_field("User to deactivate")
    workstation = _workstation_field(
        help_text="It is parked as tmp-<workstation> <order number> for the replacement."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["existing_user"].queryset = people_for_picker(organization=self.organization)


class DeactivateReplacementNowForm(_OrderForm):
    order_type = OrderType.DEACTIVATE_REPLACEMENT_NOW
    required_on_submit = ("replacing", "new_full_name", "new_username", "new_email")

    replacing = forms.ChoiceField(
        label="User being replaced",
        required=False,
        help_text="An existing user, or a parked workstation (tmp-…) from an earlier order.",
        widget=PersonPickerSelect(search_field="replacing"),
    )
    workstation = _workstation_field(
        help_text="The desktop to recommission (from the parked workstation if you chose one)."
    )
    new_full_name = forms.CharField(label="New user's name", required=False, max_length=200)
    new_username = forms.CharField(
        label="New user's username",
        required=False,
        max_length=32,
        help_text="3–32 lowercase letters, digits, dots, hyphens or underscores.",
    )
    new_email = forms.EmailField(label="New user's email address", required=False)
    distribution_groups = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="One per line."
    )
    shared_mailboxes = forms.CharField(
        label="Shared mailbox access",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One mailbox per line.",
    )
    preferences = forms.CharField(
        label="New user's preferences",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Printers, applications, desk location.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = people_for_picker(organization=self.organization)
        placeholders = placeholders_available(organization=self.organization)
        self._users = {str(u.pk): u for u in users}
        self._placeholders = {str(p.pk): p for p in placeholders}
        self.fields["replacing"].choices = [
            ("", "Choose…"),
            ("Existing users", [(f"user:{u.pk}", person_label(u)) for u in users]),
            ("Parked workstations", [(f"placeholder:{p.pk}", p.name) for p in placeholders]),
        ]

    def initial_from(self, order) -> dict:
        initial = super().initial_from(order)
        if order.existing_user_id:
            initial["replacing"] = f"user:{order.existing_user_id}"
        elif order.existing_placeholder_id:
            initial["replacing"] = f"placeholder:{order.existing_placeholder_id}"
        return initial

    def clean_replacing(self):
        value = self.cleaned_data.get("replacing") or ""
        kind, _, pk = value.partition(":")
        if not value:
            return (None, None)
        if kind == "user" and pk in self._users:
            return (self._users[pk], None)
        if kind == "placeholder" and pk in self._placeholders:
            return (None, self._placeholders[pk])
        raise forms.ValidationError("Choose someone from the list.")

    def order_data(self) -> dict:
        data = super().order_data()
        user, placeholder = data.pop("replacing", (None, None)) or (None, None)
        data["existing_user"] = user
        data["existing_placeholder"] = placeholder
        return data


class InstallSoftwareForm(_OrderForm):
    order_type = OrderType.INSTALL_SOFTWARE
    required_on_submit = ("software", "existing_user", "workstation")

    software = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Software titles",
    )
    existing_user = _user_field("End user")
    workstation = _workstation_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["software"].queryset = software_choices()
        self.fields["existing_user"].queryset = people_for_picker(organization=self.organization)

    def initial_from(self, order) -> dict:
        initial = super().initial_from(order)
        initial["software"] = list(order.software.all())
        return initial


FORMS_BY_TYPE: dict[str, type[_OrderForm]] = {
    OrderType.EMAIL_ONLY: EmailOnlyForm,
    OrderType.DEACTIVATE_FUTURE_REPLACEMENT: DeactivateFutureReplacementForm,
    OrderType.DEACTIVATE_REPLACEMENT_NOW: DeactivateReplacementNowForm,
    OrderType.INSTALL_SOFTWARE: InstallSoftwareForm,
}

# Service error keys that a form shows on another field.
ERROR_FIELD_ALIASES = {
    OrderType.DEACTIVATE_REPLACEMENT_NOW: {
        "existing_user": "replacing",
        "existing_placeholder": "replacing",
    },
}


class ReplyForm(forms.Form):
    default_renderer = PLAIN_WIDGETS  # on every coordinator order page
    body = forms.CharField(
        label="Your message",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MESSAGE_MAX_LENGTH,
    )


KEEP_APPOINTMENT = "keep"


class EndUserSecretForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Encrypted at once, shown only to the technician who installs your "
        "software, and deleted when the work is done.",
    )
    slot = forms.ChoiceField(label="Appointment", widget=forms.RadioSelect)

    def __init__(self, *args, slots=(), current: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(slot.pk), label) for slot, label in slots]
        if current:
            # A second link after booking: keep the appointment unless another time is picked.
            choices.insert(0, (KEEP_APPOINTMENT, f"Keep my appointment: {current}"))
        self.fields["slot"].choices = choices
        if current:
            self.fields["slot"].initial = KEEP_APPOINTMENT
            self.fields["slot"].help_text = "Or pick another time to reschedule."
        elif not self.fields["slot"].choices:
            self.fields["slot"].required = False
            self.fields[
                "slot"
            ].help_text = "No appointment is free right now; a technician will contact you."


class AccountPasswordForm(forms.Form):
    password1 = forms.CharField(
        label="New password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        min_length=12,
        max_length=256,
        help_text="At least 12 characters.",
    )
    password2 = forms.CharField(
        label="New password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", "The two passwords do not match.")
        return cleaned
