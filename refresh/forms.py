"""Forms of the staff pages: they check input shape; services check the rules."""

from django import forms

from accounts.models import Organization, SupportTeam
from refresh.choices import Carrier, Platform, RefreshStyle, TicketStatus
from refresh.models import RefreshBatch, RefreshConfig, System
from refresh.models.shipping import LOCATION_FIELDS, SHIPPING_FIELDS
from refresh.selectors import FOCUSES, SORTS

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class TicketFilterForm(forms.Form):
    q = forms.CharField(
        label="Search", required=False, help_text="Serial, hostname, user or ticket number"
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *TicketStatus.choices]
    )
    style = forms.ChoiceField(
        label="Style", required=False, choices=[("", "Any style"), *RefreshStyle.choices]
    )
    # Plain choice fields (ids as strings): one query each, whatever is selected.
    team = forms.ChoiceField(label="Team", required=False)
    config = forms.ChoiceField(label="Config", required=False)
    batch = forms.ChoiceField(label="Batch", required=False)
    focus = forms.ChoiceField(
        required=False, choices=list(FOCUSES.items()), widget=forms.HiddenInput
    )
    sort = forms.ChoiceField(
        required=False, choices=[(key, key) for key in SORTS], widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [
            ("", "Any team"),
            *((str(pk), name) for pk, name in SupportTeam.objects.values_list("pk", "name")),
        ]
        self.fields["config"].choices = [
            ("", "Any config"),
            *((str(pk), name) for pk, name in RefreshConfig.objects.values_list("pk", "name")),
        ]
        batches = RefreshBatch.objects.order_by("-created_at").values_list("pk", "name")[:200]
        self.fields["batch"].choices = [("", "Any batch"), *((str(pk), n) for pk, n in batches)]

    def filter_values(self) -> dict:
        """Raw (string) values for ``refresh.selectors.TicketFilters``; invalid ones dropped."""
        data = self.data
        values = {}
        for name in ("q", "status", "style", "team", "config", "batch", "focus", "sort"):
            value = (data.get(name) or "").strip()
            values[name] = value[:100]
        if values["status"] not in TicketStatus.values:
            values["status"] = ""
        if values["style"] not in RefreshStyle.values:
            values["style"] = ""
        if values["focus"] not in FOCUSES:
            values["focus"] = "all"
        if values["sort"] not in SORTS:
            values["sort"] = "-created"
        return values


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label="Comment", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class LocationForm(forms.Form):
    """Staff fills what the customer never gave (pending_location_info)."""

    location_building = forms.CharField(label="Building", max_length=160, required=False)
    location_room = forms.CharField(label="Room", max_length=60, required=False)
    location_notes = forms.CharField(
        label="Location notes", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    ship_to_name = forms.CharField(label="Recipient name", max_length=200, required=False)
    ship_street = forms.CharField(label="Street", max_length=200, required=False)
    ship_street2 = forms.CharField(label="Street (line 2)", max_length=200, required=False)
    ship_city = forms.CharField(label="City", max_length=120, required=False)
    ship_state = forms.CharField(label="State", max_length=60, required=False)
    ship_zip = forms.CharField(label="ZIP code", max_length=20, required=False)
    note = forms.CharField(
        label="Note for the audit trail",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    SHIPPING = SHIPPING_FIELDS
    LOCATION = LOCATION_FIELDS

    def __init__(self, *args, ticket, **kwargs):
        self.ticket = ticket
        initial = {name: getattr(ticket, name) for name in (*self.SHIPPING, *self.LOCATION)}
        super().__init__(*args, initial=initial, **kwargs)
        remote = ticket.style == RefreshStyle.REMOTE
        for name in self.SHIPPING if not remote else self.LOCATION:
            del self.fields[name]
        if remote:
            for name in ("ship_to_name", "ship_street", "ship_city", "ship_state", "ship_zip"):
                self.fields[name].required = True
        else:
            self.fields["location_building"].required = True

    def answers(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "note"}


class ReplacementForm(forms.Form):
    serial_number = forms.CharField(
        label="Replacement serial number",
        max_length=80,
        help_text=(
            "This only swaps the hardware on this ticket; the ticket does not advance. "
            "Use the order group page to assign replacements and advance tickets."
        ),
    )

    def clean_serial_number(self):
        serial = self.cleaned_data["serial_number"].strip().upper()
        system = System.objects.filter(serial_number=serial).first()
        if system is None:
            raise forms.ValidationError(f"No system has the serial number {serial}.")
        self.system = system
        return serial


class TrackingForm(forms.Form):
    """One remote ticket's tracking number (the service checks and cleans it)."""

    tracking_number = forms.CharField(label="Tracking number", max_length=160)
    carrier = forms.ChoiceField(
        label="Carrier",
        required=False,
        choices=[("", "Guess from the number"), *Carrier.choices],
    )


class TrackingBulkForm(forms.Form):
    lines = forms.CharField(
        label="Tracking numbers, one per line",
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text=(
            "Each line: serial or ticket number, tracking number[, carrier] — e.g. "
            "“RT-00042, 1Z999AA10123456784, UPS” or “C02XK1ABCD12, 9400111202555842761023”. "
            "Every line is checked first: if one is refused, nothing is saved."
        ),
    )


class GroupForm(forms.Form):
    group = forms.CharField(
        label="Group",
        max_length=120,
        required=False,
        help_text="The group the replacement is placed in. Blank: the config's group.",
    )


class SlotForm(forms.Form):
    slot = forms.TypedChoiceField(label="Slot", coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils import timezone

        self.fields["slot"].choices = [
            (
                slot.pk,
                f"{timezone.localtime(slot.start):%a %b %-d, %-I:%M %p} · {slot.free} free",
            )
            for slot in slots
        ]


class BatchForm(forms.Form):
    name = forms.CharField(label="Batch name", max_length=160)
    config = forms.ModelChoiceField(label="Config", queryset=RefreshConfig.objects.none())
    style = forms.ChoiceField(
        label="Style",
        required=False,
        choices=[("", "The config's default style")]
        + [c for c in RefreshStyle.choices if c[0] != RefreshStyle.BUMP_DOWN],
    )
    support_team = forms.ModelChoiceField(
        label="Support team",
        required=False,
        queryset=SupportTeam.objects.none(),
        empty_label="The config's team",
    )
    serials_text = forms.CharField(
        label="Serial numbers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="One per line; commas and spaces also separate.",
    )
    upload = forms.FileField(
        label="Or upload a file", required=False, help_text="A .txt or .csv file of serial numbers."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["config"].queryset = RefreshConfig.objects.filter(active=True).order_by("name")
        self.fields["support_team"].queryset = SupportTeam.objects.order_by("name")

    def clean(self):
        data = super().clean()
        upload = data.get("upload")
        text = data.get("serials_text") or ""
        if upload:
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError("The file is larger than 2 MB.")
            try:
                text = f"{text}\n{upload.read().decode('utf-8-sig')}"
            except UnicodeDecodeError as exc:
                raise forms.ValidationError("Upload a plain text or CSV file.") from exc
        if not text.strip():
            raise forms.ValidationError("Paste or upload at least one serial number.")
        data["serials_text"] = text
        return data


class BulkCreateFilterForm(forms.Form):
    q = forms.CharField(
        label="Search", required=False, help_text="Serial, hostname, user, building"
    )
    organization = forms.ModelChoiceField(
        label="Organization",
        required=False,
        queryset=Organization.objects.none(),
        empty_label="Any organization",
    )
    platform = forms.ChoiceField(
        label="Platform", required=False, choices=[("", "Any platform"), *Platform.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.order_by("name")


class _NewTicketsForm(forms.Form):
    """The config and support team every way of creating tickets asks for."""

    config = forms.ModelChoiceField(label="Config", queryset=RefreshConfig.objects.none())
    support_team = forms.ModelChoiceField(
        label="Support team",
        required=False,
        queryset=SupportTeam.objects.none(),
        empty_label="The config's team",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["config"].queryset = RefreshConfig.objects.filter(active=True).order_by("name")
        self.fields["support_team"].queryset = SupportTeam.objects.order_by("name")


class BulkCreateForm(_NewTicketsForm):
    field_order = ["config", "style", "support_team"]
    style = forms.ChoiceField(
        label="Style",
        required=False,
        choices=[("", "The config's default style")]
        + [c for c in RefreshStyle.choices if c[0] != RefreshStyle.BUMP_DOWN],
    )


def _system_by_serial(serial: str) -> System:
    system = System.objects.filter(serial_number=serial.strip().upper()).first()
    if system is None:
        raise forms.ValidationError(f"No system has the serial number {serial.strip().upper()}.")
    return system


class TicketCreateForm(_NewTicketsForm):
    """One ticket by hand (bump-down tickets name their replacement here)."""

    field_order = ["serial_number", "config", "style", "replacement_serial", "support_team"]
    serial_number = forms.CharField(label="Serial number of the computer to replace", max_length=80)
    style = forms.ChoiceField(
        label="Style",
        required=False,
        choices=[("", "The config's default style"), *RefreshStyle.choices],
    )
    replacement_serial = forms.CharField(
        label="Replacement serial number",
        max_length=80,
        required=False,
        help_text="Required for bump-down tickets: the recycled or legacy device they get.",
    )

    def clean_serial_number(self):
        self.system = _system_by_serial(self.cleaned_data["serial_number"])
        return self.system.serial_number

    def clean_replacement_serial(self):
        serial = self.cleaned_data["replacement_serial"].strip()
        self.replacement = _system_by_serial(serial) if serial else None
        return serial.upper()


class BulkTicketActionForm(forms.Form):
    ACTIONS = [("hold", "Put on hold"), ("reschedule", "Reschedule (release bookings)")]
    action = forms.ChoiceField(label="Bulk action", choices=ACTIONS)
    note = forms.CharField(label="Note", required=False, max_length=500)


class RefreshConfigForm(forms.ModelForm):
    class Meta:
        model = RefreshConfig
        fields = [
            "name",
            "organization",
            "style",
            "support_team",
            "replacement_group",
            "requires_approval",
            "approvers",
            "approved_models",
            "peripheral_bundle",
            "approved_peripherals",
            "software_catalog",
            "can_customize_computer",
            "can_customize_platform",
            "can_request_different_device",
            "can_customize_peripherals",
            "can_customize_software",
            "unit_specified_location",
            "customer_message",
            "active",
        ]
        widgets = {
            "approvers": forms.CheckboxSelectMultiple,
            "approved_models": forms.CheckboxSelectMultiple,
            "approved_peripherals": forms.CheckboxSelectMultiple,
            "software_catalog": forms.CheckboxSelectMultiple,
            "unit_specified_location": forms.Textarea(attrs={"rows": 2}),
            "customer_message": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from accounts.models import User
        from accounts.roles import Role, role_group_name

        self.fields["approvers"].queryset = User.objects.filter(
            groups__name=role_group_name(Role.APPROVER), is_active=True
        ).order_by("full_name", "email")

    def clean(self):
        data = super().clean()
        if data.get("requires_approval") and not data.get("approvers"):
            self.add_error("approvers", "Name at least one approver when approval is required.")
        return data
