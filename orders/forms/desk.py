"""Forms of the order desk's later additions (appointments, type fields, order links,
reply fields): input shape only, the services hold the rules."""

from __future__ import annotations

from django import forms

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
