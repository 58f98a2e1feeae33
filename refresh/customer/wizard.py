"""The customer wizard's page flow: steps, saved progress, forms, review and
submit. What each page offers comes from ``refresh.selectors.wizard``.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from refresh.choices import TicketStatus
from refresh.exceptions import RefreshError, TransitionNotAllowed
from refresh.models import RefreshTicket
from refresh.selectors import customer as customer_selectors
from refresh.selectors import wizard as wizard_options
from refresh.services import (
    ticket_save_wizard_progress,
    ticket_submit_wizard,
)

from . import forms
from .links import gone_response

S = TicketStatus


# After the wizard went in, its link shows "already submitted" in these statuses.
SUBMITTED_STATUSES = frozenset(
    {
        S.PENDING_APPROVAL,
        S.PENDING_ORDERING,
        S.PENDING_ITSM_EXISTENCE,
        S.PENDING_SLOT_DISCOVERY,
        S.PENDING_CUSTOMER_SCHEDULING,
        S.DELIVERY_SCHEDULED,
        S.PENDING_DELIVERY,
        S.INSTALLED,
    }
)


STEP_TITLES = {
    "location": "Location",
    "device": "Computer",
    "peripherals": "Peripherals",
    "software": "Software",
    "review": "Review",
}


# --- wizard ---------------------------------------------------------------------
class Wizard:
    """The wizard's page flow for one ticket: steps, saved answers, forms.

    What each page offers (models, platforms, peripherals, software, "none of
    these fits") comes from ``refresh.selectors.wizard``, the same rules the
    submit service checks the answers with.
    """

    def __init__(self, ticket: RefreshTicket):
        self.ticket = ticket
        self.config = ticket.config
        progress = ticket.wizard_progress or {}
        self.answers: dict = dict(progress.get("answers") or {})
        self.done: list[str] = list(progress.get("done") or [])
        self.current: str = progress.get("step") or ""
        self.steps: list[str] = wizard_options.wizard_steps(config=self.config)
        self.location_kind: str = wizard_options.wizard_location_kind(ticket=ticket)

    def bundle(self):
        return wizard_options.wizard_bundle(config=self.config)

    # forms
    def initial(self, step: str) -> dict:
        t, a = self.ticket, self.answers
        if step == "location":
            if self.location_kind == "remote":
                person = t.user
                defaults = {
                    "ship_to_name": t.ship_to_name or (person.display_name if person else ""),
                    "ship_street": t.ship_street,
                    "ship_street2": t.ship_street2,
                    "ship_city": t.ship_city,
                    "ship_state": t.ship_state,
                    "ship_zip": t.ship_zip,
                }
            else:
                system = t.existing_system
                defaults = {
                    "location_building": t.location_building or system.building,
                    "location_room": t.location_room or system.room,
                    "location_notes": t.location_notes,
                }
            return {key: a.get(key, value) for key, value in defaults.items()}
        if step == "device":
            reason = a.get("none_fits_reason", t.none_fits_reason or t.inadequate_reason)
            model = t.device_model
            return {
                "chosen_model": a.get("chosen_model", model.pk if model else None),
                "none_fits": a.get("none_fits", t.none_fits),
                "reason": reason,
            }
        if step == "peripherals":
            saved = a.get("peripherals")
            if saved is None:
                saved = [p.pk for p in t.peripherals.all()] or [p.pk for p in self.bundle()]
            return {"peripherals": saved}
        if step == "software":
            saved = a.get("software_requests")
            if saved is None:
                saved = list(t.software_requests.values_list("pk", flat=True))
            return {"software_requests": saved}
        return {}

    def form(self, step: str, data=None):
        kwargs = {"data": data, "initial": self.initial(step)}
        if step == "location":
            form_class = {
                "remote": forms.RemoteLocationForm,
                "on_prem": forms.OnPremLocationForm,
                "user_specified": forms.UserSpecifiedLocationForm,
            }[self.location_kind]
            return form_class(**kwargs)
        if step == "device":
            models = wizard_options.wizard_models(ticket=self.ticket)
            return forms.DeviceForm(ticket=self.ticket, models_qs=models, **kwargs)
        if step == "peripherals":
            if not self.config.can_customize_peripherals:
                return None
            return forms.PeripheralsForm(
                queryset=wizard_options.wizard_peripherals(config=self.config), **kwargs
            )
        if step == "software":
            model = wizard_options.wizard_device_model(ticket=self.ticket, saved=self.answers)
            return forms.SoftwareForm(
                queryset=wizard_options.wizard_software(config=self.config, model=model), **kwargs
            )
        return None

    def store(self, step: str, form) -> None:
        """Keep a valid step's answers (JSON-friendly) in the progress."""
        data = form.cleaned_data if form is not None else {}
        if form is None:
            if step == "peripherals":
                self.answers["peripherals"] = [p.pk for p in self.bundle()]
        elif step == "location":
            self.answers.update({key: value or "" for key, value in data.items()})
        elif step == "device":
            if "chosen_model" in data:
                model = data.get("chosen_model")
                self.answers["chosen_model"] = model.pk if model else None
            if form.can_refuse:
                none_fits = bool(data.get("none_fits"))
                self.answers["none_fits"] = none_fits
                self.answers["none_fits_reason"] = (data.get("reason") or "").strip()
                self.answers["inadequate_reason"] = (
                    self.answers["none_fits_reason"] if none_fits and not form.can_choose else ""
                )
        elif step == "peripherals":
            self.answers["peripherals"] = sorted(p.pk for p in data["peripherals"])
        elif step == "software":
            self.answers["software_requests"] = sorted(s.pk for s in data["software_requests"])
        if step not in self.done:
            self.done.append(step)

    def progress(self, step: str) -> dict:
        return {"answers": self.answers, "done": self.done, "step": step}

    def submit_answers(self) -> dict:
        """The answers for ``ticket_submit_wizard`` (the service checks them again)."""
        return wizard_options.wizard_submit_answers(ticket=self.ticket, saved=self.answers)

    def summary(self) -> dict:
        return wizard_options.wizard_summary(ticket=self.ticket, saved=self.answers)


def _step_url(token: str, step: str) -> str:
    return reverse("refresh:customer_step", args=[token, step])


def wizard_page(request, token: str, ticket: RefreshTicket, *, step: str | None):
    if ticket.status != S.PENDING_CUSTOMER:
        if ticket.wizard_submitted_at and ticket.status in SUBMITTED_STATUSES:
            return _submitted(request, ticket, already=step != "done")
        return gone_response(request, ticket)
    wizard = Wizard(ticket)
    steps = wizard.steps
    if step is None:
        step = wizard.current if wizard.current in steps else steps[0]
    if step == "done" or step not in steps:
        return redirect(_step_url(token, steps[0]))
    index = steps.index(step)
    errors: list[str] = []

    if request.method == "POST":
        if step == "review":
            if "back" in request.POST:
                return redirect(_step_url(token, steps[index - 1]))
            missing = [s for s in steps[:-1] if s not in wizard.done]
            if missing:
                messages.error(request, f"Please complete the {STEP_TITLES[missing[0]]} step.")
                return redirect(_step_url(token, missing[0]))
            try:
                ticket_submit_wizard(
                    ticket=ticket, actor_label="customer", answers=wizard.submit_answers()
                )
            except TransitionNotAllowed as exc:
                ticket.refresh_from_db()
                if ticket.status != S.PENDING_CUSTOMER:
                    # Submitted (or closed) meanwhile, from another tab or device.
                    return wizard_page(request, token, ticket, step=step)
                errors = _error_lines(exc)
            except RefreshError as exc:
                errors = _error_lines(exc)
            else:
                return redirect(_step_url(token, "done"))
        else:
            form = wizard.form(step, data=request.POST)
            going_back = "back" in request.POST
            valid = form is None or form.is_valid()
            if valid or going_back:
                target = steps[index - 1] if going_back and index else steps[index + 1]
                if valid:
                    wizard.store(step, form)
                try:
                    ticket_save_wizard_progress(ticket=ticket, progress=wizard.progress(target))
                except RefreshError:
                    return gone_response(request, ticket)
                return redirect(_step_url(token, target))
            return _render_step(request, token, wizard, step, form, status=400)
    form = wizard.form(step)
    return _render_step(
        request, token, wizard, step, form, errors=errors, status=400 if errors else 200
    )


def _error_lines(exc: RefreshError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [
            f"{field.replace('_', ' ').capitalize()}: {message}"
            for field, items in exc.message_dict.items()
            for message in items
        ]
    return list(exc.messages)


def _render_step(request, token, wizard: Wizard, step: str, form, *, errors=(), status=200):
    steps = wizard.steps
    index = steps.index(step)
    context = {
        "ticket": wizard.ticket,
        "config": wizard.config,
        "wizard": wizard,
        "step": step,
        "step_title": STEP_TITLES[step],
        "step_number": index + 1,
        "step_count": len(steps),
        "steps": [
            {
                "name": name,
                "title": STEP_TITLES[name],
                "done": name in wizard.done,
                "current": name == step,
                "url": _step_url(token, name),
            }
            for name in steps
        ],
        "form": form,
        "has_back": index > 0,
        "back_url": _step_url(token, steps[index - 1]) if index else "",
        "errors": list(errors),
        "location_kind": wizard.location_kind,
        "proposed_model": wizard.ticket.proposed_model,
        "bundle": wizard.bundle() if step == "peripherals" else [],
        "summary": wizard.summary() if step == "review" else None,
        "returned_note": customer_selectors.ticket_returned_note(ticket=wizard.ticket)
        if index == 0
        else "",
    }
    return render(request, "refresh/customer/wizard.html", context, status=status)


def _submitted(request, ticket: RefreshTicket, *, already: bool):
    context = {"ticket": ticket, "already": already}
    return render(request, "refresh/customer/submitted.html", context)
