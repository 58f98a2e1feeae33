"""Forms of the order desk's later additions (appointments, type fields, order links,
reply fields): input shape only, the services hold the rules."""

from __future__ import annotations

import functools

from django import forms

from common.form_render import PLAIN_WIDGETS
from orders.forms.portal import MESSAGE_MAX_LENGTH


class AppointmentMoveForm(forms.Form):
    slot = forms.ChoiceField(label="New time", widget=forms.RadioSelect)
    note = forms.CharField(label="Note for the history", required=False, max_length=2000)

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [(str(slot.pk), label) for slot, label in slots]
        if not self.fields["slot"].choices:
            self.fields["slot"].help_text = "No free slot right now: add one on the calendar."


class AppointmentCancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason (the end user reads it)",
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def information_form_class(order_type: str):
    """The coordinator's form of the type, for staff: the type's own fields only
    (dates and owner are on the details form), and a kept username is not checked
    against the directory again (automation may already have created it)."""
    from orders.forms.portal import FORMS_BY_TYPE

    base = FORMS_BY_TYPE[order_type]

    class InformationForm(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for name in ("requested_completion_date", "notes"):
                self.fields.pop(name, None)

        def clean_new_username(self):
            username = (self.cleaned_data.get("new_username") or "").strip().lower()
            if self.order is not None and username == self.order.new_username:
                return username
            return super().clean_new_username()

    InformationForm.__name__ = f"{base.__name__}Information"
    return InformationForm


class OrderLinkForm(forms.Form):
    email = forms.EmailField(
        label="To",
        required=False,
        help_text="A coordinator who can see the order. Empty: the coordinator who started it.",
    )
    sender = forms.ChoiceField(label="From", widget=forms.RadioSelect)
    subject = forms.CharField(label="Subject", max_length=200)
    message = forms.CharField(
        label="Message", max_length=MESSAGE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )
    attachments = forms.FileField(label="Attachments", required=False)

    def __init__(self, *args, actor, site_name: str, **kwargs):
        from orders.forms.staff import MultipleFileField
        from orders.services.links import FROM_IT, FROM_ME

        super().__init__(*args, **kwargs)
        self.fields["sender"].choices = [
            (FROM_IT, f"{site_name} (the IT desk)"),
            (FROM_ME, f"Me: replies come to {actor.email}"),
        ]
        self.fields["sender"].initial = FROM_IT
        self.fields["attachments"] = MultipleFileField(
            label="Attachments",
            required=False,
            help_text="Up to 5 files, 10 MB together: PDF, PNG, JPEG, GIF, text, CSV, Word "
            "or Excel.",
        )


def _address_list(value: str) -> list[str]:
    from django.core.validators import validate_email

    addresses = [a.strip() for a in (value or "").replace(";", ",").replace("\n", ",").split(",")]
    addresses = [a for a in addresses if a]
    bad = []
    for address in addresses:
        try:
            validate_email(address)
        except forms.ValidationError:
            bad.append(address)
    if bad:
        raise forms.ValidationError(f"Not an email address: {', '.join(bad)}.")
    return addresses


@functools.cache
def compose_form_class():
    """The staff compose form: the message form plus Ubersmith's reply fields (made
    once per process: the imports it needs would be circular at module level)."""
    from orders.forms.staff import MessageForm

    class ComposeForm(MessageForm):
        to = forms.CharField(
            label="To",
            required=False,
            max_length=2000,
            help_text="Email addresses, separated by commas; it starts with the order's "
            "contacts and subscribers (empty: them).",
        )
        # The To the page started with: unchanged, the chosen kind's defaults apply.
        to_initial = forms.CharField(required=False, widget=forms.HiddenInput)
        cc = forms.CharField(label="CC", required=False, max_length=2000)
        subject = forms.CharField(label="Subject", required=False, max_length=300)
        assign_order_to = forms.ModelChoiceField(
            label="Assign order to",
            required=False,
            queryset=None,
            empty_label="Keep the owner",
            help_text="Makes them the order's owner (recorded; they are emailed).",
        )
        subscribe = forms.BooleanField(
            label="Subscribe me: I get a copy of every message", required=False
        )

        field_order = [
            "kind",
            "to",
            "cc",
            "subject",
            "body",
            "assigned_to",
            "assign_order_to",
            "subscribe",
            "attachments",
            "quoted",
            "to_initial",
        ]

        staff_pickers = ("assigned_to", "assign_order_to")

        def clean_to(self):
            return _address_list(self.cleaned_data.get("to", ""))

        def clean_cc(self):
            return _address_list(self.cleaned_data.get("cc", ""))

        def clean_to_initial(self):
            try:
                return _address_list(self.cleaned_data.get("to_initial", ""))
            except forms.ValidationError:
                return []

        def to_edited(self) -> bool:
            """Did the writer change the To the page started with?"""
            data = self.cleaned_data
            return [a.lower() for a in data["to"]] != [a.lower() for a in data["to_initial"]]

    return ComposeForm


class CannedResponsePickForm(forms.Form):
    default_renderer = PLAIN_WIDGETS  # on every staff order page
    template = forms.ModelChoiceField(
        label="Template", queryset=None, empty_label="Choose a canned response…"
    )

    def __init__(self, *args, responses, offered=None, **kwargs):
        """``responses``: the queryset a pick is checked against; ``offered``: the
        same responses already read (the options are printed from them)."""
        super().__init__(*args, **kwargs)
        field = self.fields["template"]
        field.queryset = responses
        if offered is not None:
            field.choices = [("", field.empty_label), *((r.pk, str(r)) for r in offered)]
