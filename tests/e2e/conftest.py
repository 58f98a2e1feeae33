"""Browser tests: Playwright driving Debian's Chromium against the live server."""

import os
import shutil

import pytest

from tests.e2e.audit import LAPTOP, PageAudit

# Playwright's sync API runs an event loop in this thread; Django's ORM calls
# from the test body are safe here because the loop is idle while they run.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI"):
        # CI installs Chromium (.ci/run); a missing browser there is a failure.
        return
    skip = pytest.mark.skip(
        reason=f"Chromium not installed at {CHROMIUM} (apt-get install chromium)"
    )
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ],
    }


@pytest.fixture
def login(page, live_server):
    """login(user) signs the page in through the real login form."""

    from accounts.selectors import user_is_staff_member
    from tests.accounts.factories import PASSWORD
    from tests.totp import enrolled_totp_secret, totp_code

    def _login(user, password=PASSWORD):
        # Staff have enrolled an authenticator app (they must): give the code.
        secret = enrolled_totp_secret(user) if user_is_staff_member(user) else None
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email address").fill(user.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        if secret:
            page.wait_for_url("**/accounts/2fa/authenticate/")
            page.get_by_label("Code").fill(totp_code(secret))
            page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/**")

    return _login


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Laptop size by default; the page audit also looks at every page on a phone.
    return {**browser_context_args, "viewport": LAPTOP}


@pytest.fixture(autouse=True)
def page_audit(request):
    """Every page a browser test loads passes axe-core and the width check at both
    sizes, and the browser reports no CSP violation or script error (tests/e2e/audit.py).
    """
    if "page" not in request.fixturenames:
        yield None
        return
    audit = PageAudit(request.getfixturevalue("page"))
    if "live_server" in request.fixturenames:
        # Only Handover's own pages: a local identity provider's are not ours to fix.
        audit.origin = request.getfixturevalue("live_server").url
    audit.attach()
    yield audit
    audit.flush()
    if audit.findings:
        pytest.fail(
            f"{len(audit.findings)} accessibility, layout or CSP finding(s):\n"
            + "\n".join(f"- {finding}" for finding in audit.findings),
            pytrace=False,
        )
