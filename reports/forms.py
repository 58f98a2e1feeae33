"""Forms of the reports pages: they check the shape of input; services apply the rules."""

from __future__ import annotations

from django import forms

from accounts.models import SupportTeam, User
from accounts.roles import Role
from refresh.models import HardwareModel, RefreshConfig

from .choices import ExportList, Frequency, LifecycleBasis
from .selectors import DEFAULT_STUCK_DAYS, RefreshDashboardFilters


def _pk_choices(qs, empty: str) -> list[tuple[str, str]]:
    return [("", empty), *((str(pk), name) for pk, name in qs)]


class RefreshDashboardForm(forms.Form):
    config = forms.ChoiceField(label="Config", required=False)
    batch = forms.ChoiceField(label="Batch", required=False)
    team = forms.ChoiceField(label="Team", required=False)
    start = forms.DateField(
        label="Created from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="Created until", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    stuck_days = forms.IntegerField(
        label="Stuck after (business days)",
        required=False,
        min_value=1,
        max_value=120,
        initial=DEFAULT_STUCK_DAYS,
    )

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["config"].choices = _pk_choices(choices["configs"], "Any config")
        self.fields["batch"].choices = _pk_choices(choices["batches"], "Any batch")
        self.fields["team"].choices = _pk_choices(choices["teams"], "Any team")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date is before the start date.")
        return data

    @staticmethod
    def filters_from(data) -> RefreshDashboardFilters:
        """Filters from raw GET data (invalid values ignored), before choices are loaded."""
        form = forms.Form(data)
        form.fields.update(
            {
                "config": forms.IntegerField(required=False),
                "batch": forms.IntegerField(required=False),
                "team": forms.IntegerField(required=False),
                "start": forms.DateField(required=False),
                "end": forms.DateField(required=False),
                "stuck_days": forms.IntegerField(required=False, min_value=1, max_value=120),
            }
        )
        form.is_valid()
        clean = form.cleaned_data
        start, end = clean.get("start"), clean.get("end")
        if start and end and end < start:
            end = None
        return RefreshDashboardFilters(
            config=clean.get("config"),
            batch=clean.get("batch"),
            team=clean.get("team"),
            start=start,
            end=end,
            stuck_days=clean.get("stuck_days") or DEFAULT_STUCK_DAYS,
        )


class SavedViewForm(forms.Form):
    name = forms.CharField(label="Name", max_length=120)
    list_name = forms.ChoiceField(
        label="List", choices=ExportList.choices, widget=forms.HiddenInput
    )
    query = forms.CharField(max_length=1000, required=False, widget=forms.HiddenInput)
    shared_with_role = forms.ChoiceField(
        label="Who sees it",
        required=False,
        choices=[("", "Only me"), *((r.value, f"Everyone with the role {r.label}") for r in Role)],
    )


class SubscriptionForm(forms.Form):
    subscriber = forms.ModelChoiceField(
        label="Send to",
        queryset=User.objects.none(),
        help_text="You, or another staff member.",
    )
    frequency = forms.ChoiceField(label="How often", choices=Frequency.choices)
    send_time = forms.TimeField(
        label="At (business time zone)",
        widget=forms.TimeInput(attrs={"type": "time"}),
        initial="07:00",
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subscriber"].queryset = staff


class LifecyclePolicyForm(forms.Form):
    hardware_model = forms.ModelChoiceField(
        label="Hardware model",
        required=False,
        queryset=HardwareModel.objects.order_by("manufacturer", "name"),
        empty_label="— a platform instead —",
    )
    platform = forms.ChoiceField(
        label="Platform",
        required=False,
        choices=[("", "— a hardware model instead —"), ("windows", "Windows"), ("mac", "Mac")],
    )
    basis = forms.ChoiceField(label="Replace", choices=LifecycleBasis.choices)
    months = forms.IntegerField(label="Months after purchase", min_value=1, max_value=240)


class SystemImportForm(forms.Form):
    file = forms.FileField(
        label="CSV or Excel file",
        help_text=(
            "Columns: serial_number (required), purchase_date, warranty_end (YYYY-MM-DD). "
            "Existing systems are matched by serial number."
        ),
    )


class ForecastForm(forms.Form):
    GROUPS = [("team", "Support team"), ("organization", "Organization"), ("platform", "Platform")]

    group = forms.ChoiceField(label="Group by", choices=GROUPS, required=False)


class ForecastBatchForm(forms.Form):
    """Start a refresh batch from one forecast cell (group value and quarter)."""

    group = forms.ChoiceField(choices=ForecastForm.GROUPS, widget=forms.HiddenInput)
    key = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)
    quarter = forms.CharField(max_length=7, widget=forms.HiddenInput)
    name = forms.CharField(label="Batch name", max_length=160)
    config = forms.ModelChoiceField(
        label="Refresh config", queryset=RefreshConfig.objects.filter(active=True).order_by("name")
    )
    support_team = forms.ModelChoiceField(
        label="Support team (optional)",
        required=False,
        queryset=SupportTeam.objects.order_by("name"),
    )
