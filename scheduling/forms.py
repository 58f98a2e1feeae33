import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.forms.models import ModelChoiceIterator
from django.utils import timezone

from accounts.models import SupportTeam

from .models import ScheduleSlotPreference

# Bounds that keep hostile input out of date arithmetic and 32-bit columns.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
# One bound for every slot form (issue 11 item 3): a form error, never a 500.
MIN_DURATION_MINUTES = 15
MAX_DURATION_MINUTES = 480
MAX_CAPACITY = 50


def bounded_date_field(**kwargs) -> forms.DateField:
    """A date between 1900 and 2100 (dates far out overflow the calendar maths)."""
    widget = forms.DateInput(
        attrs={"type": "date", "min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat()}
    )
    field = forms.DateField(widget=widget, **kwargs)
    field.validators.append(_date_in_range)
    return field


def _date_in_range(value: dt.date) -> None:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise forms.ValidationError("Enter a date between 1900 and 2100.")


class SlotPreferenceForm(forms.ModelForm):
    class Meta:
        model = ScheduleSlotPreference
        fields = [
            "team",
            "weekday",
            "start_time",
            "duration_minutes",
            "capacity",
            "location_note",
            "active",
        ]
        labels = {
            "team": "Support team",
            "start_time": "Start time",
            "duration_minutes": "Duration (minutes)",
        }
        help_texts = {
            "active": "Inactive patterns stop creating new slots; existing slots stay.",
        }
        widgets = {"start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = SupportTeam.objects.order_by("name")
        if self.instance.pk:
            # A pattern stays with its team; another team gets its own pattern.
            self.fields["team"].disabled = True
            self.fields["team"].help_text = "A pattern stays with its team."
        self.fields["duration_minutes"].min_value = 1
        self.fields["capacity"].min_value = 1
        for name, most in (("duration_minutes", MAX_DURATION_MINUTES), ("capacity", MAX_CAPACITY)):
            field = self.fields[name]
            field.max_value = most
            field.validators.append(MaxValueValidator(most))
            field.widget.attrs["max"] = most


class OneOffSlotForm(forms.Form):
    team = forms.ModelChoiceField(queryset=SupportTeam.objects.none(), label="Support team")
    date = bounded_date_field()
    start_time = forms.TimeField(
        label="Start time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_minutes = forms.IntegerField(
        label="Duration (minutes)",
        min_value=MIN_DURATION_MINUTES,
        max_value=MAX_DURATION_MINUTES,
        initial=60,
        help_text=f"{MIN_DURATION_MINUTES} to {MAX_DURATION_MINUTES} minutes.",
    )
    capacity = forms.IntegerField(
        min_value=1,
        max_value=MAX_CAPACITY,
        initial=2,
        help_text=f"Appointments in this slot (1 to {MAX_CAPACITY}).",
    )
    location_note = forms.CharField(max_length=200, required=False, label="Location note")
    open_closed_day = forms.BooleanField(
        required=False,
        label="Open this closed day",
        help_text=(
            "Weekends, holidays and closure days offer no slots. Tick this to add the slot "
            "anyway: the day shows as an opened exception and customers can book it."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = SupportTeam.objects.order_by("name")

    def start(self) -> dt.datetime:
        data = self.cleaned_data
        return dt.datetime.combine(
            data["date"], data["start_time"], tzinfo=timezone.get_current_timezone()
        )


class _ListedChoiceIterator(ModelChoiceIterator):
    """The field's choices from the list it was given, not from a query."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.listed:
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.listed) + (self.field.empty_label is not None)


class ListedTeamChoiceField(forms.ModelChoiceField):
    """A support team picked from the teams the view has read already: it prints
    them and looks the chosen one up in them, without a query of its own (the
    same markup and errors as a ``ModelChoiceField`` over the teams' queryset)."""

    iterator = _ListedChoiceIterator

    def __init__(self, *args, listed=(), **kwargs):
        super().__init__(*args, queryset=SupportTeam.objects.none(), **kwargs)
        self.listed = list(listed)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        by_pk = {str(obj.pk): obj for obj in self.listed}
        try:
            return by_pk[str(value)]
        except KeyError:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from None


class CalendarFilterForm(forms.Form):
    VIEWS = [("week", "Week"), ("month", "Month")]

    view = forms.ChoiceField(choices=VIEWS, required=False)
    date = bounded_date_field(required=False)
    team = ListedTeamChoiceField(required=False, empty_label="All teams", label="Support team")

    # Dates the calendar pages can show; a date outside is moved to the nearest end
    # (the week and month arithmetic overflows near year 1 and 9999).
    EARLIEST = dt.date(1900, 1, 1)
    LATEST = dt.date(2100, 12, 31)

    def __init__(self, *args, teams, **kwargs):
        """``teams``: every support team, in the order the filter lists them."""
        super().__init__(*args, **kwargs)
        self.fields["team"].listed = list(teams)

    def clean_date(self):
        day = self.cleaned_data.get("date")
        if day is None:
            return None
        return min(max(day, self.EARLIEST), self.LATEST)
