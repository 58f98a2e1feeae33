"""The slot calendar's days printed in Python, ready for the page.

The week (a ``<section>`` per day with its slots or its teams' totals) and the
month (a table row per week) were template loops: about 800 variables, filters
and tags a request, most of the page's time (issue #17: 66 ms of CPU for the
week of every team at 100k slots). Here each value is worked out once: dates
and times spelled out (Django's format parser cost more than the rest of a
cell), the links made from one ``reverse`` each, team names escaped once per
team, the CSRF token read once for every delete form.

The markup is the templates' (``tests/scheduling/test_calendar_html.py`` keeps
the template each piece replaced and compares both outputs, whitespace aside).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.urls import reverse
from django.utils.dates import MONTHS, MONTHS_3, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from common.form_render import csrf_input

from .selectors import CalendarDay


@dataclass(frozen=True, slots=True)
class _Names:
    """Day and month names in the active language, escaped (what ``|date`` prints)."""

    weekdays: tuple[str, ...]
    weekdays_abbr: tuple[str, ...]
    months: dict[int, str]
    months_3: dict[int, str]

    @classmethod
    def now(cls) -> _Names:
        return cls(
            weekdays=tuple(escape(WEEKDAYS[i]) for i in range(7)),
            weekdays_abbr=tuple(escape(WEEKDAYS_ABBR[i]) for i in range(7)),
            months={m: escape(MONTHS[m]) for m in MONTHS},
            months_3={m: escape(str(MONTHS_3[m]).title()) for m in MONTHS_3},
        )

    def short(self, day) -> str:
        """``|date:"D M j"``."""
        return f"{self.weekdays_abbr[day.weekday()]} {self.months_3[day.month]} {day.day}"

    def long(self, day) -> str:
        """``|date:"l, F j"``."""
        return f"{self.weekdays[day.weekday()]}, {self.months[day.month]} {day.day}"


def _plural(count: int) -> str:
    """``|pluralize`` of a count."""
    return "" if count == 1 else "s"


def _iso(day) -> str:
    """``|date:"Y-m-d"``."""
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def _clock(moment) -> str:
    """``|time:"H:i"``."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def _free_badge(free: int) -> str:
    return "badge--success" if free else "badge--warning"


def _url_pattern(name: str) -> tuple[str, str]:
    """``reverse(name, args=[pk])`` as (before, after) the pk, reversed once."""
    before, after = reverse(name, args=[0]).rsplit("/0/", 1)
    return f"{before}/", f"/{after}"


def _day_notes(day: CalendarDay, names: _Names) -> tuple[str, list[str]]:
    """A week day's opening tag and heading, then its notes (opened, counts or closed)."""
    classes = "cal-day"
    if not day.is_business_day:
        classes += " cal-day--closed"
    today = ""
    if day.is_today:
        classes += " cal-day--today"
        today = ' <span class="badge badge--primary">Today</span>'
    ymd = f"{day.date.year:04d}{day.date.month:02d}{day.date.day:02d}"
    head = (
        f'  <section class="{classes}" aria-labelledby="day-{ymd}">\n'
        f'    <h3 id="day-{ymd}">{names.short(day.date)}{today}</h3>\n'
    )
    holiday = escape(day.holiday) if day.holiday else ""
    notes = []
    if day.opened:
        named = f" ({holiday})" if holiday else ""
        notes.append(
            '<p class="small"><span class="badge badge--warning">Opened exception</span>'
            f" Closed day{named} opened for one-off slots.</p>"
        )
    count = day.slot_count
    if count:
        notes.append(f'<p class="small muted">{day.booked} booked · {day.free} free</p>')
    elif not day.is_business_day:
        named = f": {holiday}" if holiday else ""
        notes.append(f'<p class="small muted">Closed{named}</p>')
    return head, notes


def week_html(
    days: Sequence[CalendarDay],
    *,
    by_team: bool,
    team_week_query: str,
    show_team: bool,
    can_manage: bool,
    csrf_token: str,
) -> SafeString:
    """The week's days: each slot (``by_team`` false) or each team's totals per day.

    ``team_week_query`` is the query string of a team's week without its team;
    ``show_team`` names each slot's team (the page is not one team's);
    ``can_manage`` adds each slot's delete form with ``csrf_token``.
    """
    names = _Names.now()
    team_names: dict[int, str] = {}
    detail_url = _url_pattern("scheduling:slot_detail")
    delete_url = _url_pattern("scheduling:slot_delete")
    csrf = csrf_input(csrf_token)
    team_week = escape(team_week_query)
    out = []
    for day in days:
        head, notes = _day_notes(day, names)
        out.append(head)
        out.extend(f"    {note}\n" for note in notes)
        out.append('    <ul class="cal-slots">\n')
        if by_team:
            for t in day.teams:
                name = team_names.get(t.team_id) or team_names.setdefault(
                    t.team_id, escape(t.team_name)
                )
                out.append(
                    f'      <li class="cal-slot{"" if t.free else " cal-slot--full"}">\n'
                    f'        <a href="?{team_week}&amp;team={t.team_id}">'
                    f'<span class="cal-slot__team">{name}</span></a>\n'
                    f'        <span class="badge {_free_badge(t.free)}">{t.slots}'
                    f" slot{_plural(t.slots)} · {t.booked} booked · {t.free} free</span>\n"
                    "      </li>\n"
                )
        else:
            out.extend(
                _slot_items(
                    day.slots,
                    names=names,
                    team_names=team_names,
                    show_team=show_team,
                    delete_form=(delete_url, csrf) if can_manage else None,
                    detail_url=detail_url,
                )
            )
        out.append("    </ul>\n  </section>\n")
    return mark_safe("".join(out))


def _slot_items(
    slots: Iterable,
    *,
    names: _Names,
    team_names: dict[int, str],
    show_team: bool,
    delete_form: tuple[tuple[str, str], str] | None,
    detail_url: tuple[str, str],
) -> list[str]:
    out = []
    for slot in slots:
        name = team_names.get(slot.team_id) or team_names.setdefault(
            slot.team_id, escape(slot.team_name)
        )
        start, end = localtime(slot.start), localtime(slot.end)
        starts = _clock(start)
        free = slot.free
        out.append(
            f'      <li class="cal-slot{"" if free else " cal-slot--full"}">\n'
            f'        <a href="{detail_url[0]}{slot.pk}{detail_url[1]}">\n'
            f'          <span class="cal-slot__time">{starts}–{_clock(end)}</span>\n'
        )
        if show_team:
            out.append(f'          <span class="cal-slot__team">{name}</span>\n')
        out.append(
            "        </a>\n"
            f'        <span class="badge {_free_badge(free)}">{slot.booked_count}/'
            f"{slot.capacity} booked · {free} free</span>\n"
        )
        if delete_form:
            (before, after), csrf = delete_form
            what = f"the {name} slot on {names.short(start)} at {starts}"
            out.append(
                f'        <form method="post" action="{before}{slot.pk}{after}"'
                f' class="cal-slot__delete">{csrf}\n'
                '          <button type="submit" class="btn btn--danger btn--small"'
                f' aria-label="Delete {what}" data-confirm="Delete {what}?">Delete</button>\n'
                "        </form>\n"
            )
        out.append("      </li>\n")
    return out


def month_html(weeks: Sequence[Sequence[CalendarDay]], *, week_query: str) -> SafeString:
    """The month's table rows, one a week; each day links to its week
    (``week_query``: the query string of a week without its date)."""
    names = _Names.now()
    week = escape(week_query)
    out = []
    for days in weeks:
        out.append("      <tr>\n")
        for day in days:
            classes = "cal-month__day"
            if not day.in_month:
                classes += " cal-month__day--outside"
            if not day.is_business_day:
                classes += " cal-day--closed"
            if day.is_today:
                classes += " cal-day--today"
            date = day.date
            out.append(
                f'        <td class="{classes}">\n'
                f'          <a href="?{week}&amp;date={_iso(date)}" class="cal-month__date"'
                f' aria-label="Week of {names.long(date)}">{date.day}</a>\n'
            )
            holiday = escape(day.holiday) if day.holiday else ""
            named = f": {holiday}" if holiday else ""
            if day.opened:
                out.append(
                    f'          <span class="badge badge--warning">Opened exception{named}</span>\n'
                )
            count = day.slot_count
            if count:
                free, slots = day.free, f"{count} slot{_plural(count)}"
                out.append(
                    f'          <span class="cal-month__counts">{slots}</span>\n'
                    f'          <span class="badge badge--primary">{day.booked} booked</span>\n'
                    f'          <span class="badge {_free_badge(free)}">{free} free</span>\n'
                )
            elif not day.is_business_day and day.in_month:
                out.append(f'          <span class="muted small">Closed{named}</span>\n')
            out.append("        </td>\n")
        out.append("      </tr>\n")
    return mark_safe("".join(out))
