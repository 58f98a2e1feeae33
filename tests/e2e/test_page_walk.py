"""Every page a person can reach passes the page audit (issue 19, issue 14 item 9).

On the demo data (``seed_demo``) each demo login walks its navigation and the
links on the pages it reaches, the way the accessibility audit did; the
customer and end-user link pages, the login page and a dead link are visited
too. The conftest's page audit checks every one of them with axe-core and for
sideways scrolling at 1366 and 390 px; this test adds the response headers
(Content-Security-Policy without 'unsafe-inline', Permissions-Policy,
``Cache-Control: no-store`` on pages reached by a token) and that no link on
a page leads to a server error. A new page is covered as soon as a link to it
appears, without a test of its own.
"""

import re
from collections import Counter
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from notifications.links import access_link_issue
from orders.choices import LINK_PURPOSE_ACCOUNT_ACCESS, LINK_PURPOSE_ORDER_SECRET
from orders.models import Order
from refresh.demo import demo_customer_links

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The demo logins of README.md, one per role.
DEMO_LOGINS = [
    "coordinator@med.example.edu",
    "coordinator@engin.example.edu",
    "approver@med.example.edu",
    "refresh.admin@example.edu",
    "refresh.manager@example.edu",
    "slots@example.edu",
    "tech@example.edu",
    "orders.manager@example.edu",
    "admin@example.edu",
]
# Not pages: files, feeds, the admin (walked separately for the CSP only).
NOT_A_PAGE = re.compile(
    r"^/admin/|/logout|\.ics\b|/feed|/attachment|/download|/export|\.csv\b|/static/|/media/"
)
# One page of each shape (the path with numbers and tokens blanked, any query) per
# walk, and at most MAX_PAGES pages from one login's navigation.
PER_SHAPE = 1
MAX_PAGES = 40
WIZARD_STEPS = ("location", "device", "peripherals", "software", "review")


def _shape(url: str) -> str:
    parts = urlsplit(url)
    path = re.sub(r"/[A-Za-z0-9_-]{20,}(?=/|$)", "/<token>", parts.path)
    return re.sub(r"\d+", "<n>", path)


class Walk:
    def __init__(self, page, base: str):
        self.page = page
        self.base = base
        self.shapes: Counter = Counter()
        self.seen: set[str] = set()
        self.problems: list[str] = []
        self.pages = 0

    def visit(self, path: str, *, token: bool = False, expect_status=None):
        """Open ``path``; check its headers; return the same-origin links on it."""
        self.seen.add(path)
        response = self.page.goto(self.base + path)
        assert response is not None, path
        self.pages += 1
        status = response.status
        if expect_status is not None and status != expect_status:
            self.problems.append(f"{path}: answered {status}, expected {expect_status}")
        if status >= 500:
            self.problems.append(f"{path}: server error {status}")
        headers = response.all_headers()
        csp = headers.get("content-security-policy", "")
        if "default-src 'self'" not in csp or "unsafe-inline" in csp or "unsafe-eval" in csp:
            self.problems.append(f"{path}: Content-Security-Policy is {csp!r}")
        permissions = headers.get("permissions-policy", "")
        if "camera=()" not in permissions:
            self.problems.append(f"{path}: Permissions-Policy is {permissions!r}")
        if token and "no-store" not in headers.get("cache-control", ""):
            self.problems.append(f"{path}: a page reached by a token lacks Cache-Control: no-store")
        return self.page.eval_on_selector_all(
            "a[href]", "links => links.map(a => a.getAttribute('href'))"
        )

    def crawl(self, start: list[str]) -> None:
        """Breadth first from ``start``: every link, PER_SHAPE pages of each shape."""
        queue = list(start)
        budget = MAX_PAGES
        while queue and budget:
            path = queue.pop(0)
            if path in self.seen:
                continue
            budget -= 1
            for href in self.visit(path):
                parts = urlsplit(href)
                if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                    continue  # another site, mailto:, or a fragment of this page
                target = parts.path + (f"?{parts.query}" if parts.query else "")
                if target in self.seen or NOT_A_PAGE.search(parts.path):
                    continue
                shape = _shape(target)
                if self.shapes[shape] < PER_SHAPE:
                    self.shapes[shape] += 1
                    queue.append(target)


def _sign_in(page, base: str, email: str) -> None:
    """A session for ``email`` in the browser, without the sign-in form.

    The form has tests of its own (test_smoke.py); signing in through a session
    keeps this walk about the pages behind it, whatever the login looks like.
    """
    client = Client()
    client.force_login(User.objects.get(email=email))
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base,
            }
        ]
    )
    page.goto(f"{base}/")


def test_every_page_of_every_role_and_every_link_page(page, live_server, page_audit):
    call_command("seed_demo", stdout=StringIO())
    # Fresh customer links, issued after the seed's own emails went out (sending
    # an email issues its link anew and revokes the one printed before).
    lines = "\n".join(demo_customer_links())
    customer_links = re.findall(
        r"^ +(.+?) +" + re.escape(settings.SITE_URL) + r"(/refresh/c/[\w-]+/)$", lines, re.MULTILINE
    )
    assert len(customer_links) == 5, lines
    walk = Walk(page, live_server.url)

    # Signed out: the login page, customers' and end users' link pages, dead links.
    page.context.clear_cookies()
    walk.visit("/accounts/login/")
    # (The link rate limit allows 30 attempts a minute from one address: this stays below.)
    for label, link in customer_links:
        walk.visit(link, token=True, expect_status=200)
        if label.startswith("wizard"):
            for step in WIZARD_STEPS:
                walk.visit(f"{link}{step}/", token=True)
    order = Order.objects.filter(order_type="install_software").order_by("number").first()
    for purpose, prefix in (
        (LINK_PURPOSE_ORDER_SECRET, "/orders/l/"),
        (LINK_PURPOSE_ACCOUNT_ACCESS, "/orders/account/"),
    ):
        token = access_link_issue(target=order, purpose=purpose, email="end.user@example.edu").token
        walk.visit(f"{prefix}{token}/", token=True, expect_status=200)
    for dead in ("/refresh/c/not-a-real-token/", "/orders/l/not-a-real-token/"):
        walk.visit(dead, token=True, expect_status=410)

    for email in DEMO_LOGINS:
        _sign_in(page, live_server.url, email)
        nav = page.eval_on_selector_all(
            "#primary-nav a", "links => links.map(a => a.getAttribute('href'))"
        )
        for path in nav:
            walk.seen.discard(path)  # every role's own navigation, even if seen before
        walk.crawl(["/", *[p for p in nav if not NOT_A_PAGE.search(p)]])

    # The Django admin works under the same policy (no CSP report on its pages).
    _sign_in(page, live_server.url, "admin@example.edu")
    # (Orders are not added in the admin (issue 12 item 16): a queue's add form
    # has the same widgets.)
    for path in ("/admin/", "/admin/refresh/refreshticket/", "/admin/orders/orderqueue/add/"):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert "unsafe-inline" not in response.all_headers()["content-security-policy"]

    assert not walk.problems, "\n".join(walk.problems)
    assert walk.pages > 60, f"only {walk.pages} pages walked"
    page_audit.flush()
