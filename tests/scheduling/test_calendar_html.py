"""The calendar's days printed in Python (scheduling/calendar_html.py) print what
the template loops they replaced printed.

``WEEK_TEMPLATE`` and ``MONTH_TEMPLATE`` are those loops as they were in
``calendar.html``; each case renders both and compares them with whitespace
runs made one space (the Python output leaves out the template's blank lines).
A change to the calendar's markup changes both, here and in calendar_html.py.
"""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone
from django.utils.html import escape

from scheduling.calendar_html import month_html, week_html
from scheduling.selectors import CalendarDay, SlotRow, SlotTotals, TeamDay

DETROIT = ZoneInfo("America/Detroit")

WEEK_TEMPLATE = """{% load l10n %}{% localize off %}
  {% for d in days %}
  <section class="cal-day{% if not d.is_business_day %} cal-day--closed{% endif %}{% if d.is_today %} cal-day--today{% endif %}" aria-labelledby="day-{{ d.date|date:'Ymd' }}">
    <h3 id="day-{{ d.date|date:'Ymd' }}">{{ d.date|date:"D M j" }}{% if d.is_today %} <span class="badge badge--primary">Today</span>{% endif %}</h3>
    {% if d.opened %}<p class="small"><span class="badge badge--warning">Opened exception</span> Closed day{% if d.holiday %} ({{ d.holiday }}){% endif %} opened for one-off slots.</p>{% endif %}
    {% if d.slot_count %}<p class="small muted">{{ d.booked }} booked · {{ d.free }} free</p>{% elif not d.is_business_day %}<p class="small muted">Closed{% if d.holiday %}: {{ d.holiday }}{% endif %}</p>{% endif %}
    {% if by_team %}
    <ul class="cal-slots">
      {% for t in d.teams %}
      <li class="cal-slot{% if not t.free %} cal-slot--full{% endif %}">
        <a href="?{{ team_week_base }}&amp;team={{ t.team_id }}"><span class="cal-slot__team">{{ t.team_name }}</span></a>
        <span class="badge {% if t.free %}badge--success{% else %}badge--warning{% endif %}">{{ t.slots }} slot{{ t.slots|pluralize }} · {{ t.booked }} booked · {{ t.free }} free</span>
      </li>
      {% endfor %}
    </ul>
    {% else %}
    <ul class="cal-slots">
      {% for slot in d.slots %}
      <li class="cal-slot{% if not slot.free %} cal-slot--full{% endif %}">
        <a href="{% url 'scheduling:slot_detail' slot.pk %}">
          <span class="cal-slot__time">{{ slot.start|time:"H:i" }}–{{ slot.end|time:"H:i" }}</span>
          {% if not team %}<span class="cal-slot__team">{{ slot.team_name }}</span>{% endif %}
        </a>
        <span class="badge {% if slot.free %}badge--success{% else %}badge--warning{% endif %}">{{ slot.booked_count }}/{{ slot.capacity }} booked · {{ slot.free }} free</span>
        {% if can_manage %}
        <form method="post" action="{% url 'scheduling:slot_delete' slot.pk %}" class="cal-slot__delete">{% csrf_token %}
          <button type="submit" class="btn btn--danger btn--small" aria-label="Delete the {{ slot.team_name }} slot on {{ slot.start|date:'D M j' }} at {{ slot.start|time:'H:i' }}" data-confirm="Delete the {{ slot.team_name }} slot on {{ slot.start|date:'D M j' }} at {{ slot.start|time:'H:i' }}?">Delete</button>
        </form>
        {% endif %}
      </li>
      {% endfor %}
    </ul>
    {% endif %}
  </section>
  {% endfor %}
{% endlocalize %}"""  # noqa: E501

MONTH_TEMPLATE = """{% load l10n %}{% localize off %}
    {% for week in weeks %}
      <tr>
      {% for d in week %}
        <td class="cal-month__day{% if not d.in_month %} cal-month__day--outside{% endif %}{% if not d.is_business_day %} cal-day--closed{% endif %}{% if d.is_today %} cal-day--today{% endif %}">
          <a href="?{{ week_link_base }}&amp;date={{ d.date|date:'Y-m-d' }}" class="cal-month__date" aria-label="Week of {{ d.date|date:'l, F j' }}">{{ d.date|date:"j" }}</a>
          {% if d.opened %}<span class="badge badge--warning">Opened exception{% if d.holiday %}: {{ d.holiday }}{% endif %}</span>{% endif %}
          {% if d.slot_count %}
          <span class="cal-month__counts">{{ d.slot_count }} slot{{ d.slot_count|pluralize }}</span>
          <span class="badge badge--primary">{{ d.booked }} booked</span>
          <span class="badge {% if d.free %}badge--success{% else %}badge--warning{% endif %}">{{ d.free }} free</span>
          {% elif not d.is_business_day and d.in_month %}
          <span class="muted small">Closed{% if d.holiday %}: {{ d.holiday }}{% endif %}</span>
          {% endif %}
        </td>
      {% endfor %}
      </tr>
    {% endfor %}
{% endlocalize %}"""  # noqa: E501

TOKEN = "tok3n-with-&-in-it"
ODD_NAME = "R&D <Lab> \"Q\" 'x'"


def spaced(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


def slot(pk, start, *, team_id=1, team_name="Desk", minutes=45, capacity=3, booked=0, opens=False):
    return SlotRow(
        pk=pk,
        start=start,
        end=start + dt.timedelta(minutes=minutes),
        team_id=team_id,
        team_name=team_name,
        capacity=capacity,
        booked_count=booked,
        opens_closed_day=opens,
    )


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=DETROIT)


def week_of(monday: dt.date) -> list[CalendarDay]:
    """A week with every kind of day the page shows: slots free and full, a
    holiday closed and one opened, a named team needing escapes, today, an empty
    Saturday, a Sunday with a slot past midnight UTC."""
    days = [CalendarDay(date=monday + dt.timedelta(days=i)) for i in range(7)]
    mon, tue, wed, thu, fri, sat, sun = days
    mon.slots = [
        slot(11, at(mon.date, 9, 30), booked=3),
        slot(12, at(mon.date, 9, 30), team_id=2, team_name=ODD_NAME, booked=1),
    ]
    tue.is_today = True
    tue.slots = [slot(13, at(tue.date, 7, 5), capacity=1, minutes=90)]
    wed.is_business_day, wed.holiday = False, "Washington's Birthday"
    thu.is_business_day, thu.holiday = False, "Thanksgiving Day"
    thu.slots = [slot(14, at(thu.date, 11), opens=True)]
    fri.slots = [slot(15, at(fri.date, 0, 0), booked=2, minutes=15)]
    sat.is_business_day = False
    sun.is_business_day = False
    sun.slots = [slot(16, at(sun.date, 23, 45), opens=True)]
    return days


def week_by_team(monday: dt.date) -> list[CalendarDay]:
    days = week_of(monday)
    for day in days:
        day.teams = [
            TeamDay(
                team_id=t.team_id,
                team_name=t.team_name,
                slots=n,
                booked=t.booked_count,
                free=t.free,
                opens_closed_day=t.opens_closed_day,
            )
            for n, t in enumerate(day.slots, start=1)
        ]
        day.slots = []
    return days


def render(template: str, **context) -> str:
    return Template(template).render(Context({"csrf_token": TOKEN, **context}))


@pytest.mark.parametrize("monday", [dt.date(2026, 11, 23), dt.date(2027, 3, 8)])
@pytest.mark.parametrize("can_manage", [True, False])
@pytest.mark.parametrize("team", [None, 2])
def test_a_week_of_slots_prints_what_the_template_printed(monday, can_manage, team):
    days = week_of(monday)
    query = f"view=week&date={monday.isoformat()}"
    printed = week_html(
        days,
        by_team=False,
        team_week_query=query,
        show_team=team is None,
        can_manage=can_manage,
        csrf_token=TOKEN,
    )
    expected = render(
        WEEK_TEMPLATE,
        days=days,
        by_team=False,
        team=team,
        can_manage=can_manage,
        team_week_base=query,
    )
    assert spaced(printed) == spaced(expected)
    # The team's name is escaped wherever it is printed.
    assert ("Delete the R&amp;D &lt;Lab&gt; &quot;Q&quot; &#x27;x&#x27; slot on" in printed) == (
        can_manage
    )
    assert (f'<span class="cal-slot__team">{escape(ODD_NAME)}</span>' in printed) == (team is None)
    assert ODD_NAME not in printed


def test_a_week_of_team_totals_prints_what_the_template_printed():
    days = week_by_team(dt.date(2026, 11, 23))
    query = "view=week&date=2026-11-23"
    printed = week_html(
        days,
        by_team=True,
        team_week_query=query,
        show_team=True,
        can_manage=True,
        csrf_token=TOKEN,
    )
    expected = render(WEEK_TEMPLATE, days=days, by_team=True, team_week_base=query)
    assert spaced(printed) == spaced(expected)
    assert "?view=week&amp;date=2026-11-23&amp;team=2" in printed
    assert "2 slots · 1 booked · 2 free" in printed


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_of_a_year_prints_what_the_template_printed(month):
    """Every date's names and numbers, with the month's days in every state."""
    import calendar

    weeks = []
    for week in calendar.Calendar().monthdatescalendar(2026, month):
        days = []
        for date in week:
            day = CalendarDay(
                date=date,
                in_month=date.month == month,
                is_business_day=date.weekday() < 5 and date.day % 9 != 0,
                is_today=date == dt.date(2026, month, 14),
                holiday="New Year's <Day>" if date.day % 9 == 0 else None,
            )
            if date.day % 3 == 0:
                day.totals = SlotTotals(
                    slots=date.day % 5,
                    booked=date.day % 4,
                    free=date.day % 2,
                    opens_closed_day=date.day % 6 == 0,
                )
            days.append(day)
        weeks.append(days)
    query = "view=week&team=7"
    printed = month_html(weeks, week_query=query)
    expected = render(MONTH_TEMPLATE, weeks=weeks, week_link_base=query)
    assert spaced(printed) == spaced(expected)


def test_slot_times_are_printed_in_the_current_time_zone():
    monday = dt.date(2026, 11, 23)
    day = CalendarDay(date=monday, slots=[slot(1, at(monday, 9, 30))])
    with timezone.override(ZoneInfo("UTC")):
        printed = week_html(
            [day],
            by_team=False,
            team_week_query="",
            show_team=True,
            can_manage=True,
            csrf_token=TOKEN,
        )
        expected = render(WEEK_TEMPLATE, days=[day], can_manage=True)
    assert "14:30–15:15" in printed
    assert spaced(printed) == spaced(expected)
