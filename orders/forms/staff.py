"""Forms of the staff order manager (input shape only; the services hold the rules)."""

from __future__ import annotations

from django import forms

from common.form_render import PLAIN_WIDGETS
from orders.choices import ITSMTicketStatus, MessageKind, OrderPriority, OrderStatus
from orders.forms.portal import MESSAGE_MAX_LENGTH, date_bounds
from orders.models import OrderQueue
from orders.selectors import orders_staff_users
from orders.services import MAX_ATTACHMENTS_PER_MESSAGE, attachment_errors


class ListedQueueField(forms.ModelChoiceField):
    """The queue filter. Given the queues the page has already read (``offer``), it
    lists and checks those without a query of its own."""

    listed: dict[str, OrderQueue] | None = None

    def offer(self, queues) -> None:
        self.listed = {str(queue.pk): queue for queue in queues}
        by_name = sorted(queues, key=lambda queue: queue.name)
        self.choices = [("", self.empty_label), *((queue.pk, queue.name) for queue in by_name)]

    def to_python(self, value):
        if self.listed is None:
            return super().to_python(value)
        if value in self.empty_values:
            return None
        queue = self.listed.get(str(getattr(value, "pk", value)))
        if queue is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return queue


class OrderFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        help_text="Order number, person, username or organization.",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *OrderStatus.choices]
    )
    queue = ListedQueueField(
        label="Queue",
        required=False,
        queryset=OrderQueue.objects.order_by("name"),
        empty_label="Every queue",
    )
    mine = forms.BooleanField(label="Only orders I own", required=False)

    def __init__(self, *args, queues=None, **kwargs):
        super().__init__(*args, **kwargs)
        if queues is not None:
            self.fields["queue"].offer(queues)


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SkipForm(forms.Form):
    note = forms.CharField(
        label="Why is this step skipped?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CancelForm(forms.Form):
    note = forms.CharField(
        label="Reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept on the order's history.",
    )
    confirm = forms.BooleanField(
        label="I understand a cancelled order can never be reopened.",
        error_messages={"required": "Tick the box to confirm the cancellation."},
    )


class OrderDetailsForm(forms.Form):
    requested_completion_date = forms.DateField(
        label="Requested completion",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    planned_completion_date = forms.DateField(
        label="Planned completion",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The date IT commits to, within two years.",
    )
    owner = forms.ModelChoiceField(
        label="Owner", required=False, queryset=None, empty_label="Nobody yet"
    )
    priority = forms.ChoiceField(label="Priority", choices=OrderPriority.choices)
    note = forms.CharField(label="Note for the history", required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = orders_staff_users()
        date_bounds(self.fields["requested_completion_date"])
        date_bounds(self.fields["planned_completion_date"])


class OrganizationSearchForm(forms.Form):
    q = forms.CharField(
        label="Organization name or email",
        max_length=200,
        help_text="A name, an email address or a domain such as med.example.edu.",
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class ITSMTicketForm(forms.Form):
    default_renderer = PLAIN_WIDGETS  # on every staff order page
    itsm_id = forms.CharField(label="ITSM ticket number", max_length=60)
    title = forms.CharField(label="Title", required=False, max_length=300)
    url = forms.URLField(label="Link", required=False, assume_scheme="https")
    status = forms.ChoiceField(label="Status", choices=ITSMTicketStatus.choices)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each one checked for size and type."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


MESSAGE_KIND_CHOICES = [
    (MessageKind.REPLY, "Reply to the client"),
    (MessageKind.FOLLOW_UP, "Follow-up (staff only, assigned to someone)"),
    (MessageKind.INTERNAL_COMMENT, "Internal comment (staff only)"),
    (MessageKind.CLIENT_COMMENT, "Client-viewable comment"),
]


class MessageForm(forms.Form):
    default_renderer = PLAIN_WIDGETS  # on every staff order page
    kind = forms.ChoiceField(
        label="Kind of message", choices=MESSAGE_KIND_CHOICES, widget=forms.RadioSelect
    )
    body = forms.CharField(
        label="Message", widget=forms.Textarea(attrs={"rows": 5}), max_length=MESSAGE_MAX_LENGTH
    )
    assigned_to = forms.ModelChoiceField(
        label="Assign to",
        required=False,
        queryset=None,
        help_text="Follow-ups only: who must act on it.",
    )
    quoted = forms.IntegerField(required=False, widget=forms.HiddenInput)
    attachments = MultipleFileField(
        label="Attachments",
        required=False,
        help_text=(
            f"Up to {MAX_ATTACHMENTS_PER_MESSAGE} files of 10 MB each: PDF, PNG, JPEG, GIF, "
            "text, CSV, Word or Excel."
        ),
    )

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.staff_pickers:
            field = self.fields[name]
            if staff is None or self.is_bound:
                field.queryset = orders_staff_users()  # a POST is checked against it
            else:
                # An empty form offers the page's staff list (read once): no queryset
                # built or query run per picker.
                field.choices = [("", field.empty_label), *((u.pk, str(u)) for u in staff)]

    staff_pickers = ("assigned_to",)

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_ATTACHMENTS_PER_MESSAGE:
            raise forms.ValidationError(f"Attach at most {MAX_ATTACHMENTS_PER_MESSAGE} files.")
        errors = [error for upload in files for error in attachment_errors(upload)]
        if errors:
            raise forms.ValidationError(errors)
        return files

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == MessageKind.FOLLOW_UP and not cleaned.get("assigned_to"):
            self.add_error("assigned_to", "Choose who must act on this follow-up.")
        return cleaned
