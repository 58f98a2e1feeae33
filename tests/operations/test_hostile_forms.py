"""Every form view, fed hypothesis-generated hostile input, answers without a 500
and writes nothing when it refuses (issue 14 item 10).

The list of form views is derived, not written: every URL of the permission
table (``tests/test_permissions_table.py``, which fails for a URL without a
row) is opened on the demo world (``tests/pages.py``) as the first role its
row allows; every POST form on those pages is a target, with its own default
values. A POST-only URL of the table that no form on those pages posts to
(its object is not in a state that offers it) is posted to directly with the
field names of every form; only ``EXCLUDED`` URLs, each with its reason, are
left out, so a new form view cannot be missed.

For each target, hypothesis draws a few examples: the form's defaults with one
or two fields replaced by huge or negative numbers, far dates, long and odd
Unicode, wrong types (lists, ids that are not numbers). Each POST runs in a
savepoint that is rolled back. A refused POST (4xx, or the form shown again
with its errors) must not have written a row: the tables its SQL wrote to
(outside ``BOOKKEEPING_TABLES``) must hold the rows they held before it.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

import lxml.html
import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.pages import WHO, DemoWorld
from tests.test_permissions_table import _rows

pytestmark = pytest.mark.django_db

# A few per form keeps the test near a minute; HOSTILE_EXAMPLES=50 for a deep run.
EXAMPLES_PER_FORM = int(os.environ.get("HOSTILE_EXAMPLES", "3"))

# URL names that accept a POST but are not fed from a form on a page of the
# world, each with the reason and where the hostile cases are covered instead.
EXCLUDED = {
    # Pages behind a personal link: the world's tokens are dead (410 in the
    # table), so live links are issued for the refresh customer pages (the
    # ones seed_demo prints) and the order end-user and account pages. The
    # unsubscribe page's form has no input (a POST button).
    "reports:unsubscribe": "personal link page with a bare POST button",
    # allauth flows that only exist mid-sign-in (a pending login or a code sent)
    # and answer a redirect to sign-in here; allauth validates them itself.
    "account_confirm_login_code": "allauth mid-sign-in step",
    "account_confirm_reauthentication_code": "allauth mid-sign-in step",
    "account_request_reauthentication_code": "allauth mid-sign-in step",
    "account_reset_password_from_key": "allauth, needs a live reset key",
    "account_confirm_email": "allauth, needs a live confirmation key",
    "account_set_password": "allauth, only for accounts without a password",
    "mfa_authenticate": "allauth mid-sign-in step",
    "mfa_reauthenticate": "allauth mid-sign-in step",
    "mfa_reauthenticate_webauthn": "allauth mid-sign-in step",
    "mfa_deactivate_totp": "allauth, needs an enrolled TOTP",
    "mfa_download_recovery_codes": "allauth, needs recovery codes",
    "mfa_edit_webauthn": "allauth, needs a WebAuthn key",
    "mfa_remove_webauthn": "allauth, needs a WebAuthn key",
    "mfa_add_webauthn": "allauth, a browser API (WebAuthn) answers, not a form",
    "socialaccount_signup": "allauth, only during a pending SSO sign-up",
    "openid_connect_login": "SSO, not configured in the world",
    "openid_connect_callback": "SSO, not configured in the world",
    "saml_acs": "SSO, not configured in the world (XML, not a form)",
    "saml_finish_acs": "SSO, not configured in the world",
    "saml_login": "SSO, not configured in the world",
    "saml_sls": "SSO, not configured in the world",
    "logout": "no input",
}

# Tables a refused request may still write: the session (messages, last
# activity) and a personal link's visit counter (last used, use count).
BOOKKEEPING_TABLES = {"django_session", "notifications_accesslink"}

WRITE_RE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?([a-z0-9_]+)"?', re.IGNORECASE)

numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["2147483648", "-2147483649", "9" * 40, "-1", "0", "1e308", "NaN", "１２"]),
)
dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["9999-12-31", "0001-01-01", "2026-02-30", "99999-01-01", "23:61"]),
)
odd_text = st.one_of(
    st.text(min_size=0, max_size=300),
    st.sampled_from(["x" * 100_000, "\x00", "\ud7ff\U0010ffff", "'; DROP TABLE x; --", "abc"]),
)
scalar = st.one_of(numbers, dates, odd_text)
# Wrong types: several values for one field, or none at all.
hostile = st.one_of(scalar, st.lists(scalar, min_size=0, max_size=3))


def _allowed(row) -> str | None:
    """The first column (roles before the superuser) the row lets through."""
    method, statuses = row
    ok = {200} if method == "GET" else {200, 302, 400}
    order = [*WHO[1:-1], WHO[0], WHO[-1]]
    for who in order:
        if statuses[WHO.index(who)] in ok:
            return who
    return None


def _request(client, person, method, path, data=None):
    """One request in a rolled-back savepoint: (response, tables it changed).

    A table counts as changed when the request wrote to it (captured SQL) and
    its rows differ from what they were before the request: a write that the
    view's own transaction rolled back (a number allocated, then the form
    refused) is not a partial write.
    """
    cache.clear()
    client.logout()
    if person is not None:
        client.force_login(person)
    with transaction.atomic():
        before = transaction.savepoint()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path) if method == "GET" else client.post(path, data or {})
        written = {
            m.group(2).lower() for q in queries.captured_queries if (m := WRITE_RE.match(q["sql"]))
        } - BOOKKEEPING_TABLES
        after = {table: _rows_of(table) for table in written}
        transaction.savepoint_rollback(before)
        changed = {table for table in written if _rows_of(table) != after[table]}
        transaction.set_rollback(True)
    return response, changed


def _rows_of(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - a name from our own SQL
        return sorted(repr(row) for row in cursor.fetchall())


def _refused(response) -> bool:
    """The request was turned down: a 4xx, or the form shown again with its errors
    (a 200 without errors is a success that shows its result, like a new key)."""
    if response.status_code >= 400:
        return True
    return response.status_code == 200 and b'class="errorlist"' in response.content


def _url_name(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def _forms(content: bytes, page_path: str) -> list[tuple[str, dict]]:
    """(action path, default values) of every POST form on a page."""
    if not content.strip():
        return []
    doc = lxml.html.fromstring(content)
    found = []
    for form in doc.forms:
        if (form.method or "GET").upper() != "POST":
            continue
        action = form.get("action") or page_path
        if action.startswith("http"):
            action = urlsplit(action).path
        values: dict[str, list[str]] = {}
        for name, value in form.form_values():
            if name != "csrfmiddlewaretoken":
                values.setdefault(name, []).append(value)
        for element in form.inputs:
            name = element.get("name")
            if name and name != "csrfmiddlewaretoken":
                values.setdefault(name, [])
        found.append((action, values))
    return found


def _targets(client, world):
    """{action path: (url name, person, defaults)} of every POST form on the world's
    pages, and {url name: (person, path)} of the POST-only URLs of the table."""
    targets, post_only = {}, {}
    for name, row in sorted(_rows().items()):
        who = _allowed(row)
        if who is None or name.startswith("admin:"):
            continue
        person = world.people[who]
        path = reverse(name, args=world.args.get(name, []))
        if row[0] == "POST":
            post_only[name] = (person, path)
            continue
        response, _ = _request(client, person, "GET", path)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            for action, defaults in _forms(response.content, path):
                target = _url_name(action)
                if target is not None and action not in targets:
                    targets[action] = (target, person, defaults)
    _add_customer_link_pages(client, targets)
    return targets, post_only


def _order_link_paths() -> list[str]:
    """Live links to the end user's page (software install) and the new account's
    first-password page (email-only) of a demo order of each kind."""
    from notifications.links import access_link_issue
    from orders.choices import LINK_PURPOSE_ACCOUNT_ACCESS, LINK_PURPOSE_ORDER_SECRET, OrderType
    from orders.models import Order

    paths = []
    install = Order.objects.filter(
        order_type=OrderType.INSTALL_SOFTWARE, existing_user__isnull=False
    ).first()
    if install is not None:
        issued = access_link_issue(
            target=install, purpose=LINK_PURPOSE_ORDER_SECRET, email="e@x.edu"
        )
        paths.append(reverse("orders:enduser_link", args=[issued.token]))
    account = Order.objects.filter(order_type=OrderType.EMAIL_ONLY).first()
    if account is not None:
        issued = access_link_issue(
            target=account, purpose=LINK_PURPOSE_ACCOUNT_ACCESS, email="e@x.edu"
        )
        paths.append(reverse("orders:account_access", args=[issued.token]))
    return paths


def _add_customer_link_pages(client, targets) -> None:
    """The refresh customer pages behind live links (wizard, pick a slot, reschedule),
    opened as the anonymous customer, as ``seed_demo`` prints them."""
    from refresh.demo.run import demo_customer_links

    paths = [
        urlsplit(line.split()[-1]).path
        for line in demo_customer_links()
        if "/refresh/c/" in line.split()[-1]
    ]
    assert paths, "the demo prints no customer links"
    paths += _order_link_paths()
    for path in paths:
        cache.clear()
        client.logout()
        response = client.get(path, follow=True)
        if response.status_code != 200:
            continue
        page = response.request["PATH_INFO"]
        for action, defaults in _forms(response.content, page):
            target = _url_name(action)
            if target is not None and action not in targets:
                targets[action] = (target, None, defaults)


def _check(client, name, person, path, defaults, failures):
    fields = sorted(defaults) or ["x"]

    @settings(
        max_examples=EXAMPLES_PER_FORM,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        replaced=st.dictionaries(st.sampled_from(fields), hostile, min_size=1, max_size=2),
    )
    def post_hostile(replaced):
        data = {key: value for key, value in defaults.items() if value}
        data.update(replaced)
        try:
            response, written = _request(client, person, "POST", path, data)
        except Exception as exc:  # noqa: BLE001 - a 500 raised through the test client
            failures.append(f"{name} {path}: {type(exc).__name__}: {exc} with {replaced!r:.300}")
            return
        if response.status_code >= 500:
            failures.append(f"{name} {path}: {response.status_code} with {replaced!r:.300}")
        elif _refused(response) and written:
            failures.append(
                f"{name} {path}: refused ({response.status_code}) but wrote "
                f"{sorted(written)} with {replaced!r:.300}"
            )

    post_hostile()


def test_every_form_view_survives_hostile_input(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    world = DemoWorld.build()
    targets, post_only = _targets(client, world)
    stale = sorted(name for name in EXCLUDED if name not in _rows())
    assert stale == [], f"EXCLUDED names URLs that no longer exist: {stale}"

    # A POST-only URL whose form the world's pages do not show (the object is
    # not in the state that offers it) is posted to directly, as the role its
    # row allows, with the field names every form of the site uses.
    covered = {name for name, _person, _defaults in targets.values()}
    link_pages = {"refresh:customer_entry", "orders:enduser_link", "orders:account_access"}
    assert link_pages <= covered, f"link pages without a form: {sorted(link_pages - covered)}"
    every_field = {field: [] for _n, _p, defaults in targets.values() for field in defaults}
    for name, (person, path) in post_only.items():
        if name not in covered and name not in EXCLUDED:
            targets.setdefault(path, (name, person, every_field))
    assert len(targets) > 40, sorted(targets)  # the world really shows its forms

    failures: list[str] = []
    for path, (name, person, defaults) in sorted(targets.items()):
        if name not in EXCLUDED:
            _check(client, name, person, path, defaults, failures)
    assert failures == [], "\n".join(failures)
