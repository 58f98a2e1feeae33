"""Who may open which portal page, and list pages at a fixed query count."""

import pytest
from django.urls import reverse

from accounts.choices import PortalVisibility
from accounts.roles import Role
from notifications.links import access_link_issue
from orders.choices import LINK_PURPOSE_ORDER_FINISH, LINK_PURPOSE_ORDER_SECRET, OrderType
from tests.accounts.factories import OrganizationFactory
from tests.orders.factories import OrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(coordinator):
    return OrderFactory(organization=coordinator.organization, submitted_by=coordinator)


def order_state(order) -> dict:
    """What a refused POST must leave alone: status, thread, audit trail, emails."""
    from notifications.models import OutboundEmail
    from orders.models import OrderAudit, OrderMessage

    order.refresh_from_db()
    return {
        "status": order.status,
        "cancelled_at": getattr(order, "cancelled_at", None),
        "messages": OrderMessage.objects.filter(order=order).count(),
        "audits": OrderAudit.objects.filter(order=order).count(),
        "emails": OutboundEmail.objects.count(),
    }


@pytest.mark.parametrize("name", ["orders:portal_list", "orders:portal_new"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "/login" in response.url or "login" in response.url


@pytest.mark.parametrize("name", ["orders:portal_detail", "orders:portal_edit"])
def test_anonymous_is_sent_to_login_for_an_order(client, order, name):
    response = client.get(reverse(name, args=[order.number]))
    assert response.status_code == 302


@pytest.mark.parametrize("name", ["orders:portal_detail", "orders:portal_edit"])
def test_coordinator_of_another_organization_gets_404(client, make_user, order, name):
    stranger = make_user(Role.COORDINATOR, organization=OrganizationFactory())
    client.force_login(stranger)
    before = order_state(order)
    assert client.get(reverse(name, args=[order.number])).status_code == 404
    assert (
        client.post(reverse("orders:portal_reply", args=[order.number]), {"body": "hi"}).status_code
        == 404
    )
    assert client.post(reverse("orders:portal_cancel", args=[order.number])).status_code == 404
    assert order_state(order) == before


@pytest.mark.parametrize("role", [Role.ORDERS_TECHNICIAN, Role.ORDERS_MANAGER, Role.APPROVER])
def test_staff_and_other_roles_are_refused_the_portal(client, make_user, order, role):
    client.force_login(make_user(role))
    before = order_state(order)
    assert client.get(reverse("orders:portal_list")).status_code == 403
    assert client.get(reverse("orders:portal_detail", args=[order.number])).status_code == 403
    create = reverse("orders:portal_create", args=[OrderType.EMAIL_ONLY])
    assert client.get(create).status_code == 403
    assert client.get(reverse("orders:portal_new")).status_code == 403
    assert client.get(reverse("orders:portal_edit", args=[order.number])).status_code == 403
    reply = reverse("orders:portal_reply", args=[order.number])
    assert client.post(reply, {"body": "x"}).status_code == 403
    assert client.post(reverse("orders:portal_cancel", args=[order.number])).status_code == 403
    assert order_state(order) == before


def test_coordinator_sees_sub_organization_orders(client, coordinator, make_user):
    child = OrganizationFactory(parent=coordinator.organization)
    other = OrderFactory(organization=child)
    foreign = OrderFactory()
    client.force_login(coordinator)
    page = client.get(reverse("orders:portal_list")).content.decode()
    assert str(other.number) in page
    assert str(foreign.number) not in page
    assert client.get(reverse("orders:portal_detail", args=[other.number])).status_code == 200


def test_own_visibility_limits_to_own_orders(client, make_user):
    org = OrganizationFactory(portal_visibility=PortalVisibility.OWN)
    me = make_user(Role.COORDINATOR, organization=org)
    colleague = make_user(Role.COORDINATOR, organization=org)
    mine = OrderFactory(organization=org, submitted_by=me)
    theirs = OrderFactory(organization=org, submitted_by=colleague)
    client.force_login(me)
    page = client.get(reverse("orders:portal_list")).content.decode()
    assert str(mine.number) in page
    assert str(theirs.number) not in page
    assert client.get(reverse("orders:portal_detail", args=[theirs.number])).status_code == 404


def test_coordinator_cannot_pick_a_user_of_another_organization(
    coordinator_client, make_user, queues
):
    outsider = make_user(organization=OrganizationFactory())
    url = reverse("orders:portal_create", args=[OrderType.DEACTIVATE_FUTURE_REPLACEMENT])
    response = coordinator_client.post(
        url, {"existing_user": outsider.pk, "workstation": "WX1", "intent": "submit"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_reply_reaches_owner_and_subscribers(coordinator_client, coordinator, make_user, commit):
    from notifications.models import OutboundEmail
    from orders.models import OrderSubscription

    owner = make_user(Role.ORDERS_TECHNICIAN)
    follower = make_user(Role.ORDERS_MANAGER)
    order = OrderFactory(
        organization=coordinator.organization, submitted_by=coordinator, owner=owner
    )
    OrderSubscription.objects.create(order=order, user=follower)
    with commit():
        response = coordinator_client.post(
            reverse("orders:portal_reply", args=[order.number]), {"body": "Any news?"}
        )
    assert response.status_code == 302
    recipients = sorted(r for e in OutboundEmail.objects.all() for r in e.to)
    assert recipients == sorted([owner.email, follower.email])
    detail = coordinator_client.get(reverse("orders:portal_detail", args=[order.number]))
    assert "Any news?" in detail.content.decode()


def test_internal_comments_stay_hidden_from_the_client(coordinator_client, coordinator):
    from orders.models import OrderMessage

    order = OrderFactory(organization=coordinator.organization, submitted_by=coordinator)
    OrderMessage.objects.create(order=order, kind="internal_comment", body="Staff only note")
    OrderMessage.objects.create(order=order, kind="client_comment", body="Client may read")
    page = coordinator_client.get(reverse("orders:portal_detail", args=[order.number]))
    assert "Client may read" in page.content.decode()
    assert "Staff only note" not in page.content.decode()


def test_list_page_query_count_is_fixed(coordinator_client, coordinator, django_assert_num_queries):
    coordinator_client.get("/")  # roles are read once, then cached (accounts/access.py)
    url = reverse("orders:portal_list")
    for rows in (2, 30):
        for _ in range(rows):
            OrderFactory(organization=coordinator.organization, submitted_by=coordinator)
        coordinator_client.get(url)  # the count is cached (dropped on audited writes)
        # the same number at 2 and 32 orders: no query per row
        with django_assert_num_queries(6):
            assert coordinator_client.get(url).status_code == 200


def test_detail_page_query_count_is_fixed(
    coordinator_client, coordinator, queues, directory, django_assert_num_queries, commit
):
    from orders.models import OrderMessage

    order = OrderFactory(organization=coordinator.organization, submitted_by=coordinator)
    coordinator_client.get("/")  # roles are read once, then cached (accounts/access.py)
    url = reverse("orders:portal_detail", args=[order.number])
    for rows in (1, 15):
        for _ in range(rows):
            OrderMessage.objects.create(order=order, kind="reply", body="x", author=coordinator)
        # the visible organizations are read (and named by id) before the order; its
        # software only for a software install
        with django_assert_num_queries(9):
            assert coordinator_client.get(url).status_code == 200


def test_link_pages_reject_bad_and_foreign_tokens(client, order):
    assert client.get(reverse("orders:enduser_link", args=["nope"])).status_code == 410
    assert client.get(reverse("orders:account_access", args=["nope"])).status_code == 410
    issued = access_link_issue(target=order, purpose=LINK_PURPOSE_ORDER_SECRET, email="a@b.c")
    # A secret link is not a finish link.
    assert client.get(reverse("orders:finish_link", args=[issued.token])).status_code == 410


def test_finish_link_opens_the_draft_after_sign_in(client, coordinator, order):
    issued = access_link_issue(
        target=order, purpose=LINK_PURPOSE_ORDER_FINISH, email=coordinator.email
    )
    url = reverse("orders:finish_link", args=[issued.token])
    response = client.get(url)
    assert response.status_code == 302
    assert "login" in response.url
    client.force_login(coordinator)
    response = client.get(url)
    assert response.url == reverse("orders:portal_edit", args=[order.number])


def test_enduser_link_get_does_not_change_anything(client, coordinator, end_user, queues):
    from orders.models import EndUserSecret, OrderAudit

    order = OrderFactory(
        organization=coordinator.organization,
        order_type=OrderType.INSTALL_SOFTWARE,
        existing_user=end_user,
        new_full_name="",
        new_username="",
        new_email="",
        workstation="WX9",
    )
    issued = access_link_issue(
        target=order, purpose=LINK_PURPOSE_ORDER_SECRET, email=end_user.email
    )
    before = OrderAudit.objects.count()
    response = client.get(reverse("orders:enduser_link", args=[issued.token]))
    assert response.status_code == 200
    assert OrderAudit.objects.count() == before
    assert not EndUserSecret.objects.exists()


def test_username_already_in_the_directory_is_refused(coordinator_client, directory, queues):
    directory.existing.add("taken")
    url = reverse("orders:portal_create", args=[OrderType.EMAIL_ONLY])
    response = coordinator_client.post(
        url,
        {"new_full_name": "T", "new_username": "taken", "new_email": "t@x.edu", "intent": "save"},
    )
    assert "The username taken is already in use." in response.content.decode()
    assert directory.lookups == ["taken"]


def test_attachments_of_client_messages_only(
    coordinator_client, coordinator, make_user, settings, tmp_path
):
    from django.core.files.base import ContentFile

    from orders.models import OrderAttachment, OrderMessage

    settings.MEDIA_ROOT = str(tmp_path)
    order = OrderFactory(organization=coordinator.organization, submitted_by=coordinator)
    shown = OrderMessage.objects.create(order=order, kind="reply", body="See file")
    hidden = OrderMessage.objects.create(order=order, kind="internal_comment", body="Staff")
    files = {}
    for message in (shown, hidden):
        attachment = OrderAttachment(
            message=message, filename="note.txt", size=5, content_type="text/plain"
        )
        attachment.file.save("note.txt", ContentFile(b"hello"), save=True)
        files[message.kind] = attachment
    url = reverse("orders:portal_attachment", args=[order.number, files["reply"].pk])
    response = coordinator_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"hello"
    hidden_url = reverse(
        "orders:portal_attachment", args=[order.number, files["internal_comment"].pk]
    )
    assert coordinator_client.get(hidden_url).status_code == 404
    stranger = make_user(Role.COORDINATOR, organization=OrganizationFactory())
    coordinator_client.force_login(stranger)
    assert coordinator_client.get(url).status_code == 404


def test_first_password_page_says_when_the_directory_cannot_set_one(client, monkeypatch, order):
    from orders.choices import LINK_PURPOSE_ACCOUNT_ACCESS

    class NoPasswords:
        pass

    monkeypatch.setattr("orders.services.automation.policy.directory_client", lambda: NoPasswords())
    issued = access_link_issue(target=order, purpose=LINK_PURPOSE_ACCOUNT_ACCESS, email="a@b.c")
    url = reverse("orders:account_access", args=[issued.token])
    response = client.post(url, {"password1": "long-enough-pass", "password2": "long-enough-pass"})
    assert response.status_code == 200
    assert "call the service desk" in response.content.decode()
    assert client.get(url).status_code == 200  # the link is not spent
