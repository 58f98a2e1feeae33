"""Empty forms of the staff order page, printed once per set of inputs (issue #17).

The compose, time-entry and planned-work forms were built and printed on every
view of the page (their fields copied, each staff picker's options printed),
although their HTML depends only on a few values: the people who work orders,
the order's actions, today's date, the compose form's initial values. Each is
printed once per distinct set of those values and the HTML reused; a change to
any of them is a new key, so nothing needs forgetting, and the least recently
used prints are dropped past ``SIZE``. Bound forms (a POST with errors) are
never kept: they are printed as before.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from common.form_render import form_html
from orders.forms.custom_fields import PlannedActionForm, TimeEntryForm
from orders.forms.desk import compose_form_class

SIZE = 512


class PrintedForms:
    """A bounded least-recently-used map of printed forms, safe across threads."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._prints: OrderedDict[Hashable, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], str]) -> SafeString:
        """The HTML printed for ``key``, printed with ``build`` the first time. The
        language is part of every key: labels and date formats follow it."""
        key = (get_language(), key)
        with self._lock:
            html = self._prints.get(key)
            if html is not None:
                self._prints.move_to_end(key)
                return mark_safe(html)  # noqa: S308
        html = build()
        with self._lock:
            self._prints[key] = html
            while len(self._prints) > self.size:
                self._prints.popitem(last=False)
        return mark_safe(html)  # noqa: S308

    def clear(self) -> None:
        with self._lock:
            self._prints.clear()


PRINTED = PrintedForms()


def _people(staff: Iterable, label: Callable) -> tuple:
    return tuple((person.pk, label(person)) for person in staff)


def time_form_html(*, order, actions: list) -> SafeString:
    """The empty "log time" form of ``order``: its options are the order's actions,
    its day starts (and ends) at today."""
    today = timezone.localdate().isoformat()
    key = ("time", today, tuple((a.pk, a.position, a.name) for a in actions))
    return PRINTED.get(
        key, lambda: form_html(TimeEntryForm(order=order, actions=actions, prefix="time"))
    )


def plan_form_html(*, staff: list) -> SafeString:
    """The empty "planned work" form: its owner picker lists the people who work orders."""
    key = ("plan", _people(staff, lambda person: person.display_name))
    return PRINTED.get(key, lambda: form_html(PlannedActionForm(staff=staff, prefix="plan")))


def compose_form_html(*, initial: dict, staff: list) -> SafeString:
    """The compose form with ``initial`` values (kind, To, subject, a canned
    response's body...); its pickers list ``staff``."""
    key = ("compose", _people(staff, str), tuple(sorted(initial.items())))
    return PRINTED.get(key, lambda: form_html(compose_form_class()(initial=initial, staff=staff)))
