"""Content-Security-Policy without 'unsafe-inline', and templates that need none (issue 14 item 9).

The browser walk (tests/e2e/test_page_walk.py) checks the headers on every page
and that Chromium reports no violation; these checks fail fast without a browser.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Markup the policy refuses: inline scripts and styles, style attributes, inline handlers.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|javascript:", re.IGNORECASE
)

COMMENT = re.compile(r"\{#.*?#\}")


def _page_templates():
    roots = [Path(settings.BASE_DIR) / "templates"]
    roots += [p for p in Path(settings.BASE_DIR).glob("*/templates")]
    for root in roots:
        for path in root.rglob("*.html"):
            if "/email/" not in path.as_posix():  # emails are not served under the policy
                yield path


def test_no_template_needs_unsafe_inline():
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{n}: {line.strip()[:120]}"
        for path in _page_templates()
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if INLINE.search(COMMENT.sub("", line))
    ]
    assert len(list(_page_templates())) > 50
    assert not offenders, "\n".join(offenders)


def test_every_page_sends_the_policy_and_the_permissions_policy(client, superuser):
    for url, user in (
        (reverse("login"), None),
        (reverse("home"), superuser),
        ("/admin/", superuser),
    ):
        if user:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "script-src 'self'" in csp
        assert "style-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert "unsafe-eval" not in csp
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]
