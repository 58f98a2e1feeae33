"""Customer pages reached from emailed personal links (DESIGN.md §3).

One token opens one ticket for one purpose: the wizard (``refresh_wizard``),
picking a day-1 slot (``refresh_pick_slot``) or moving it
(``refresh_reschedule``). GET only reads; every change goes through
``refresh.services`` on POST. Wizard answers live in ``wizard_progress`` until
the review step submits them to ``ticket_submit_wizard``, which writes them to
the ticket fields.
"""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from notifications.links import (
    RETRY_AFTER_SECONDS,
    LinkInvalid,
    LinkRateLimited,
    access_link_resolve,
    client_key_for,
)
from refresh.choices import EventKind, RefreshStyle, TicketStatus
from refresh.exceptions import RefreshError, TransitionNotAllowed
from refresh.models import HardwareModel, Peripheral, RefreshTicket, SoftwareTitle
from refresh.services import (
    ticket_book_slot,
    ticket_save_wizard_progress,
    ticket_submit_wizard,
)
from scheduling.exceptions import SLOT_UNAVAILABLE_MESSAGE

from . import forms

S = TicketStatus

WIZARD = "refresh_wizard"
PICK_SLOT = "refresh_pick_slot"
RESCHEDULE = "refresh_reschedule"
PURPOSES = (WIZARD, PICK_SLOT, RESCHEDULE)

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


class _Invalid(Exception):
    def __init__(self, reason: str, ticket: RefreshTicket | None = None, status: int = 410):
        super().__init__(reason)
        self.reason = reason
        self.ticket = ticket
        self.status = status


def _ticket_of(link) -> RefreshTicket | None:
    if link is None or link.target_type.model_class() is not RefreshTicket:
        return None
    return (
        RefreshTicket.objects.select_related(
            "config__peripheral_bundle",
            "support_team",
            "existing_system__hardware_model",
            "proposed_model",
            "chosen_model",
            "user",
            "delegate",
            "booking__slot",
        )
        .filter(pk=link.target_id)
        .first()
    )


def _resolve(request, token: str) -> tuple[str, RefreshTicket]:
    """(purpose, ticket) for a live link, else ``_Invalid`` with a readable reason."""
    error: LinkInvalid | None = None
    client_key = client_key_for(request)
    for purpose in PURPOSES:
        try:
            # The rate limit counts one attempt per request, not one per purpose.
            link = access_link_resolve(token=token, purpose=purpose, client_key=client_key)
        except LinkRateLimited as exc:
            raise _Invalid(exc.reason, status=429) from exc
        except LinkInvalid as exc:
            client_key = ""
            if exc.link is not None or error is None:
                error = exc
            if exc.link is not None:
                break
            continue
        ticket = _ticket_of(link)
        if ticket is None:
            raise _Invalid("This link is not valid. Check that you used the whole link.")
        return purpose, ticket
    raise _Invalid(error.reason, _ticket_of(error.link))


def _invalid_response(request, reason: str, ticket: RefreshTicket | None = None, status=410):
    team = ticket.support_team if ticket is not None else None
    context = {
        "reason": reason,
        "contact_email": team.email if team else "",
        "contact_name": team.name if team else "",
    }
    response = render(request, "notifications/link_invalid.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _slot_purpose_open(purpose: str, ticket: RefreshTicket) -> bool:
    if purpose == PICK_SLOT:
        return ticket.status == S.PENDING_CUSTOMER_SCHEDULING
    if ticket.status != S.DELIVERY_SCHEDULED or ticket.delivery_at is None:
        return False
    # Moving the appointment is possible until the day before it.
    return timezone.localdate() < timezone.localdate(ticket.delivery_at)


def _gone(request, ticket):
    return _invalid_response(
        request, "This step is already done, or the request was closed.", ticket
    )


@never_cache
def entry(request, token: str):
    """The emailed link: the wizard, or the slot picker, depending on its purpose."""
    try:
        purpose, ticket = _resolve(request, token)
    except _Invalid as exc:
        return _invalid_response(request, exc.reason, exc.ticket, exc.status)
    if purpose == WIZARD:
        return _wizard(request, token, ticket, step=None)
    if not _slot_purpose_open(purpose, ticket):
        return _gone(request, ticket)
    return _slots(request, ticket, purpose)


@never_cache
def wizard_step(request, token: str, step: str):
    try:
        purpose, ticket = _resolve(request, token)
    except _Invalid as exc:
        return _invalid_response(request, exc.reason, exc.ticket, exc.status)
    if purpose != WIZARD:
        raise Http404
    return _wizard(request, token, ticket, step=step)


# --- wizard ---------------------------------------------------------------------
class Wizard:
    """What the wizard offers for one ticket, and its saved answers."""

    def __init__(self, ticket: RefreshTicket):
        self.ticket = ticket
        self.config = ticket.config
        progress = ticket.wizard_progress or {}
        self.answers: dict = dict(progress.get("answers") or {})
        self.done: list[str] = list(progress.get("done") or [])
        self.current: str = progress.get("step") or ""

    # options
    @property
    def steps(self) -> list[str]:
        steps = ["location", "device", "peripherals"]
        if self.config.can_customize_software:
            steps.append("software")
        return [*steps, "review"]

    def models_qs(self):
        config, proposed = self.config, self.ticket.proposed_model
        if not config.can_customize_computer and not config.can_customize_platform:
            return None
        approved = Q(pk__in=config.approved_models.filter(active=True).values("pk"))
        qs = HardwareModel.objects.filter(approved | Q(pk=proposed.pk) if proposed else approved)
        if proposed is not None and not config.can_customize_platform:
            qs = qs.filter(platform=proposed.platform)
        return qs.order_by("manufacturer", "name")

    def bundle(self) -> list[Peripheral]:
        bundle = self.config.peripheral_bundle
        return list(bundle.peripherals.all()) if bundle else []

    def peripherals_qs(self):
        ids = {p.pk for p in self.bundle()}
        ids |= set(self.config.approved_peripherals.values_list("pk", flat=True))
        return Peripheral.objects.filter(pk__in=ids)

    def device_model(self) -> HardwareModel | None:
        pk = self.answers.get("chosen_model")
        if pk:
            model = HardwareModel.objects.filter(pk=pk).first()
            if model is not None:
                return model
        return self.ticket.device_model

    def software_qs(self):
        qs = self.config.software_catalog.filter(active=True)
        model = self.device_model()
        if model is not None:
            qs = qs.filter(Q(platform="") | Q(platform=model.platform))
        return qs

    @property
    def location_kind(self) -> str:
        if self.ticket.style == RefreshStyle.REMOTE:
            return "remote"
        if self.ticket.style == RefreshStyle.USER_SPECIFIED_LOCATION:
            return "user_specified"
        return "on_prem"

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
            return forms.DeviceForm(ticket=self.ticket, models_qs=self.models_qs(), **kwargs)
        if step == "peripherals":
            if not self.config.can_customize_peripherals:
                return None
            return forms.PeripheralsForm(queryset=self.peripherals_qs(), **kwargs)
        if step == "software":
            return forms.SoftwareForm(queryset=self.software_qs(), **kwargs)
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
        a = self.answers
        answers: dict = {}
        if self.location_kind == "remote":
            keys = ("ship_to_name", "ship_street", "ship_street2", "ship_city")
            keys += ("ship_state", "ship_zip")
        elif self.location_kind == "on_prem":
            keys = ("location_building", "location_room", "location_notes")
        else:
            keys = ("location_notes",)
        answers.update({key: a[key] for key in keys if key in a})
        if self.models_qs() is not None and a.get("chosen_model"):
            answers["chosen_model"] = a["chosen_model"]
        if self.config.can_request_different_device and "none_fits" in a:
            answers["none_fits"] = a["none_fits"]
            answers["none_fits_reason"] = a.get("none_fits_reason", "")
            answers["inadequate_reason"] = a.get("inadequate_reason", "")
        if self.config.can_customize_peripherals:
            if "peripherals" in a:
                answers["peripherals"] = a["peripherals"]
        else:
            answers["peripherals"] = [p.pk for p in self.bundle()]
        if self.config.can_customize_software and "software_requests" in a:
            answers["software_requests"] = a["software_requests"]
        return answers

    def summary(self) -> dict:
        a = self.answers
        model = self.device_model()
        peripherals = (
            Peripheral.objects.filter(pk__in=a["peripherals"])
            if "peripherals" in a
            else self.bundle()
        )
        software = SoftwareTitle.objects.filter(pk__in=a.get("software_requests") or [])
        return {
            "location": {
                key: value for key, value in a.items() if key.startswith(("ship_", "location_"))
            },
            "model": model,
            "none_fits": a.get("none_fits", False),
            "none_fits_reason": a.get("none_fits_reason", ""),
            "peripherals": list(peripherals),
            "software": list(software),
        }


def _step_url(token: str, step: str) -> str:
    return reverse("refresh:customer_step", args=[token, step])


def _wizard(request, token: str, ticket: RefreshTicket, *, step: str | None):
    if ticket.status != S.PENDING_CUSTOMER:
        if ticket.wizard_submitted_at and ticket.status in SUBMITTED_STATUSES:
            return _submitted(request, ticket, already=step != "done")
        return _gone(request, ticket)
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
                    return _wizard(request, token, ticket, step=step)
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
                    return _gone(request, ticket)
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
        "returned_note": _returned_note(wizard.ticket) if index == 0 else "",
    }
    return render(request, "refresh/customer/wizard.html", context, status=status)


def _returned_note(ticket: RefreshTicket) -> str:
    """The approver's comment when the answers came back to the customer."""
    if ticket.wizard_submitted_at is not None:
        return ""
    event = (
        ticket.events.filter(kind=EventKind.COMMENT, summary__startswith="Returned to the customer")
        .order_by("-created_at", "-id")
        .first()
    )
    return (event.payload or {}).get("note", "") if event else ""


def _submitted(request, ticket: RefreshTicket, *, already: bool):
    context = {"ticket": ticket, "already": already}
    return render(request, "refresh/customer/submitted.html", context)


# --- slots ------------------------------------------------------------------------
def _slots(request, ticket: RefreshTicket, purpose: str):
    from scheduling.selectors import slots_bookable

    def bookable():
        qs = slots_bookable(team=ticket.support_team) if ticket.support_team_id else None
        if qs is None:
            return []
        if ticket.booking_id and ticket.booking and ticket.booking.cancelled_at is None:
            qs = qs.exclude(pk=ticket.booking.slot_id)
        return list(qs)

    if request.method == "POST":
        form = forms.SlotForm(request.POST)
        if form.is_valid():
            slot_id = form.cleaned_data["slot_id"]
            if slot_id not in {slot.pk for slot in bookable()}:
                messages.error(request, SLOT_UNAVAILABLE_MESSAGE)
            else:
                try:
                    ticket = ticket_book_slot(
                        ticket=ticket, slot_id=slot_id, actor_label="customer"
                    )
                except RefreshError as exc:
                    messages.error(request, " ".join(exc.messages))
                else:
                    return _booked(request, ticket, moved=purpose == RESCHEDULE)
        else:
            messages.error(request, "Pick one of the times below.")
        ticket.refresh_from_db()
    days = [
        {"day": day, "slots": list(items)}
        for day, items in groupby(bookable(), key=lambda s: timezone.localdate(s.start))
    ]
    context = {
        "ticket": ticket,
        "days": days,
        "reschedule": purpose == RESCHEDULE,
        "current_booking": ticket.booking if purpose == RESCHEDULE else None,
    }
    return render(request, "refresh/customer/slots.html", context)


def _booked(request, ticket: RefreshTicket, *, moved: bool):
    from scheduling.models import Booking

    booking = Booking.objects.select_related("slot").get(pk=ticket.booking_id)
    context = {"ticket": ticket, "booking": booking, "slot": booking.slot, "moved": moved}
    return render(request, "refresh/customer/booked.html", context)
