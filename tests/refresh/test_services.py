import pytest

from accounts.roles import Role
from refresh import services
from refresh.choices import BatchRowOutcome, EventKind, RefreshStyle, TicketStatus
from refresh.exceptions import RefreshError, TransitionDenied
from refresh.models import RefreshBatchRow, RefreshTicket
from refresh.selectors import ticket_customer_email
from tests.refresh.factories import (
    HardwareModelFactory,
    PeripheralBundleFactory,
    PeripheralFactory,
    RefreshConfigFactory,
    SoftwareTitleFactory,
    StockSystemFactory,
    SystemFactory,
)

S = TicketStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_effects(monkeypatch):
    """The tasks the services promise (outbox rows hurried after commit), by name,
    instead of sending them to a broker."""
    from common.models import Effect

    calls = []

    class Recorder:
        def __init__(self, name):
            self.name = name

        def delay(self, **kwargs):
            effect = Effect.objects.get(pk=kwargs["effect_id"])
            calls.append((effect.task_name, effect.kwargs))

        def apply_async(self, *, kwargs, countdown=None):
            self.delay(**kwargs)

    monkeypatch.setattr("common.effects.task_by_name", Recorder)
    return calls


def test_effects_run_after_commit_with_source_and_target(
    flow, fake_effects, django_capture_on_commit_callbacks
):
    from common.models import Effect

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ticket = flow.new()
    assert fake_effects == []  # nothing before commit
    for callback in callbacks:
        callback()
    # Creation promises the owner lookup (issue 11: user, support team and location
    # from the ITSM's asset record) and then the one ITSM ticket, in that order.
    assert fake_effects == [
        ("refresh.tasks.owner_lookup_task", {"ticket_id": ticket.pk}),
        ("refresh.tasks.itsm_ticket_create_task", {"ticket_id": ticket.pk}),
    ]
    # The ITSM ticket is promised once per ticket: a later transition adds no
    # second create (two would race in the ITSM's "find before create").
    fake_effects.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_send_invite(ticket=ticket, job="invites")
    assert fake_effects == []
    creates = Effect.objects.filter(task_name="refresh.tasks.itsm_ticket_create_task")
    assert list(creates.values_list("target_id", flat=True)) == [ticket.pk]


def test_refused_transition_schedules_no_effects(
    flow, fake_effects, django_capture_on_commit_callbacks
):
    ticket = flow.new()
    fake_effects.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RefreshError):
        services.ticket_mark_complete(ticket=ticket)
    assert fake_effects == []


def test_create_takes_user_team_bundle_and_refuses_second_open_ticket(admin, team):
    bundle = PeripheralBundleFactory()
    bundle.peripherals.add(PeripheralFactory(), PeripheralFactory())
    config = RefreshConfigFactory(peripheral_bundle=bundle, support_team=team)
    system = SystemFactory()
    ticket = services.ticket_create(system=system, config=config, actor=admin)
    assert ticket.user == system.current_user
    assert ticket.support_team == team
    assert ticket.proposed_model in config.approved_models.all()
    assert ticket.peripherals.count() == 2
    assert ticket.location_building == system.building
    with pytest.raises(RefreshError, match="already has an open"):
        services.ticket_create(system=system, config=config, actor=admin)


def test_customer_style_needs_a_user_or_delegate(admin, make_user):
    config = RefreshConfigFactory()
    lab = SystemFactory(current_user=None)
    with pytest.raises(RefreshError, match="no current user"):
        services.ticket_create(system=lab, config=config)
    ticket = services.ticket_create(system=lab, config=config, delegate=make_user())
    assert ticket.status == S.PENDING_INVITE
    no_customer = services.ticket_create(
        system=SystemFactory(current_user=None), config=config, style=RefreshStyle.NO_CUSTOMER
    )
    assert no_customer.status == S.PENDING_ORDERING


def test_customer_email_prefers_delegate_and_never_for_no_customer(make_user):
    config = RefreshConfigFactory()
    delegate = make_user(email="assistant@example.edu")
    system = SystemFactory()
    ticket = services.ticket_create(system=system, config=config, delegate=delegate)
    assert ticket_customer_email(ticket) == "assistant@example.edu"
    plain = services.ticket_create(system=SystemFactory(), config=config)
    assert ticket_customer_email(plain) == plain.user.email
    lab = services.ticket_create(
        system=SystemFactory(), config=config, style=RefreshStyle.NO_CUSTOMER
    )
    assert ticket_customer_email(lab) is None


def test_wizard_answers_respect_config_options(flow):
    ticket = flow.advance(flow.new(), S.PENDING_CUSTOMER)
    other = HardwareModelFactory(platform="mac")
    ticket.config.approved_models.add(other)
    with pytest.raises(RefreshError):
        services.ticket_submit_wizard(
            ticket=ticket, actor_label="customer", answers={"chosen_model": other}
        )
    with pytest.raises(RefreshError):
        services.ticket_submit_wizard(
            ticket=ticket, actor_label="customer", answers={"none_fits": True}
        )
    ticket.config.can_customize_platform = True
    ticket.config.can_customize_software = True
    ticket.config.save()
    title = SoftwareTitleFactory()
    ticket.config.software_catalog.add(title)
    ticket = services.ticket_submit_wizard(
        ticket=ticket,
        actor_label="customer",
        answers={"chosen_model": other, "software_requests": [title.pk]},
    )
    assert ticket.chosen_model == other
    assert list(ticket.software_requests.all()) == [title]
    assert ticket.wizard_progress == {}


def test_on_prem_changed_location_records_event(flow):
    ticket = flow.advance(flow.new(), S.PENDING_CUSTOMER)
    ticket = services.ticket_submit_wizard(
        ticket=ticket,
        actor_label="customer",
        answers={"location_building": "New Wing", "location_room": "5"},
    )
    event = ticket.events.get(kind=EventKind.CHANGED_LOCATION)
    assert event.payload["to"]["building"] == "New Wing"


def test_wizard_progress_saved_between_visits(flow):
    ticket = flow.advance(flow.new(), S.PENDING_CUSTOMER)
    services.ticket_save_wizard_progress(ticket=ticket, progress={"step": "device"})
    ticket.refresh_from_db()
    assert ticket.wizard_progress == {"step": "device"}


def test_approver_edits_until_ordering_then_files_change_requests(flow, approver):
    ticket = flow.to(S.PENDING_APPROVAL, approval=True)
    ticket = services.ticket_update_by_approver(
        ticket=ticket, approver=approver, answers={"location_room": "12B"}
    )
    assert ticket.location_room == "12B"
    with pytest.raises(RefreshError, match="edit the ticket directly"):
        services.ticket_file_change_request(ticket=ticket, approver=approver, text="x")
    ticket = services.ticket_approve(ticket=ticket, approver=approver)
    assert ticket.status == S.PENDING_ORDERING
    with pytest.raises(RefreshError, match="change request"):
        services.ticket_update_by_approver(
            ticket=ticket, approver=approver, answers={"location_room": "1"}
        )
    event = services.ticket_file_change_request(
        ticket=ticket, approver=approver, text="Add a second monitor"
    )
    assert event.kind == EventKind.CHANGE_REQUEST
    assert event.itsm_synced_at is None
    assert services.ticket_event_mark_synced(event=event) is True
    assert services.ticket_event_mark_synced(event=event) is False


def test_other_approver_cannot_edit(flow, make_user):
    ticket = flow.to(S.PENDING_APPROVAL, approval=True)
    with pytest.raises(TransitionDenied):
        services.ticket_update_by_approver(
            ticket=ticket, approver=make_user(Role.APPROVER), answers={"location_room": "1"}
        )


def test_single_ticket_replacement_swaps_without_advancing(flow, admin, fake_effects):
    ticket = flow.to(S.PENDING_ORDERING, approval=True)
    stock = StockSystemFactory()
    ticket = services.ticket_assign_replacement(ticket=ticket, system=stock, actor=admin)
    assert ticket.status == S.PENDING_ORDERING
    assert ticket.replacement_system == stock
    assert ticket.events.filter(kind=EventKind.REPLACEMENT_CHANGED).exists()


def test_replacement_cannot_serve_two_open_tickets(flow, admin):
    first = flow.to(S.PENDING_ORDERING, approval=True)
    second = flow.to(S.PENDING_ORDERING, approval=True)
    stock = StockSystemFactory()
    services.ticket_assign_replacement(ticket=first, system=stock, actor=admin)
    with pytest.raises(RefreshError, match="already the replacement"):
        services.ticket_assign_replacement(ticket=second, system=stock, actor=admin)


def test_bulk_assignment_by_serial_advances_all(flow, admin):
    tickets = [flow.to(S.PENDING_ORDERING, approval=True) for _ in range(3)]
    stock = [StockSystemFactory() for _ in tickets]
    report = services.tickets_assign_replacements_bulk(
        assignments=[(t.pk, s.serial_number.lower()) for t, s in zip(tickets, stock, strict=True)],
        actor=admin,
    )
    assert report.applied
    assert report.ok_count == 3
    for ticket, system in zip(tickets, stock, strict=True):
        ticket.refresh_from_db()
        assert ticket.status == S.PENDING_ITSM_EXISTENCE
        assert ticket.replacement_system == system


def test_bulk_assignment_refuses_unknown_serial_and_duplicates(flow, admin):
    a = flow.to(S.PENDING_ORDERING, approval=True)
    b = flow.to(S.PENDING_ORDERING, approval=True)
    stock = StockSystemFactory()
    report = services.tickets_assign_replacements_bulk(
        assignments=[(a, stock.serial_number), (b, stock.serial_number)], actor=admin
    )
    assert not report.applied
    assert "twice" in report.rows[1].message
    report = services.tickets_assign_replacements_bulk(assignments=[(a, "NOPE-1")], actor=admin)
    assert "Unknown serial" in report.rows[0].message


def test_bulk_assignment_needs_permission(flow, manager):
    ticket = flow.to(S.PENDING_ORDERING, approval=True)
    with pytest.raises(TransitionDenied):
        services.tickets_assign_replacements_bulk(
            assignments=[(ticket, StockSystemFactory())], actor=manager
        )


def test_batch_lookup_and_create_with_per_row_report(admin, team):
    config = RefreshConfigFactory(support_team=team)
    found = SystemFactory()
    busy = SystemFactory()
    services.ticket_create(system=busy, config=config)
    no_user = SystemFactory(current_user=None)
    text = (
        f"{found.serial_number.lower()}\n{busy.serial_number}, UNKNOWN-9 "
        f"{no_user.serial_number}\n{found.serial_number}"
    )
    batch = services.batch_create(name="Fall wave", config=config, serials_text=text, actor=admin)
    outcomes = [row.outcome for row in services.batch_preview(batch=batch)]
    assert outcomes == [
        BatchRowOutcome.FOUND,
        BatchRowOutcome.ALREADY_OPEN,
        BatchRowOutcome.UNKNOWN,
        BatchRowOutcome.NO_USER,
        BatchRowOutcome.DUPLICATE,
    ]
    report = services.batch_create_tickets(batch=batch, actor=admin)
    assert report.ok_count == 1
    ticket = RefreshTicket.objects.get(existing_system=found)
    assert ticket.batch == batch
    assert ticket.status == S.PENDING_INVITE
    assert ticket.invite_at is not None
    assert ticket.audits.get().transition == "create"
    rows = list(RefreshBatchRow.objects.filter(batch=batch).order_by("position"))
    assert [r.outcome for r in rows][0] == BatchRowOutcome.CREATED
    assert rows[0].ticket == ticket
    with pytest.raises(RefreshError, match="already created"):
        services.batch_create_tickets(batch=batch, actor=admin)


def test_bulk_creation_from_systems(admin):
    config = RefreshConfigFactory(style=RefreshStyle.NO_CUSTOMER)
    systems = [SystemFactory(current_user=None) for _ in range(3)]
    services.ticket_create(system=systems[0], config=config)
    report = services.tickets_create_for_systems(systems=systems, config=config, actor=admin)
    assert report.ok_count == 2
    assert report.rows[0].outcome == BatchRowOutcome.ALREADY_OPEN
    assert RefreshTicket.objects.filter(status=S.PENDING_ORDERING).count() == 3


def test_bulk_hold_and_reschedule_report_each_row(flow, admin):
    scheduled = flow.to(S.DELIVERY_SCHEDULED)
    waiting = flow.to(S.PENDING_CUSTOMER)
    report = services.tickets_reschedule_bulk(ticket_ids=[scheduled.pk, waiting.pk], actor=admin)
    assert [row.ok for row in report.rows] == [True, False]
    scheduled.refresh_from_db()
    assert scheduled.status == S.PENDING_CUSTOMER_SCHEDULING
    report = services.tickets_hold_bulk(ticket_ids=[scheduled.pk, waiting.pk], actor=admin)
    assert report.ok_count == 2


def test_bulk_actions_need_administrator(flow, manager):
    ticket = flow.to(S.PENDING_CUSTOMER)
    with pytest.raises(TransitionDenied):
        services.tickets_hold_bulk(ticket_ids=[ticket.pk], actor=manager)


def test_claim_once_is_idempotent(flow):
    ticket = flow.to(S.PENDING_CUSTOMER)
    assert services.ticket_claim_once(ticket=ticket, field="first_reminder_sent_at") is True
    assert services.ticket_claim_once(ticket=ticket, field="first_reminder_sent_at") is False


def test_itsm_lookup_failures_are_counted(flow):
    ticket = flow.to(S.PENDING_ITSM_EXISTENCE)
    for _ in range(3):
        ticket = services.ticket_itsm_lookup_failed(ticket=ticket, error="Not found")
    assert ticket.itsm_lookup_attempts == 3
    ticket = services.ticket_itsm_found(ticket=ticket)
    assert ticket.itsm_lookup_error == ""


# --- effects: each transition enqueues its follow-up tasks by name -----------------
def test_submitted_wizard_enqueues_the_confirmation_after_commit(
    flow, fake_effects, django_capture_on_commit_callbacks
):
    ticket = flow.to(S.PENDING_CUSTOMER, approval=True)
    fake_effects.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_submit_wizard(ticket=ticket, actor_label="customer")
    # (The ITSM ticket was promised at creation, once.)
    assert fake_effects == [("refresh.tasks.wizard_submitted_task", {"ticket_id": ticket.pk})]


def test_customer_reschedule_enqueues_slot_email_and_itsm_note(
    flow, manager, fake_effects, django_capture_on_commit_callbacks
):
    ticket = flow.to(S.DELIVERY_SCHEDULED)
    fake_effects.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_request_reschedule(ticket=ticket, actor=manager)
    names = [name for name, _ in fake_effects]
    assert "refresh.tasks.pick_slot_email_task" in names
    assert (
        "refresh.tasks.itsm_reschedule_update_task",
        {"ticket_id": ticket.pk, "reason": "released"},
    ) in fake_effects
    assert (
        "refresh.tasks.pick_slot_email_task",
        {"ticket_id": ticket.pk, "rescheduling": True},
    ) in (fake_effects)
