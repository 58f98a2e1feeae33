import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.roles import Role
from refresh import services
from refresh.choices import RefreshStyle, TicketStatus
from refresh.models import RefreshTicket, System
from tests.refresh.factories import RefreshConfigFactory, StockSystemFactory, SystemFactory

S = TicketStatus
pytestmark = pytest.mark.django_db


def _tickets(n, config=None):
    config = config or RefreshConfigFactory()
    return [services.ticket_create(system=SystemFactory(), config=config) for _ in range(n)]


def test_coordinator_and_anonymous_are_refused(client, coordinator):
    url = reverse("refresh:ticket_list")
    assert client.get(url).status_code == 302
    client.force_login(coordinator)
    assert client.get(url).status_code == 403
    assert client.get(reverse("refresh:order_group")).status_code == 403


def test_manager_cannot_open_administrator_pages(client, manager):
    client.force_login(manager)
    assert client.get(reverse("refresh:ticket_list")).status_code == 200
    for name in ("order_group", "batch_create", "bulk_create", "config_create"):
        assert client.get(reverse(f"refresh:{name}")).status_code == 403


LIST_QUERIES = 18  # uncached: the test clears the cache, so roles and permissions are read too
DETAIL_QUERIES = 8  # session, user, the ticket (two), its requests, three timelines
CONFIG_DETAIL_QUERIES = 8


def test_list_query_count_is_constant(client, admin, flow, make_user, django_assert_num_queries):
    client.force_login(admin)
    url = reverse("refresh:ticket_list")
    _tickets(2)
    client.get(url)  # warm caches (content types, permissions)
    cache.clear()  # status counts are cached: measure the uncached page
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    # Rows grow, with every related column filled (delegate, team, replacement).
    _tickets(30, RefreshConfigFactory(style=RefreshStyle.REMOTE))
    for _ in range(3):
        flow.to(S.PENDING_ITSM_EXISTENCE)
    services.ticket_create(
        system=SystemFactory(), config=RefreshConfigFactory(), delegate=make_user()
    )
    # session, user, 2 permission loads, 3 filter choice lists, count, the page's
    # keys, its rows, their systems, people, teams and configs, status counts,
    # problems count:
    # a fixed number whatever the rows.
    cache.clear()
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(url + "?sort=user&q=a")
    assert response.status_code == 200


def test_list_filters_search_and_counts(client, admin, flow):
    client.force_login(admin)
    held = flow.to(S.ON_HOLD)
    other = flow.to(S.PENDING_CUSTOMER)
    response = client.get(reverse("refresh:ticket_list"), {"status": S.ON_HOLD})
    html = response.content.decode()
    assert held.number in html
    assert other.number not in html
    response = client.get(
        reverse("refresh:ticket_list"), {"q": other.existing_system.serial_number}
    )
    assert response.context["page"].paginator.count == 1
    counts = dict((v, c) for v, _, c in response.context["status_counts"])
    assert counts[S.PENDING_CUSTOMER] == 1


def test_problems_and_approval_tabs(client, admin, flow):
    client.force_login(admin)
    location = flow.to(S.PENDING_LOCATION_INFO)
    approval = flow.to(S.PENDING_APPROVAL, approval=True)
    flow.to(S.PENDING_CUSTOMER)
    response = client.get(reverse("refresh:ticket_list"), {"focus": "problems"})
    assert [row["id"] for row in response.context["rows"]] == [location.pk]
    response = client.get(reverse("refresh:ticket_list"), {"focus": "approval"})
    assert [row["id"] for row in response.context["rows"]] == [approval.pk]


def test_detail_shows_only_allowed_actions(client, admin, manager, flow):
    ticket = flow.to(S.DELIVERY_SCHEDULED)
    client.force_login(manager)
    response = client.get(reverse("refresh:ticket_detail", args=[ticket.pk]))
    names = [a.name for a in response.context["actions"]]
    assert names == ["request_reschedule", "hold"]
    client.force_login(admin)
    response = client.get(reverse("refresh:ticket_detail", args=[ticket.pk]))
    names = [a.name for a in response.context["actions"]]
    assert names == ["request_reschedule", "mark_installed", "hold", "cancel"]
    assert b"Status history" in response.content


def test_action_post_runs_service_and_refuses_wrong_state(client, manager, flow):
    ticket = flow.to(S.PENDING_CUSTOMER)
    client.force_login(manager)
    url = reverse("refresh:ticket_action", args=[ticket.pk, "hold"])
    response = client.post(url, {"note": "parts"}, follow=True)
    ticket.refresh_from_db()
    assert ticket.status == S.ON_HOLD
    response = client.post(url, follow=True)
    assert "not possible" in response.content.decode()
    assert client.get(url).status_code == 405
    cancel = reverse("refresh:ticket_action", args=[ticket.pk, "cancel"])
    response = client.post(cancel, follow=True)
    assert "may not" in response.content.decode()


def test_location_form_advances(client, manager, flow):
    ticket = flow.to(S.PENDING_LOCATION_INFO)
    client.force_login(manager)
    url = reverse("refresh:ticket_location", args=[ticket.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"location_building": "", "location_room": "1"})
    assert response.status_code == 200  # building required
    client.post(url, {"location_building": "North", "location_room": "1"})
    ticket.refresh_from_db()
    assert ticket.status == S.PENDING_ORDERING


def test_single_replacement_edit_does_not_advance(client, admin, flow):
    ticket = flow.to(S.PENDING_ORDERING, approval=True)
    stock = StockSystemFactory()
    client.force_login(admin)
    url = reverse("refresh:ticket_replacement", args=[ticket.pk])
    assert b"does not advance" in client.get(url).content
    client.post(url, {"serial_number": stock.serial_number})
    ticket.refresh_from_db()
    assert ticket.replacement_system == stock
    assert ticket.status == S.PENDING_ORDERING


def test_order_group_assigns_and_advances(client, admin, flow):
    tickets = [flow.to(S.PENDING_ORDERING, approval=True) for _ in range(2)]
    stock = [StockSystemFactory() for _ in tickets]
    client.force_login(admin)
    data = {"ticket": [t.pk for t in tickets]}
    for ticket, system in zip(tickets, stock, strict=True):
        data[f"serial-{ticket.pk}"] = system.serial_number
    response = client.post(reverse("refresh:order_group"), data)
    assert response.status_code == 302
    assert set(RefreshTicket.objects.values_list("status", flat=True)) == {S.PENDING_ITSM_EXISTENCE}


def test_order_group_shows_row_errors(client, admin, flow):
    ticket = flow.to(S.PENDING_ORDERING, approval=True)
    client.force_login(admin)
    response = client.post(
        reverse("refresh:order_group"), {"ticket": [ticket.pk], f"serial-{ticket.pk}": "NOPE"}
    )
    assert response.status_code == 200
    assert "Unknown serial" in response.content.decode()


def test_staff_can_assign_slot(client, manager, flow, make_slot):
    ticket = flow.to(S.PENDING_CUSTOMER_SCHEDULING)
    slot = make_slot()
    client.force_login(manager)
    url = reverse("refresh:ticket_slot", args=[ticket.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"slot": slot.pk})
    ticket.refresh_from_db()
    assert ticket.status == S.DELIVERY_SCHEDULED


def test_admin_pages_and_action(client, superuser, flow):
    ticket = flow.to(S.PENDING_CUSTOMER)
    client.force_login(superuser)
    for model in ("refreshticket", "system", "refreshconfig", "refreshbatch", "hardwaremodel"):
        assert client.get(reverse(f"admin:refresh_{model}_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:refresh_refreshticket_change", args=[ticket.pk])).status_code
        == 200
    )
    client.post(
        reverse("admin:refresh_refreshticket_changelist"),
        {"action": "action_put_on_hold", "_selected_action": [ticket.pk]},
    )
    ticket.refresh_from_db()
    assert ticket.status == S.ON_HOLD


def test_detail_query_count_is_constant_and_shows_emails(
    client, admin, flow, django_assert_num_queries
):
    from django.contrib.contenttypes.models import ContentType

    from notifications.models import OutboundEmail

    ticket = flow.to(S.PENDING_SLOT_DISCOVERY)
    client.force_login(admin)
    url = reverse("refresh:ticket_detail", args=[ticket.pk])
    client.get(url)
    with django_assert_num_queries(DETAIL_QUERIES):
        client.get(url)
    # Timelines grow: more audit rows, events and emails.
    kind = ContentType.objects.get_for_model(RefreshTicket)
    for n in range(5):
        services.ticket_record_event(ticket=ticket, kind="comment", summary=f"note {n}")
        OutboundEmail.objects.create(
            key=f"k{n}",
            template="refresh_test",
            to=["a@example.edu"],
            subject=f"Your new computer {n}",
            body_text="x",
            related_type=kind,
            related_id=str(ticket.pk),
        )
    ticket = services.ticket_hold(ticket=ticket, actor=admin, note="wait")
    ticket = services.ticket_resume(ticket=ticket, actor=admin)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(url)
    html = response.content.decode()
    assert "Your new computer 4" in html
    assert "note 4" in html


def test_cached_status_counts_follow_transitions(client, manager, flow):
    ticket = flow.to(S.PENDING_CUSTOMER)
    client.force_login(manager)
    url = reverse("refresh:ticket_list")

    def counts():
        response = client.get(url)
        return {v: c for v, _, c in response.context["status_counts"]}

    assert counts()[S.PENDING_CUSTOMER] == 1
    services.ticket_hold(ticket=ticket, actor=manager)
    after = counts()
    assert after[S.PENDING_CUSTOMER] == 0
    assert after[S.ON_HOLD] == 1


def test_system_admin_action_opens_tickets(client, superuser):
    config = RefreshConfigFactory()
    systems = [SystemFactory() for _ in range(2)]
    client.force_login(superuser)
    response = client.post(
        reverse("admin:refresh_system_changelist"),
        {
            "action": "open_refresh_tickets",
            "config": config.pk,
            "_selected_action": [s.pk for s in systems],
        },
        follow=True,
    )
    assert "2 tickets opened" in response.content.decode()
    assert RefreshTicket.objects.filter(config=config).count() == 2


def test_config_detail_query_count_is_constant_as_history_grows(
    client, admin, organization, make_user, django_assert_num_queries
):
    data = {"name": "Growing", "organization": organization, "style": RefreshStyle.ON_PREM}
    config = services.config_save(actor=admin, data=data)
    client.force_login(admin)
    url = reverse("refresh:config_detail", args=[config.pk])
    client.get(url)
    with django_assert_num_queries(CONFIG_DETAIL_QUERIES):
        client.get(url)
    for n in range(5):
        services.config_save(
            actor=admin,
            config=config,
            data={**data, "name": f"Growing {n}", "approvers": [make_user(Role.APPROVER)]},
        )
    with django_assert_num_queries(CONFIG_DETAIL_QUERIES):
        response = client.get(url)
    assert response.content.decode().count("<li><strong>Edited</strong>") == 5


def test_problems_show_the_first_failed_itsm_lookup_and_look_it_up_again(
    client, admin, flow, django_capture_on_commit_callbacks
):
    """Issue 11, item 13: one failed lookup is a problem, with its last error and a
    "look up again now" button that queues the lookup; pending location info too."""
    from integrations.models import StubITSMAsset

    waiting = flow.to(S.PENDING_ITSM_EXISTENCE)
    location = flow.to(S.PENDING_LOCATION_INFO)
    client.force_login(admin)
    problems = reverse("refresh:ticket_list")
    assert [r["id"] for r in client.get(problems, {"focus": "problems"}).context["rows"]] == [
        location.pk
    ]
    services.ticket_itsm_lookup_failed(ticket=waiting, error="Asset SN123 not found")
    ids = {r["id"] for r in client.get(problems, {"focus": "problems"}).context["rows"]}
    assert ids == {waiting.pk, location.pk}
    page = client.get(reverse("refresh:ticket_detail", args=[waiting.pk])).content.decode()
    assert "The ITSM existence lookup failed once. Last error: Asset SN123 not found" in page
    assert "Look up again now" in page

    StubITSMAsset.objects.create(serial_number=waiting.replacement_system.serial_number)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("refresh:ticket_itsm_lookup", args=[waiting.pk]))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == S.PENDING_SLOT_DISCOVERY


def test_order_group_refuses_computers_in_use_and_keeps_everything_typed(client, admin, flow):
    """Issue 11, item 16: another person's computer (assigned to someone, or the
    existing system of an open ticket) is refused; nothing typed or ticked is lost."""
    first, second, third = (flow.to(S.PENDING_ORDERING, approval=True) for _ in range(3))
    stock = StockSystemFactory()
    someones = SystemFactory()  # assigned to a person
    client.force_login(admin)
    data = {
        "ticket": [first.pk, second.pk],
        f"serial-{first.pk}": stock.serial_number,
        f"serial-{second.pk}": someones.serial_number,
        f"serial-{third.pk}": "TYPED-BUT-NOT-TICKED",
    }
    response = client.post(reverse("refresh:order_group"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{someones.serial_number} is in use: it is assigned to a person" in page
    assert f'value="{stock.serial_number}"' in page
    assert f'value="{someones.serial_number}"' in page
    assert 'value="TYPED-BUT-NOT-TICKED"' in page
    assert f'value="{first.pk}" aria-label="Select {first.number}" checked' in page
    assert f'value="{third.pk}" aria-label="Select {third.number}">' in page
    assert set(RefreshTicket.objects.values_list("status", flat=True)) == {S.PENDING_ORDERING}

    System.objects.filter(pk=third.existing_system_id).update(current_user=None)
    data[f"serial-{second.pk}"] = third.existing_system.serial_number
    page = client.post(reverse("refresh:order_group"), data).content.decode()
    assert "is the computer being replaced on an open ticket" in page
    assert set(RefreshTicket.objects.values_list("status", flat=True)) == {S.PENDING_ORDERING}


def test_single_ticket_page_creates_a_bump_down_ticket(client, admin, manager):
    """Issue 11, item 17: bump-down tickets, which bulk creation refuses, are made here."""
    from refresh.choices import RefreshStyle

    config = RefreshConfigFactory(style=RefreshStyle.BUMP_DOWN)
    system = SystemFactory()
    recycled = StockSystemFactory()
    url = reverse("refresh:ticket_create")
    client.force_login(manager)
    assert client.get(url).status_code == 403
    client.force_login(admin)
    response = client.post(url, {"serial_number": system.serial_number, "config": config.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "replacement" in page
    assert f'value="{system.serial_number}"' in page  # nothing typed is lost
    response = client.post(
        url,
        {
            "serial_number": system.serial_number.lower(),
            "config": config.pk,
            "replacement_serial": recycled.serial_number,
        },
    )
    ticket = RefreshTicket.objects.get(existing_system=system)
    assert response.status_code == 302
    assert response["Location"] == reverse("refresh:ticket_detail", args=[ticket.pk])
    assert ticket.style == RefreshStyle.BUMP_DOWN
    assert ticket.replacement_system == recycled
    response = client.post(url, {"serial_number": "NOPE-1", "config": config.pk})
    assert "No system has the serial number NOPE-1." in response.content.decode()
