"""Forms of the customer wizard and slot picker (one form per step)."""

import re

from django import forms

from refresh.models import Peripheral, SoftwareTitle
from refresh.selectors.wizard import wizard_offers_none_fits

ZIP_RE = re.compile(r"^\d{5}(-?\d{4})?$")
STATE_RE = re.compile(r"^[A-Za-z]{2}$")


class RemoteLocationForm(forms.Form):
    ship_to_name = forms.CharField(label="Recipient name", max_length=200)
    ship_street = forms.CharField(label="Street address", max_length=200)
    ship_street2 = forms.CharField(
        label="Apartment, suite (optional)", max_length=200, required=False
    )
    ship_city = forms.CharField(label="City", max_length=120)
    ship_state = forms.CharField(
        label="State",
        max_length=2,
        help_text="Two letters, for example MI.",
        widget=forms.TextInput(attrs={"autocomplete": "address-level1", "size": 2}),
    )
    ship_zip = forms.CharField(
        label="ZIP code",
        max_length=10,
        help_text="5 digits, or 9 digits as 12345-6789.",
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )

    def clean_ship_state(self):
        value = self.cleaned_data["ship_state"].strip()
        if not STATE_RE.match(value):
            raise forms.ValidationError("Enter the two-letter state code, for example MI.")
        return value.upper()

    def clean_ship_zip(self):
        value = self.cleaned_data["ship_zip"].strip()
        if not ZIP_RE.match(value):
            raise forms.ValidationError("Enter a ZIP code of 5 digits, or 9 digits (12345-6789).")
        digits = value.replace("-", "")
        return digits if len(digits) == 5 else f"{digits[:5]}-{digits[5:]}"


class OnPremLocationForm(forms.Form):
    location_building = forms.CharField(label="Building", max_length=160)
    location_room = forms.CharField(label="Room", max_length=60)
    location_notes = forms.CharField(
        label="Notes for the technician (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class UserSpecifiedLocationForm(forms.Form):
    location_notes = forms.CharField(
        label="Notes for the technician (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ModelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        text = f"{obj} ({obj.get_platform_display()})"
        return f"{text} — {obj.description}" if obj.description else text


class DeviceForm(forms.Form):
    """The device step; its fields depend on the config's options."""

    def __init__(self, *args, ticket, models_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        config = ticket.config
        self.can_choose = models_qs is not None
        self.can_refuse = wizard_offers_none_fits(config=config)
        if self.can_choose:
            self.fields["chosen_model"] = ModelChoiceField(
                label="Your new computer",
                queryset=models_qs,
                widget=forms.RadioSelect,
                empty_label=None,
                required=False,
            )
        if self.can_refuse:
            label = (
                "None of these fits my needs"
                if self.can_choose
                else "The proposed computer is not adequate for my work"
            )
            self.fields["none_fits"] = forms.BooleanField(label=label, required=False)
            self.fields["reason"] = forms.CharField(
                label="Why? What do you need instead?",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def clean(self):
        data = super().clean()
        if self.can_refuse and data.get("none_fits"):
            if not (data.get("reason") or "").strip():
                self.add_error("reason", "Say why the offered computer does not fit.")
        elif self.can_choose and not data.get("chosen_model"):
            self.add_error("chosen_model", "Pick a computer.")
        return data


class PeripheralsForm(forms.Form):
    peripherals = forms.ModelMultipleChoiceField(
        label="Peripherals",
        queryset=Peripheral.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["peripherals"].queryset = queryset


class SoftwareForm(forms.Form):
    software_requests = forms.ModelMultipleChoiceField(
        label="Software you need",
        queryset=SoftwareTitle.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["software_requests"].queryset = queryset


class SlotForm(forms.Form):
    slot_id = forms.IntegerField(widget=forms.HiddenInput)
