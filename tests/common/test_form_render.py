"""The Python widget printer writes what Django's widget templates write."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from common.form_render import PLAIN_WIDGETS, PlainWidgetRenderer
from orders.forms.staff import MultipleFileInput

CHOICES = [("a", "Apple & <pear>"), ("b", 'B "quoted"'), (3, "Three")]
GROUPED = [("Fruit", [("a", "Apple"), ("b", "Banana")]), ("c", "Carrot")]


class EveryWidgetForm(forms.Form):
    text = forms.CharField(
        label="Text", max_length=20, widget=forms.TextInput(attrs={"autofocus": True})
    )
    off = forms.CharField(required=False, widget=forms.TextInput(attrs={"disabled": False}))
    safe = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"data-x": mark_safe("a&amp;b")})
    )
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    number = forms.IntegerField(required=False, widget=forms.NumberInput(attrs={"min": 1}))
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    password = forms.CharField(required=False, widget=forms.PasswordInput)
    search = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "search"}))
    body = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    pick = forms.ChoiceField(required=False, choices=[("", "—"), *CHOICES])
    grouped = forms.ChoiceField(required=False, choices=GROUPED)
    several = forms.MultipleChoiceField(required=False, choices=CHOICES)
    radio = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect)
    radio_grouped = forms.ChoiceField(choices=GROUPED, widget=forms.RadioSelect)
    boxes = forms.MultipleChoiceField(
        required=False, choices=CHOICES, widget=forms.CheckboxSelectMultiple
    )
    agree = forms.BooleanField(required=False)
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    upload = forms.FileField(required=False)
    uploads = forms.FileField(required=False, widget=MultipleFileInput)


VALUES = [
    {},
    {
        "text": 'Tom & "Jerry" <b>',
        "off": "x",
        "email": "a@example.edu",
        "url": "https://example.edu/?a=1&b=2",
        "number": "5",
        "day": "2026-11-30",
        "body": "Line one\n<script>two</script>",
        "pick": "b",
        "grouped": "b",
        "several": ["a", "3"],
        "radio": "3",
        "radio_grouped": "c",
        "boxes": ["b"],
        "agree": "on",
        "hidden": "1 & 2",
    },
]


def _widgets(form) -> list[tuple[str, str]]:
    return [(field.name, field.as_widget()) for field in form]


@pytest.mark.parametrize("data", VALUES)
@pytest.mark.parametrize("auto_id", ["id_%s", False])
def test_every_widget_prints_what_djangos_templates_print(data, auto_id):
    initial = {"day": dt.date(2026, 1, 2), "text": "first"}
    django = EveryWidgetForm(data or None, initial=initial, auto_id=auto_id)
    django.renderer = DjangoTemplates()
    plain = EveryWidgetForm(data or None, initial=initial, auto_id=auto_id)
    plain.renderer = PLAIN_WIDGETS
    assert _widgets(plain) == _widgets(django)


def test_a_widget_it_does_not_know_is_rendered_by_its_template():
    widget = forms.SelectDateWidget(years=[2026])
    html = widget.render("when", dt.date(2026, 3, 4), renderer=PlainWidgetRenderer())
    assert html == widget.render("when", dt.date(2026, 3, 4), renderer=DjangoTemplates())
    assert 'name="when_month"' in html


class ProjectMarkupForm(forms.Form):
    name = forms.CharField(label="Name & <title>", help_text="Your <em>full</em> name.")
    note = forms.CharField(required=False, widget=forms.Textarea)
    kind = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect)
    tags = forms.MultipleChoiceField(
        required=False, choices=CHOICES, widget=forms.CheckboxSelectMultiple
    )
    agree = forms.BooleanField(label="I agree", required=False)
    pick = forms.ChoiceField(required=False, choices=CHOICES)
    secret = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("Something <wrong> as a whole.")


@pytest.mark.parametrize(
    "data", [None, {"name": "", "kind": "zz", "secret": "s"}, {"name": "A", "kind": "a"}]
)
def test_form_html_prints_what_the_projects_form_templates_print(data):
    from django.template.loader import render_to_string

    from common.form_render import form_html

    form = ProjectMarkupForm(data)
    form.renderer = PLAIN_WIDGETS
    if data is not None:
        form.is_valid()
    assert form_html(form) == render_to_string("includes/form.html", {"form": form})
