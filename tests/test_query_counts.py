"""Exact query counts of every list and detail page, against a committed baseline.

Each page (``tests/query_pages/``, one module per area, the REST API's list and
detail endpoints included) is opened by a role allowed to see it at two data
sizes (3 and 12 rows of what it lists); both counts must be equal (no query per
row) and equal to the page's number in ``tests/query_counts.json``. A first,
unmeasured request warms what a page makes once per person (a calendar feed
token, the cached business calendar); pages that cache what they compute are
measured uncached. ``QUERY_COUNTS_UPDATE=1 pytest tests/test_query_counts.py``
rewrites the baseline (NetBox keeps its counts the same way); review the diff
before committing it.

Which pages: every URL of the URLconf in an app's namespace that answers GET
(the permission table's method column; the API router's actions) is either
measured here or named in ``NOT_LIST_PAGES`` with the reason, so a new list or
detail page cannot ship without its count.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from tests.pages import ADMIN_NAMESPACE, url_patterns_by_name
from tests.query_pages import PAGES

pytestmark = pytest.mark.django_db

BASELINE = Path(__file__).with_name("query_counts.json")
SIZES = (3, 12)

FORM = "a form (create/edit/confirm): no list that grows"
DOWNLOAD = "a file download (attachment, export, ICS feed); exports are counted in tests/reports"
LINK = "an emailed personal link (token): one person's form or wizard step"
OTHER = {
    "scheduling:index": "redirects to the calendar",
    "api:schema": "the OpenAPI document (no database rows)",
    "api:docs": "Swagger UI (static page around the schema)",
    "api:redoc": "Redoc (static page around the schema)",
}

# GET URLs of the apps that are not list or detail pages, and why. Names without a
# namespace (sign-in, allauth, MFA, SAML, health checks, the home page) and Django's
# admin are not the project's list pages; POST-only URLs answer no GET.
NOT_LIST_PAGES: dict[str, str] = {
    **dict.fromkeys(
        [
            "orders:portal_create",
            "orders:portal_edit",
            "orders:staff_cancel",
            "orders:staff_details",
            "orders:staff_appointment",
            "orders:staff_information",
            "orders:staff_send_link",
            "refresh:ticket_create",
            "refresh:tracking_bulk",
            "orders:portal_request_edit",
            "orders:staff_answers",
            "orders:staff_custom_field",
            "orders:staff_request_type_create",
            "orders:staff_time_edit",
            "refresh:ticket_location",
            "refresh:ticket_replacement",
            "refresh:ticket_slot",
            "refresh:approval_edit",
            "refresh:batch_create",
            "refresh:config_create",
            "refresh:config_edit",
            "reports:saved_view_create",
            "reports:forecast_batch",
            "reports:lifecycle_policy",
            "reports:systems_import",
            "scheduling:preference_create",
            "scheduling:preference_edit",
            "scheduling:slot_create",
            "webhooks:endpoint_create",
            "webhooks:endpoint_edit",
        ],
        FORM,
    ),
    **dict.fromkeys(
        [
            "orders:portal_attachment",
            "orders:staff_attachment",
            "api:order-attachment-download",
            "orders:appointments_feed",
            "reports:export",
            "scheduling:feed_all",
            "scheduling:feed_team",
        ],
        DOWNLOAD,
    ),
    **dict.fromkeys(
        [
            "orders:account_access",
            "orders:enduser_link",
            "orders:finish_link",
            "refresh:customer_entry",
            "refresh:customer_step",
            "reports:unsubscribe",
        ],
        LINK,
    ),
    **OTHER,
}


def get_page_url_names() -> set[str]:
    """The URL names of the apps' namespaces that answer GET."""
    from tests.test_permissions_table import _rows

    methods = {name: row[0] for name, row in _rows().items()}
    names = set()
    for name, pattern in url_patterns_by_name().items():
        namespace = name.partition(":")[0] if ":" in name else ""
        if not namespace or namespace == ADMIN_NAMESPACE:
            continue
        router_actions = getattr(pattern.callback, "actions", None)  # DRF viewset routes
        answers_get = "get" in router_actions if router_actions else methods.get(name) == "GET"
        if answers_get:
            names.add(name)
    return names


def _load() -> dict[str, int]:
    return json.loads(BASELINE.read_text()) if BASELINE.exists() else {}


def _measure(client, url, *, cold: bool) -> tuple[int, bytes]:
    """(queries, the answer's body) of one GET of ``url``."""
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return len(captured.captured_queries), response.content


def _without_per_request_noise(content: bytes) -> bytes:
    """The body without what differs between any two requests (CSRF tokens, chart ids)."""
    content = re.sub(rb'(csrfmiddlewaretoken" value|X-CSRFToken": )"[^"]*"', rb"\1", content)
    return re.sub(rb"chart-\d+", b"chart", content)


def test_every_list_and_detail_page_is_measured_or_excluded_with_a_reason():
    pages = get_page_url_names()
    unmeasured = sorted(pages - set(PAGES) - set(NOT_LIST_PAGES))
    assert not unmeasured, (
        f"GET URLs with no query-count page: {unmeasured}. Add a Page in tests/query_pages/ "
        "(a list or detail page) or a reason in NOT_LIST_PAGES (not a list or detail page)."
    )
    assert not set(PAGES) & set(NOT_LIST_PAGES), "a page is both measured and excluded"
    assert sorted(set(NOT_LIST_PAGES) - pages) == [], "excluded names that are no GET URL"
    assert sorted(set(PAGES) - pages) == [], "measured names that are no GET URL"


def test_the_baseline_names_exactly_the_measured_pages():
    assert sorted(_load()) == sorted(PAGES)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_query_count_matches_the_baseline(client, make_user, organization, name):
    page = PAGES[name]
    ctx = {"org": organization}
    ctx["coordinator"] = make_user(Role.COORDINATOR, organization=organization)
    user = (
        ctx["coordinator"] if page.role is Role.COORDINATOR else make_user(page.role, is_staff=True)
    )
    client.force_login(user)
    ctx["user"] = user
    url = page.setup(ctx)
    page.grow(ctx, SIZES[0])
    client.get(url)  # warm what the page makes once per person
    (small, small_body) = _measure(client, url, cold=page.cold)
    page.grow(ctx, SIZES[1] - SIZES[0])
    (large, large_body) = _measure(client, url, cold=page.cold)
    assert small == large, f"{name}: {small} queries at {SIZES[0]} rows, {large} at {SIZES[1]}"
    if page.cold:  # aggregates (dashboards): the numbers change, the page need not grow
        assert _without_per_request_noise(large_body) != _without_per_request_noise(small_body), (
            f"{name} shows the same at {SIZES[1]} rows as at {SIZES[0]}"
        )
    elif page.shows_rows:  # the grown rows are on the page, so a query per row would count
        assert len(large_body) > len(small_body), (
            f"{name} shows no more at {SIZES[1]} rows than at {SIZES[0]}"
        )
    counts = [small]
    if os.environ.get("QUERY_COUNTS_UPDATE") == "1":
        baseline = _load()
        baseline[name] = counts[0]
        BASELINE.write_text(json.dumps(dict(sorted(baseline.items())), indent=2) + "\n")
        return
    assert _load().get(name) == counts[0], (
        f"{name} makes {counts[0]} queries; tests/query_counts.json says {_load().get(name)} "
        "(QUERY_COUNTS_UPDATE=1 rewrites it)"
    )
