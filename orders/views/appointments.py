"""A technician's day: their install appointments by day or week, and a personal ICS feed."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from orders import selectors as sel
from orders.roles import can_work_orders

from .staff import orders_staff

FEED_DAYS_BACK = 30


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _entry_text(booking, order) -> tuple[str, str]:
    software = ", ".join(str(title) for title in order.software.all())
    summary = f"Order {order.number}: install for {order.subject_name}"
    description = "\n".join(
        part
        for part in (
            f"{order.organization.name} · computer {order.workstation}",
            f"Software: {software}" if software else "",
            booking.slot.location_note,
        )
        if part
    )
    return summary, description


@orders_staff
@require_GET
def staff_appointments(request):
    """My appointments: the installs I own, one day or the week (Monday to Sunday)."""
    view = "day" if request.GET.get("view") == "day" else "week"
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = timezone.localdate()
    first = day if view == "day" else day - dt.timedelta(days=day.weekday())
    length = 1 if view == "day" else 7
    rows = sel.technician_appointments(
        user=request.user,
        start=_day_start(first),
        end=_day_start(first + dt.timedelta(days=length)),
    )
    days = [
        {
            "date": first + dt.timedelta(days=n),
            "rows": [
                (booking, order)
                for booking, order in rows
                if timezone.localtime(booking.slot.start).date() == first + dt.timedelta(days=n)
            ],
        }
        for n in range(length)
    ]
    from scheduling.selectors import calendar_feed_of

    return render(
        request,
        "orders/staff/appointments.html",
        {
            "view": view,
            "days": days,
            "count": len(rows),
            "first": first,
            "previous": first - dt.timedelta(days=length),
            "next": first + dt.timedelta(days=length),
            "today": timezone.localdate(),
            # Feed secrets are stored hashed: the link is shown once, when made.
            "feed": calendar_feed_of(user=request.user),
        },
    )


@orders_staff
@require_POST
def appointments_feed_create(request):
    """Make the technician's personal calendar link and show it this once.

    The same secret as the slot calendar's feed (one per person): making a new
    one stops calendars subscribed with the old link.
    """
    from scheduling.services import calendar_feed_create

    token = calendar_feed_create(user=request.user)
    response = render(
        request,
        "orders/staff/appointments_feed_created.html",
        {"feed_url": request.build_absolute_uri(reverse("orders:appointments_feed", args=[token]))},
    )
    response["Cache-Control"] = "no-store"
    return response


def appointments_feed(request, token: str):
    """The same appointments for a calendar app, from a month back on; the token is the key."""
    from scheduling.ics import bookings_feed_ics
    from scheduling.selectors import calendar_feed_token_find

    found = calendar_feed_token_find(token=token)
    if found is None or not can_work_orders(found.user):
        raise Http404("Unknown calendar link.")
    start = timezone.now() - dt.timedelta(days=FEED_DAYS_BACK)
    rows = sel.technician_appointments(
        user=found.user, start=start, end=start + dt.timedelta(days=3650)
    )
    body = bookings_feed_ics(
        entries=[(booking, *_entry_text(booking, order)) for booking, order in rows],
        name=f"Handover: {found.user.get_short_name() or found.user.email}'s appointments",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="appointments.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
