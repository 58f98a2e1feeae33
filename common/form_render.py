"""A form renderer that prints Django's standard widgets in Python.

Django renders every widget through a template, and every option of a select
or radio list through two more (``select_option.html`` → ``attrs.html``): a
page with a few forms and a staff picker spends more time there than on its
own content (about 7 ms of the staff order page's 55 ms of CPU, issue #17).
``PlainWidgetRenderer`` prints the same markup as those templates, byte for
byte (``tests/common/test_form_render.py`` compares both for every widget it
knows), and hands any other template to Django as before. A form opts in with
``default_renderer = PLAIN_WIDGETS``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

WIDGETS = "django/forms/widgets/"


def _text(value) -> str:
    """``{{ value }}``: localized, escaped unless already safe."""
    return conditional_escape(localize(value))


def _formatted(value) -> str:
    """``{{ value|stringformat:'s' }}`` (safe text stays unescaped, as there)."""
    return conditional_escape(value if isinstance(value, SafeData) else f"{value}")


def _attrs(attrs: dict) -> str:
    """``attrs.html``: `` name="value"``, a bare `` name`` for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{_formatted(value)}"')
    return "".join(out)


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{_formatted(value)}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _textarea(widget: dict) -> str:
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _select_option(option: dict) -> str:
    return (
        f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_text(option['label'])}</option>\n"
    )


def _input_option(option: dict) -> str:
    # input.html ends with a newline, which stays inside the label.
    if not option["wrap_label"]:
        return f"{_input(option)}\n\n"
    target = option["attrs"].get("id")
    label_for = f' for="{_text(target)}"' if target else ""
    return f"<label{label_for}>{_input(option)}\n {_text(option['label'])}</label>\n"


def _radio_option(option: dict) -> str:
    return f"{_input_option(option)}\n"


def _option(option: dict) -> str:
    """An option's template output, its trailing newlines included (only the whole
    widget's output is stripped)."""
    printer = OPTIONS.get(option["template_name"])
    if printer is None:
        raise LookupError(option["template_name"])
    return printer(option)


def _select(widget: dict) -> str:
    out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        out.extend(f"\n  {_option(option)}" for option in options)
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _multiple_input(widget: dict) -> str:
    attrs = widget["attrs"]
    out = ["<div"]
    if attrs.get("id"):
        out.append(f' id="{_text(attrs["id"])}"')
    if attrs.get("class"):
        out.append(f' class="{_text(attrs["class"])}"')
    out.append(">")
    for group, options, _index in widget["optgroups"]:
        if group:
            out.append(f"\n  <div><label>{_text(group)}</label>")
        out.extend(f"<div>\n    {_option(option)}</div>" for option in options)
        if group:
            out.append("\n  </div>")
    out.append("\n</div>")
    return "".join(out)


def _clearable_file_input(widget: dict) -> str | None:
    if widget["is_initial"]:
        return None  # a stored file with its clear box: Django's template prints it
    return _input({**widget, "value": None})  # the template prints no value


OPTIONS: dict[str, Callable[[dict], str]] = {
    f"{WIDGETS}select_option.html": _select_option,
    f"{WIDGETS}input_option.html": _input_option,
    f"{WIDGETS}radio_option.html": _radio_option,
    f"{WIDGETS}checkbox_option.html": _radio_option,
}

PRINTERS: dict[str, Callable[[dict], str | None]] = {
    **{
        f"{WIDGETS}{name}.html": _input
        for name in (
            "input",
            "text",
            "email",
            "url",
            "number",
            "password",
            "hidden",
            "date",
            "datetime",
            "time",
            "checkbox",
            "file",
            "search",
            "tel",
            "color",
        )
    },
    f"{WIDGETS}textarea.html": _textarea,
    f"{WIDGETS}select.html": _select,
    f"{WIDGETS}radio.html": _multiple_input,
    f"{WIDGETS}checkbox_select.html": _multiple_input,
    f"{WIDGETS}multiple_input.html": _multiple_input,
    f"{WIDGETS}clearable_file_input.html": _clearable_file_input,
}


class PlainWidgetRenderer(DjangoTemplates):
    """Django's template renderer, except that the standard widgets are printed in
    Python (the same markup); anything else (a custom widget's template, a form or
    field template) is rendered by Django as before."""

    def render(self, template_name, context, request=None):
        printer = PRINTERS.get(template_name)
        if printer is not None:
            try:
                html = printer(context["widget"])
            except LookupError:  # an option with a template of its own
                html = None
            if html is not None:
                return mark_safe(html.strip())
        return super().render(template_name, context, request)


PLAIN_WIDGETS = PlainWidgetRenderer()


# The project's form markup (templates/includes/form.html and field.html) printed in
# Python for the pages that render several forms; tests compare both outputs.


def field_html(field) -> str:
    """What ``{% include "includes/field.html" %}`` prints for the bound ``field``."""
    kind = field.widget_type
    required = ' <span aria-hidden="true">*</span>' if field.field.required else ""
    label = _text(field.label)
    classes = "field"
    if field.errors:
        classes += " field--error"
    if kind == "checkbox":
        classes += " field--checkbox"
        body = f'\n    <label for="{_text(field.id_for_label)}">{field} {label}</label>\n  '
    elif kind in ("checkboxselectmultiple", "radioselect"):
        body = f"\n    <fieldset><legend>{label}{required}</legend>{field}</fieldset>\n  "
    else:
        body = (
            f'\n    <label for="{_text(field.id_for_label)}">{label}{required}</label>'
            f"\n    {field}\n  "
        )
    help_text = (
        f'<span class="helptext" id="{_text(field.auto_id)}_helptext">{field.help_text}</span>'
        if field.help_text
        else ""
    )
    errors = ""
    if field.errors:
        items = "".join(f"<li>{_text(error)}</li>" for error in field.errors)
        errors = f'<ul class="errorlist" id="{_text(field.auto_id)}_error">{items}</ul>'
    return f'\n<div class="{classes}">\n  {body}\n  {help_text}\n  {errors}\n</div>\n'


def form_html(form) -> str:
    """What ``{% include "includes/form.html" with form=form %}`` prints."""
    out = []
    errors = form.non_field_errors()
    if errors:
        items = "".join(f"<p>{_text(error)}</p>" for error in errors)
        out.append(f'<div class="message message--error" role="alert">{items}</div>')
    out.append("\n")
    out.extend(str(field) for field in form.hidden_fields())
    out.append("\n")
    out.extend(field_html(field) for field in form.visible_fields())
    out.append("\n")
    return mark_safe("".join(out))


def csrf_input(token: str) -> str:
    """What ``{% csrf_token %}`` prints for ``token``, for forms printed in Python."""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{conditional_escape(token)}">'
