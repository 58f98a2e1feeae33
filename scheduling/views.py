"""Staff pages: slot calendar (week/month), slot details, slot preferences, ICS feeds."""

from __future__ import annotations

import copy
import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from common.form_render import field_html
from common.forms import error_text, form_add_service_error
from notifications.links import (
    RETRY_AFTER_SECONDS,
    LinkRateLimited,
    client_key_for,
    link_guess_record,
)

from . import selectors, services
from .calendar_html import month_html, week_html
from .forms import CalendarFilterForm, OneOffSlotForm, SlotPreferenceForm
from .ics import slots_feed_ics
from .roles import can_manage_slots, can_view_calendar

viewer_required = role_required(check=can_view_calendar)

# The all-teams week lists each slot up to this many; above, each team's totals.
WEEK_SLOTS_SHOWN = 80
admin_required = role_required(check=can_manage_slots)


def _shift_month(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _default_day(view: str) -> dt.date:
    """Today; on a weekend the week view opens on the coming week (the one staff plan)."""
    today = timezone.localdate()
    if view == "week" and today.weekday() >= 5:
        return today + dt.timedelta(days=7 - today.weekday())
    return today


@viewer_required
def calendar(request):
    """Week or month of slots with booked and free places, filtered by team."""
    teams = list(selectors.support_teams_all())
    form = CalendarFilterForm(request.GET or None, teams=teams)
    data = form.cleaned_data if form.is_valid() else {}
    view = data.get("view") or "week"
    day = data.get("date") or _default_day(view)
    team = data.get("team")
    team_ids = [team.pk] if team else None

    base = {"view": view}
    if team:
        base["team"] = team.pk

    def link(**params) -> str:
        return "?" + urlencode({**base, **params})

    can_manage = can_manage_slots(request.user)
    context = {
        "form": form,
        "filter_fields": mark_safe(field_html(form["team"]) + field_html(form["date"])),
        "team": team,
        "view": view,
        "day": day,
        "can_manage": can_manage,
        "week_url": "?" + urlencode({**base, "view": "week", "date": day.isoformat()}),
        "month_url": "?" + urlencode({**base, "view": "month", "date": day.isoformat()}),
        "today_url": link(),
    }
    if view == "month":
        first = day.replace(day=1)
        weeks = selectors.calendar_month_totals(year=day.year, month=day.month, team_ids=team_ids)
        context.update(
            weeks=weeks,
            month_rows=month_html(weeks, week_query=urlencode({**base, "view": "week"})),
            period_label=first.strftime("%B %Y"),
            prev_url=link(date=_shift_month(first, -1).isoformat()),
            next_url=link(date=_shift_month(first, 1).isoformat()),
        )
    else:
        # Every team's week lists each slot up to WEEK_SLOTS_SHOWN; with more than
        # a person reads, each day lists its teams' totals instead, each linking to
        # that team's week (both read, so the page's queries are the same either
        # way; a team's own week always lists its slots).
        limit = WEEK_SLOTS_SHOWN + 1 if team is None else None
        days = selectors.calendar_week_rows(day=day, team_ids=team_ids, limit=limit)
        by_team = None
        if limit:
            by_team = selectors.calendar_week_teams(day=day)
            if sum(d.slot_count for d in days) >= limit:
                days = by_team
        context.update(
            days=days,
            by_team=days is by_team,
            week_days=week_html(
                days,
                by_team=days is by_team,
                team_week_query=urlencode({"view": "week", "date": day.isoformat()}),
                show_team=team is None,
                can_manage=can_manage,
                csrf_token=get_token(request) if can_manage else "",
            ),
            has_slots=any(d.slot_count for d in days),
            period_label=f"Week of {days[0].date:%B} {days[0].date.day}, {days[0].date.year}",
            prev_url=link(date=(days[0].date - dt.timedelta(days=7)).isoformat()),
            next_url=link(date=(days[0].date + dt.timedelta(days=7)).isoformat()),
        )
    context["feed"] = selectors.calendar_feed_of(user=request.user)
    return render(request, "scheduling/calendar.html", context)


@viewer_required
def slot_detail(request, pk: int):
    slot = selectors.slot_get(slot_id=pk)
    if slot is None:
        raise Http404("No such slot.")
    return render(
        request,
        "scheduling/slot_detail.html",
        {
            "slot": slot,
            "bookings": list(selectors.slot_bookings(slot=slot)),
            "can_manage": can_manage_slots(request.user),
        },
    )


@admin_required
@require_POST
def slot_delete(request, pk: int):
    slot = selectors.slot_get(slot_id=pk)
    if slot is None:
        raise Http404("No such slot.")
    cancel = request.POST.get("cancel_bookings") == "1"
    try:
        done = services.slot_delete(slot=slot, by=request.user, cancel_bookings=cancel)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("scheduling:slot_detail", pk=pk)
    local = timezone.localtime(slot.start)
    text = f"Deleted the {slot.team.name} slot on {local:%a %b %d at %H:%M}."
    if done.cancelled:
        text += f" {done.cancelled} booking(s) cancelled;"
        text += (
            f" {done.customers_asked} customer(s) emailed to pick a new time."
            if done.customers_asked != 1
            else " 1 customer emailed to pick a new time."
        )
    messages.success(request, text)
    query = urlencode({"view": "week", "date": local.date().isoformat()})
    return redirect(f"{reverse('scheduling:calendar')}?{query}")


@admin_required
def slot_create(request):
    initial = {}
    if request.GET.get("team", "").isdigit():
        initial["team"] = int(request.GET["team"])
    form = OneOffSlotForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            slot = services.slot_create_one_off(
                team=data["team"],
                start=form.start(),
                duration_minutes=data["duration_minutes"],
                capacity=data["capacity"],
                location_note=data["location_note"],
                created_by=request.user,
                open_closed_day=data["open_closed_day"],
            )
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, "Slot added.")
            query = urlencode(
                {"view": "week", "date": timezone.localtime(slot.start).date().isoformat()}
            )
            return redirect(f"{reverse('scheduling:calendar')}?{query}")
    return render(request, "scheduling/slot_form.html", {"form": form})


@admin_required
def preference_list(request):
    prefs = selectors.slot_preferences_list()
    page = Paginator(prefs, 50).get_page(request.GET.get("page"))
    return render(request, "scheduling/preference_list.html", {"page": page})


def _preference_save(request, form, preference=None):
    data = {name: form.cleaned_data[name] for name in form.Meta.fields}
    try:
        if preference is None:
            return services.slot_preference_create(**data)
        team = data.pop("team")
        if team.pk != preference.team_id:
            form.add_error("team", "A pattern stays with its team; add a new one instead.")
            return None
        return services.slot_preference_update(preference=preference, by=request.user, **data)
    except ValidationError as exc:
        form_add_service_error(form, exc)
        return None


def _preference_or_404(pk: int):
    preference = selectors.slot_preference_get(preference_id=pk)
    if preference is None:
        raise Http404("No such slot pattern.")
    return preference


@admin_required
def preference_create(request):
    form = SlotPreferenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = _preference_save(request, form)
        if saved is not None:
            messages.success(request, f"Added {saved}. It shows in days generated from now on.")
            return redirect("scheduling:preference_list")
    return render(request, "scheduling/preference_form.html", {"form": form, "preference": None})


@admin_required
def preference_edit(request, pk: int):
    preference = _preference_or_404(pk)
    # The form validates a copy: a ModelForm writes its input onto its instance,
    # and the service must see the saved values to know what changed.
    form = SlotPreferenceForm(request.POST or None, instance=copy.copy(preference))
    if request.method == "POST" and form.is_valid():
        saved = _preference_save(request, form, preference)
        if saved is not None:
            messages.success(request, f"Saved {saved}. Days already generated keep their slots.")
            return redirect("scheduling:preference_list")
    return render(
        request, "scheduling/preference_form.html", {"form": form, "preference": preference}
    )


@admin_required
@require_POST
def preference_deactivate(request, pk: int):
    preference = _preference_or_404(pk)
    services.slot_preference_deactivate(preference=preference)
    messages.success(request, f"Deactivated {preference}. Existing slots stay.")
    return redirect("scheduling:preference_list")


@viewer_required
@require_POST
def feed_create(request):
    """Make the person's feed links and show them this once (they are stored hashed)."""
    token = services.calendar_feed_create(user=request.user)
    teams = selectors.support_teams_all()
    context = {
        "feed_all_url": request.build_absolute_uri(reverse("scheduling:feed_all", args=[token])),
        "feed_team_urls": [
            (t, request.build_absolute_uri(reverse("scheduling:feed_team", args=[token, t.pk])))
            for t in teams
        ],
    }
    response = render(request, "scheduling/feed_created.html", context)
    response["Cache-Control"] = "no-store"
    return response


@viewer_required
@require_POST
def feed_revoke(request):
    if services.calendar_feed_revoke(user=request.user):
        messages.success(request, "Calendar feed turned off. Subscribed calendars stop updating.")
    return redirect(reverse("scheduling:calendar") + "#feeds")


def _feed_response(request, token: str, team_id: int | None):
    found = selectors.calendar_feed_token_find(token=token)
    if found is None:
        try:
            link_guess_record(client_key=client_key_for(request), token=token)
        except LinkRateLimited as exc:
            response = HttpResponse(exc.reason, status=429, content_type="text/plain")
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        raise Http404("Unknown calendar link.")
    if not can_view_calendar(found.user):
        raise Http404("Unknown calendar link.")
    if team_id is None:
        name = "Handover slots: all teams"
    else:
        team = selectors.support_team_get(team_id=team_id)
        if team is None:
            raise Http404("Unknown team.")
        name = f"Handover slots: {team.name}"
    body = slots_feed_ics(slots=selectors.slots_for_feed(team_id=team_id), name=name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="slots.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


def feed_all(request, token: str):
    """Every team's slots, for a calendar app; the token is the credential."""
    return _feed_response(request, token, None)


def feed_team(request, token: str, team_id: int):
    return _feed_response(request, token, team_id)
