"""Friendly 403, 404 and 500 pages (issue 12 #14): the site's layout, the person's
navigation and a way back; /api/ keeps problem+json; dead links keep their 410 page."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role

pytestmark = pytest.mark.django_db


def _nav(page: str) -> str:
    return page[page.index('aria-labelledby="error-nav-h"') :].split("</nav>")[0]


def test_404_in_the_layout_with_my_navigation(client, make_user):
    client.force_login(make_user(Role.ORDERS_TECHNICIAN, is_staff=True))
    response = client.get("/orders/staff/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>We can't find that page</h1>" in page
    assert "/orders/staff/no-such-page/" in page
    assert 'class="site-header"' in page
    assert "Order manager" in _nav(page)
    assert "My appointments" in _nav(page)
    assert f'href="{reverse("home")}">Go to the home page' in page


def test_403_says_why_and_leads_back_to_the_page_i_came_from(client, make_user):
    client.force_login(make_user(Role.COORDINATOR))
    response = client.get(
        reverse("orders:staff_list"), HTTP_REFERER="http://testserver/orders/?status=draft"
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "You don't have access to this page" in page
    assert "The order manager is for orders staff." in page
    assert '<a class="btn" href="http://testserver/orders/?status=draft">Go back</a>' in page
    assert "Order manager" not in _nav(page)
    assert "Orders" in _nav(page)


def test_a_foreign_referer_is_not_offered_as_the_way_back(client, make_user):
    client.force_login(make_user(Role.COORDINATOR))
    response = client.get(reverse("orders:staff_list"), HTTP_REFERER="https://evil.example/")
    assert "evil.example" not in response.content.decode()


def test_anonymous_404_offers_sign_in(client):
    page = client.get("/nothing-here/").content.decode()
    assert "Sign in</a>" in page
    assert "error-nav-h" not in page


@pytest.mark.urls("tests.error_urls")
def test_500_is_friendly_and_keeps_the_navigation(make_user):
    client = Client(raise_request_exception=False)
    client.force_login(make_user(Role.ORDERS_TECHNICIAN, is_staff=True))
    response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert "Order manager" in _nav(page)
    assert "a bug" not in page


@pytest.mark.urls("tests.error_urls")
def test_500_falls_back_to_a_plain_page_when_the_layout_fails(make_user, monkeypatch):
    def broken(request):
        raise RuntimeError("database down")

    from django.template import engines

    engine = engines["django"].engine
    monkeypatch.setattr(engine, "template_context_processors", (broken,))
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert 'class="site-header"' not in page  # the plain page, not a second crash


@pytest.mark.urls("tests.error_urls")
def test_api_errors_stay_problem_json(make_user):
    client = Client(raise_request_exception=False)
    for url, status in (("/api/v1/boom/", 500), ("/api/v1/no-such-thing/", 404)):
        response = client.get(url)
        assert response.status_code == status
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == status


def test_dead_links_keep_their_410_page(client):
    response = client.get(reverse("orders:enduser_link", args=["no-such-token"]))
    assert response.status_code == 410
    assert "This link does not work any more" in response.content.decode()
