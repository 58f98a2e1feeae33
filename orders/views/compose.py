"""The order page's compose form: To, CC and Subject prefilled, the canned-response
picker (GET ``?template=<id>`` fills Subject and Message), "assign order to" and
"subscribe me". Used by the staff order page and its message POST."""

from __future__ import annotations

from orders.forms.desk import CannedResponsePickForm, compose_form_class
from orders.forms.printed import compose_form_html
from orders.selectors.canned_responses import canned_responses_offered
from orders.services.replies import (
    canned_response_render,
    canned_responses_for,
    message_recipients_default,
    message_subject_default,
)


def compose_forms(request, *, order, kind: str, quote=None, staff=None, subscribers=None) -> dict:
    """The compose form with initial values for ``kind``, ``template_form`` and the
    ``canned_responses`` it offers (none: no picker) for the page;
    ``staff`` (people who work orders, already read) fills the form's people pickers,
    ``subscribers`` (the order's, in the order they subscribed) its To.

    With ``staff`` the form comes printed (``message_form_html``, printed once per
    initial values and staff list: ``orders.forms.printed``); without, as
    ``message_form``, whose pickers read the people themselves."""
    offered = canned_responses_offered(order_type=order.order_type)
    to = ", ".join(
        message_recipients_default(
            order=order, kind=kind, author=request.user, subscribers=subscribers
        )
    )
    initial = {
        "kind": kind,
        "quoted": quote.pk if quote else None,
        "to": to,
        "to_initial": to,
        "subject": message_subject_default(order=order),
    }
    picked = request.GET.get("template", "")
    template_form = None  # nothing offered and nothing picked: no picker to print
    if picked or offered:
        template_form = CannedResponsePickForm(
            {"template": picked} if picked else None,
            responses=canned_responses_for(order=order),
            offered=offered,
        )
    if picked and template_form.is_valid():
        initial.update(
            canned_response_render(
                response=template_form.cleaned_data["template"], order=order, actor=request.user
            )
        )
    if staff is None:
        form = {"message_form": compose_form_class()(initial=initial)}
    else:
        form = {"message_form_html": compose_form_html(initial=initial, staff=staff)}
    return {
        **form,
        "compose_kind": kind,
        "template_form": template_form,
        "canned_responses": offered,
    }


def compose_post_kwargs(form) -> dict:
    """The compose form's extra fields as ``order_message_post`` keywords. A To left as
    the page offered it means "the default people of the kind chosen" (switching a
    reply to an internal comment then reaches staff only)."""
    data = form.cleaned_data
    return {
        "to": data["to"] if form.to_edited() else None,
        "cc": data["cc"],
        "subject": data["subject"],
        "assign_order_to": data["assign_order_to"],
        "subscribe": data["subscribe"],
    }
