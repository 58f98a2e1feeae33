"""Filling in a page's form the way a person does, for the load scenario.

``form_fields(html)`` reads the first POST form of a page (the CSRF token and
every field with the value it is shown with: pre-filled inputs, checked boxes,
selected options) and ``fill(fields, answers)`` types ``answers`` into the fields
that are present and still empty, so a wizard step is submitted with what the
page offered plus what a customer would type. Standard library only: imported
by the Locust scenario (gevent) and by the benchmark's own check.
"""

from __future__ import annotations

from html.parser import HTMLParser

# What a person types into the fields the seeded data leaves empty.
ANSWERS = {
    "ship_to_name": "Load Customer",
    "ship_street": "500 S State St",
    "ship_city": "Ann Arbor",
    "ship_state": "MI",
    "ship_zip": "48109",
    "location_building": "Fleming",
    "location_room": "2010",
    "location_notes": "Front desk, second floor",
}


class _FormParser(HTMLParser):
    """The first ``<form method="post">`` that is not the sign-out form."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.action: str | None = None
        self._in_form = self._done = False
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_picked = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self._done:
            return
        if tag == "form" and (a.get("method") or "").lower() == "post":
            if "logout" in (a.get("action") or ""):
                return
            self._in_form, self.action = True, a.get("action")
            return
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "image", "file", "reset"):
                self.fields.append((name, a.get("value") or ""))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_picked = name, None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None and value:
                self._select_first = value
            if "selected" in a:
                self.fields.append((self._select, value))
                self._select_picked = True
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if not self._in_form:
            return
        if tag == "select" and self._select:
            if not self._select_picked and self._select_first:
                # A required choice with nothing pre-selected: the first real option.
                self.fields.append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, "".join(self._text).strip()))
            self._textarea = None
        elif tag == "form":
            self._in_form, self._done = False, True


def form_fields(html: str) -> tuple[str | None, list[tuple[str, str]]]:
    """(the form's action or None for "this page", its fields as shown)."""
    parser = _FormParser()
    parser.feed(html)
    return parser.action, parser.fields


def fill(fields: list[tuple[str, str]], answers: dict | None = None) -> list[tuple[str, str]]:
    """``fields`` with the empty ones among ``answers`` typed in."""
    answers = ANSWERS if answers is None else answers
    return [(name, value or answers.get(name, "")) for name, value in fields]
