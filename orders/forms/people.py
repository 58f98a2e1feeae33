"""The person picker: a plain select (works without JavaScript: every option reads
"name · email · department", so namesakes differ) that ``static/js/person-picker.js``
turns into a search-as-you-type combobox fed by htmx from ``orders:portal_people``."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.urls import reverse

from orders.selectors.people import person_label


class PersonPickerSelect(forms.Select):
    template_name = "orders/widgets/person_picker.html"

    def __init__(self, *, search_field: str, attrs=None, choices=()):
        super().__init__(attrs=attrs, choices=choices)
        self.search_field = search_field

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.search_field = self.search_field
        return copy

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = (
            reverse("orders:portal_people") + "?" + urlencode({"field": self.search_field})
        )
        return context


class PersonChoiceField(forms.ModelChoiceField):
    """One person of the organization; each option shows name, email and department."""

    def __init__(self, *, label: str, search_field: str, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", "Choose…")
        super().__init__(
            queryset=None,
            label=label,
            widget=PersonPickerSelect(search_field=search_field),
            **kwargs,
        )

    def label_from_instance(self, obj) -> str:
        return person_label(obj)
