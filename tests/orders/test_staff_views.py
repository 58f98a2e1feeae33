"""Staff order manager pages: the permission matrix, lists, the order page (what staff
change there: test_staff_actions.py)."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from orders.choices import ITSMTicketStatus, OrderType
from orders.models import Order, OrderAudit, OrderITSMTicket, OrderSubscription
from tests.accounts.factories import OrganizationDomainFactory, OrganizationFactory
from tests.orders.factories import OrderFactory

from .staff_helpers import draft_email_order, submitted_email_order

pytestmark = pytest.mark.django_db

# Exact query counts of the staff pages, the same at any data size.
LIST_QUERIES = 9
QUEUE_QUERIES = 11  # its queue sidebar counts are cached by the list page just before
# The detail page: 11, plus the compose form's To (the order's subscribers),
# plus time entries (issue 13) when the order has some (none here); the people
# who work orders (every picker on the page) and the canned responses come from
# the cache once a page has read them.
DETAIL_QUERIES = 9


@pytest.fixture
def order(coordinator, queues, directory, commit):
    return submitted_email_order(coordinator=coordinator, commit=commit)


# Every staff page: (url name, needs the order number, method).
def _pages(order, action_id, ticket_id, attachment_id):
    n = order.number
    return [
        ("GET", reverse("orders:staff_list")),
        ("GET", reverse("orders:staff_queue", args=[order.queue_id])),
        ("GET", reverse("orders:staff_detail", args=[n])),
        ("POST", reverse("orders:staff_action_process", args=[n, action_id])),
        ("POST", reverse("orders:staff_action_skip", args=[n, action_id])),
        ("POST", reverse("orders:staff_action_retry", args=[n, action_id])),
        ("GET", reverse("orders:staff_details", args=[n])),
        ("POST", reverse("orders:staff_hold", args=[n])),
        ("POST", reverse("orders:staff_resume", args=[n])),
        ("GET", reverse("orders:staff_cancel", args=[n])),
        ("GET", reverse("orders:staff_organization", args=[n])),
        ("POST", reverse("orders:staff_itsm_add", args=[n])),
        ("POST", reverse("orders:staff_itsm_status", args=[n, ticket_id])),
        ("POST", reverse("orders:staff_message", args=[n])),
        ("POST", reverse("orders:staff_subscribe", args=[n])),
        ("POST", reverse("orders:staff_unsubscribe", args=[n])),
        ("POST", reverse("orders:staff_secret", args=[n])),
        ("GET", reverse("orders:staff_send_link", args=[n])),
        ("GET", reverse("orders:staff_attachment", args=[attachment_id])),
    ]


@pytest.fixture
def every_page(order, technician):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from orders.services.messages import order_message_post

    message = order_message_post(
        order=order,
        author=technician,
        kind="internal_comment",
        body="See the scan.",
        files=[SimpleUploadedFile("scan.pdf", b"%PDF-1.4 test", "application/pdf")],
    )
    ticket = OrderITSMTicket.objects.create(order=order, itsm_id="TDX-1")
    return _pages(order, order.actions.first().pk, ticket.pk, message.attachments.get().pk)


def _call(client, method, url):
    return client.get(url) if method == "GET" else client.post(url, {})


def test_anonymous_is_sent_to_login_everywhere(client, every_page):
    for method, url in every_page:
        response = _call(client, method, url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


@pytest.mark.parametrize(
    "role", [Role.COORDINATOR, Role.APPROVER, Role.REFRESH_MANAGER, Role.REFRESH_ADMINISTRATOR]
)
def test_non_orders_staff_are_refused_everywhere(client, make_user, every_page, role):
    # A coordinator of another organization, and other staff roles.
    client.force_login(make_user(role, organization=OrganizationFactory()))
    for method, url in every_page:
        assert _call(client, method, url).status_code in (403, 404), url


def test_coordinator_of_the_orders_organization_gets_no_staff_page(
    client, coordinator, every_page, order
):
    before = order.status
    client.force_login(coordinator)
    for method, url in every_page:
        assert _call(client, method, url).status_code in (403, 404), url
    order.refresh_from_db()
    assert order.status == before
    assert not OrderSubscription.objects.exists()


@pytest.mark.parametrize("who", ["technician", "manager"])
def test_technician_and_manager_see_every_page(client, request, every_page, who):
    client.force_login(request.getfixturevalue(who))
    for method, url in every_page:
        if method != "GET":
            continue
        response = client.get(url)
        if who == "technician" and "/cancel/" in url:
            assert response.status_code == 403
        else:
            assert response.status_code == 200, url


def test_list_shows_counts_per_status_and_the_step_each_order_waits_on(
    client, technician, order, coordinator
):
    draft_email_order(coordinator=coordinator)
    client.force_login(technician)
    page = client.get(reverse("orders:staff_list")).content.decode()
    assert "<h1>Order manager</h1>" in page
    assert "3. Grant the shared mailboxes" in page
    assert 'In progress <span class="badge">1</span>' in page
    assert 'Draft <span class="badge">1</span>' in page

    queue_page = client.get(reverse("orders:staff_queue", args=[order.queue_id])).content.decode()
    assert '1<span class="visually-hidden"> order waiting</span>' in queue_page
    queue_url = reverse("orders:staff_queue", args=[order.queue_id])
    waiting = client.get(queue_url, {"step": 3}).context["orders"]
    assert [o.number for o in waiting] == [order.number]
    assert list(client.get(queue_url, {"step": 1}).context["orders"]) == []


def test_search_by_number_name_and_organization(client, technician, order, coordinator):
    other_org = OrganizationFactory(name="Pharmacy")
    other = make_other = draft_email_order(coordinator=coordinator, new_full_name="Quinn Other")
    Order.objects.filter(pk=make_other.pk).update(organization=other_org)
    client.force_login(technician)
    url = reverse("orders:staff_list")

    def numbers(q):
        return [o.number for o in client.get(url, {"q": q}).context["orders"]]

    assert numbers(str(order.number)) == [order.number]
    assert numbers("quinn") == [other.number]
    assert numbers("pharm") == [other.number]
    assert set(numbers("")) == {order.number, other.number}


def test_only_mine_filter(client, technician, manager, order, coordinator):
    draft_email_order(coordinator=coordinator)
    client.force_login(technician)
    url = reverse("orders:staff_list")
    assert [o.number for o in client.get(url, {"mine": "on"}).context["orders"]] == [order.number]
    client.force_login(manager)
    assert list(client.get(url, {"mine": "on"}).context["orders"]) == []


def test_step_counts_take_two_queries_whatever_the_orders(
    technician, coordinator, queues, directory, commit, django_assert_num_queries
):
    from orders.selectors import staff_queue_get, staff_step_counts

    for i in range(6):
        submitted_email_order(
            coordinator=coordinator,
            commit=commit,
            new_username=f"step{i}",
            new_email=f"step{i}@example.edu",
        )
    queue = staff_queue_get(user=technician, queue_id=Order.objects.first().queue_id)
    # the permission check is cached on the user; one grouped count.
    with django_assert_num_queries(1):
        steps = staff_step_counts(user=technician, queue=queue)
    assert [s["count"] for s in steps] == [0, 0, 6, 0]


def test_list_pages_keep_a_fixed_query_count(
    client,
    technician,
    coordinator,
    queues,
    directory,
    commit,
    make_user,
    django_assert_num_queries,
):
    client.force_login(technician)
    client.get("/")  # the person's roles are read once, then cached (accounts/access.py)
    submitted_email_order(coordinator=coordinator, commit=commit)
    queue_id = Order.objects.get().queue_id

    def load():
        # session + user (roles and permissions cached with it), the queues (sidebar and filter form
        # choices), the page's rows (keys picked in a subquery), their waiting steps,
        # the page count, status counts, the queues' open counts, follow-ups, the
        # group check; the queue page adds the queue, its steps, its team and step
        # counts. Totals and counts are cached (a second load without a write skips
        # them); every write drops them.
        with django_assert_num_queries(LIST_QUERIES):
            assert client.get(reverse("orders:staff_list")).status_code == 200
        with django_assert_num_queries(QUEUE_QUERIES):
            assert client.get(reverse("orders:staff_queue", args=[queue_id])).status_code == 200

    load()
    for i in range(15):
        OrderFactory(
            order_type=OrderType.DEACTIVATE_FUTURE_REPLACEMENT,
            organization=coordinator.organization,
            new_full_name="",
            new_username="",
            new_email="",
            existing_user=make_user(organization=coordinator.organization),
            workstation=f"WX{i}",
        )
        draft_email_order(coordinator=coordinator, new_full_name=f"Person {i}")
        submitted_email_order(
            coordinator=coordinator,
            commit=commit,
            new_username=f"bulk{i}",
            new_email=f"bulk{i}@example.edu",
        )
    load()


def test_detail_page_shows_the_header_and_keeps_a_fixed_query_count(
    client, technician, order, django_assert_num_queries
):
    client.force_login(technician)
    client.get("/")  # the person's roles are read once, then cached (accounts/access.py)
    url = reverse("orders:staff_detail", args=[order.number])
    # The people who work orders and the canned responses, read once.
    with django_assert_num_queries(DETAIL_QUERIES + 2):
        client.get(url)
    with django_assert_num_queries(DETAIL_QUERIES):
        page = client.get(url).content.decode()
    for text in (
        f"Order {order.number}: Email only",
        "Submitted by",
        "Requested completion",
        "Planned completion",
        "Owner",
        "Priority",
        "Process “Grant the shared mailboxes”",
        "Needs a person: The directory has no shared mailbox frontdesk@example.edu.",
        "Skip this step",
    ):
        assert text in page, text


def test_detail_page_query_count_stays_fixed_as_the_thread_grows(
    client,
    technician,
    manager,
    order,
    coordinator,
    django_assert_num_queries,
    tmp_path,
    settings,
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from orders.services import order_client_reply
    from orders.services.messages import order_message_post

    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(technician)
    client.get("/")  # the person's roles are read once, then cached (accounts/access.py)
    url = reverse("orders:staff_detail", args=[order.number])

    def load(expected):
        # session, user, order (+software, actions), the newest messages
        # (+attachments), ITSM tickets, the newest audits and emails (+content
        # type), subscribers, secret.
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200

    client.get(url)  # the people who work orders and canned responses: read once, cached
    load(DETAIL_QUERIES)
    order_client_reply(order=order, author=coordinator, body="First question")
    # Messages without attachments add no query; attachments on the page, one.
    load(DETAIL_QUERIES)
    for i in range(8):
        order_client_reply(order=order, author=coordinator, body=f"Question {i}")
        order_message_post(
            order=order,
            author=manager,
            kind="follow_up",
            body=f"Follow-up {i}",
            assigned_to=technician,
            files=[SimpleUploadedFile(f"n{i}.txt", b"note", "text/plain")],
        )
        OrderITSMTicket.objects.create(order=order, itsm_id=f"TDX-{i}")
    load(DETAIL_QUERIES + 1)
    page = client.get(url).content.decode()
    assert ">n7.txt</a> (4\xa0bytes)" in page  # the newest follow-up's file
    assert page.count('<ul class="orders-attachments">') == 5  # 5 follow-ups of 10 shown


def test_organization_search_by_name_and_email_domain(client, technician, order):
    target = OrganizationFactory(name="School of Medicine")
    OrganizationDomainFactory(organization=target, domain="med.example.edu")
    client.force_login(technician)
    url = reverse("orders:staff_organization", args=[order.number])
    assert target in client.get(url, {"q": "medicine"}).context["results"]
    assert target in client.get(url, {"q": "pat@med.example.edu"}).context["results"]
    assert client.get(url, {"q": "zzz"}).context["results"] == []

    client.post(url, {"organization": target.pk})
    order.refresh_from_db()
    assert order.organization == target
    assert OrderAudit.objects.filter(order=order, transition="organization_changed").exists()


def test_itsm_tickets_add_hold_close(client, technician, order):
    client.force_login(technician)
    add = reverse("orders:staff_itsm_add", args=[order.number])
    client.post(add, {"itsm_id": "TDX-77", "title": "Mailbox", "status": "open"})
    client.post(add, {"itsm_id": "TDX-77", "title": "Again", "status": "open"})
    ticket = OrderITSMTicket.objects.get(order=order)
    assert ticket.title == "Mailbox"
    status_url = reverse("orders:staff_itsm_status", args=[order.number, ticket.pk])
    client.post(status_url, {"status": ITSMTicketStatus.CLOSED})
    ticket.refresh_from_db()
    assert ticket.status == ITSMTicketStatus.CLOSED
    page = client.get(reverse("orders:staff_detail", args=[order.number])).content.decode()
    closed_part = page.split("<h3>Closed</h3>")[1].split("</ul>")[0]
    assert "No open ITSM ticket." in page
    assert "TDX-77" in closed_part
    assert OrderAudit.objects.filter(order=order, transition="itsm_ticket_status").exists()


def test_subscribe_and_unsubscribe(client, technician, order):
    client.force_login(technician)
    client.post(reverse("orders:staff_subscribe", args=[order.number]))
    client.post(reverse("orders:staff_subscribe", args=[order.number]))
    assert OrderSubscription.objects.filter(order=order, user=technician).count() == 1
    page = client.get(reverse("orders:staff_detail", args=[order.number])).content.decode()
    assert "Unsubscribe</button>" in page
    client.post(reverse("orders:staff_unsubscribe", args=[order.number]))
    assert not OrderSubscription.objects.exists()


def test_send_order_link_for_a_draft(client, technician, coordinator, commit, mailoutbox):
    draft = draft_email_order(coordinator=coordinator)
    client.force_login(technician)
    page = client.get(reverse("orders:staff_detail", args=[draft.number])).content.decode()
    assert "Send order link" in page
    with commit():
        client.post(
            reverse("orders:staff_send_link", args=[draft.number]),
            {"email": "", "sender": "it", "subject": "Finish it", "message": "Please finish."},
        )
    assert [m.to for m in mailoutbox] == [[coordinator.email]]
    assert "/orders/finish/" in mailoutbox[0].body


def test_emails_and_history_timelines(client, technician, order):
    client.force_login(technician)
    page = client.get(reverse("orders:staff_detail", args=[order.number])).content.decode()
    history = page.split('id="history-h"')[1].split("</section>")[0]
    assert "Queued in Email accounts" in history
    emails = page.split('id="emails-h"')[1].split("</section>")[0]
    assert "No emails sent" not in emails  # the confirmation went out
