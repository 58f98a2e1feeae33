"""Every status reachable through services; every refused transition refused."""

import pytest

from refresh import services
from refresh.choices import EventKind, RefreshStyle, TicketStatus
from refresh.exceptions import RefreshError, TransitionDenied, TransitionNotAllowed
from refresh.models import RefreshTicketAudit
from tests.refresh.factories import RefreshConfigFactory, StockSystemFactory, SystemFactory

S = TicketStatus
pytestmark = pytest.mark.django_db

REACHABLE = [
    (S.PENDING_INVITE, RefreshStyle.ON_PREM, False),
    (S.PENDING_CUSTOMER, RefreshStyle.ON_PREM, False),
    (S.PENDING_LOCATION_INFO, RefreshStyle.ON_PREM, False),
    (S.PENDING_APPROVAL, RefreshStyle.ON_PREM, True),
    (S.PENDING_ORDERING, RefreshStyle.ON_PREM, True),
    (S.PENDING_ITSM_EXISTENCE, RefreshStyle.ON_PREM, False),
    (S.PENDING_SLOT_DISCOVERY, RefreshStyle.ON_PREM, False),
    (S.PENDING_CUSTOMER_SCHEDULING, RefreshStyle.USER_SPECIFIED_LOCATION, False),
    (S.DELIVERY_SCHEDULED, RefreshStyle.ON_PREM, False),
    (S.PENDING_DELIVERY, RefreshStyle.REMOTE, False),
    (S.INSTALLED, RefreshStyle.REMOTE, False),
    (S.COMPLETE, RefreshStyle.ON_PREM, False),
    (S.CANCELLED, RefreshStyle.ON_PREM, False),
    (S.ON_HOLD, RefreshStyle.ON_PREM, False),
]


def test_every_status_is_covered():
    assert {status for status, _, _ in REACHABLE} == set(S)


@pytest.mark.parametrize(("target", "style", "approval"), REACHABLE)
def test_every_status_is_reachable_through_services(flow, target, style, approval):
    ticket = flow.to(target, style=style, approval=approval)
    assert ticket.status == target
    audits = list(RefreshTicketAudit.objects.filter(ticket=ticket).order_by("id"))
    assert audits[0].from_status == ""
    assert audits[0].transition == "create"
    assert audits[-1].to_status == target
    # Audit rows chain: each starts where the previous one ended.
    for before, after in zip(audits, audits[1:], strict=False):
        assert after.from_status == before.to_status


def test_no_customer_goes_straight_to_ordering_and_to_generic_slot(flow):
    ticket = flow.new(style=RefreshStyle.NO_CUSTOMER)
    assert ticket.status == S.PENDING_ORDERING
    assert ticket.invite_at is None
    assert ticket.deadline_at is None
    ticket = flow.advance(ticket, S.DELIVERY_SCHEDULED)
    assert ticket.delivery_at is not None
    # A real booking on the team's generic 12 AM slot (issue 11, item 4).
    assert ticket.booking.slot.generic
    assert ticket.booking.slot.start == ticket.delivery_at


def test_customer_ticket_gets_business_dates(flow):
    ticket = flow.new()
    assert ticket.status == S.PENDING_INVITE
    assert ticket.invite_at < ticket.first_reminder_at < ticket.second_reminder_at
    assert ticket.second_reminder_at < ticket.deadline_at


def test_bump_down_needs_replacement_and_skips_ordering(flow, approver):
    config = RefreshConfigFactory(style=RefreshStyle.BUMP_DOWN, requires_approval=True)
    config.approvers.add(approver)
    with pytest.raises(RefreshError, match="replacement"):
        services.ticket_create(system=SystemFactory(), config=config)
    ticket = flow.new(style=RefreshStyle.BUMP_DOWN, approval=True)
    ticket = flow.advance(ticket, S.PENDING_APPROVAL)
    ticket = services.ticket_approve(ticket=ticket, approver=approver)
    assert ticket.status == S.PENDING_ITSM_EXISTENCE


def test_bump_down_without_approval_skips_ordering(flow):
    ticket = flow.advance(flow.new(style=RefreshStyle.BUMP_DOWN), S.PENDING_CUSTOMER)
    ticket = services.ticket_submit_wizard(ticket=ticket, actor_label="customer")
    assert ticket.status == S.PENDING_ITSM_EXISTENCE


def test_wizard_routes_by_approval(flow):
    assert flow.to(S.PENDING_APPROVAL, approval=True).status == S.PENDING_APPROVAL
    ticket = flow.advance(flow.new(approval=False), S.PENDING_CUSTOMER)
    ticket = services.ticket_submit_wizard(ticket=ticket, actor_label="customer")
    assert ticket.status == S.PENDING_ORDERING


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        (RefreshStyle.ON_PREM, S.PENDING_SLOT_DISCOVERY),
        (RefreshStyle.USER_SPECIFIED_LOCATION, S.PENDING_SLOT_DISCOVERY),
        (RefreshStyle.REMOTE, S.PENDING_DELIVERY),
        (RefreshStyle.NO_CUSTOMER, S.DELIVERY_SCHEDULED),
        (RefreshStyle.BUMP_DOWN, S.PENDING_SLOT_DISCOVERY),
    ],
)
def test_itsm_found_routes_by_style(flow, style, expected):
    ticket = flow.to(S.PENDING_ITSM_EXISTENCE, style=style)
    assert services.ticket_itsm_found(ticket=ticket, job="itsm").status == expected


def test_location_info_routes_like_the_wizard(flow, manager):
    ticket = flow.to(S.PENDING_LOCATION_INFO, approval=True)
    ticket = services.ticket_submit_location_info(
        ticket=ticket, actor=manager, answers={"location_building": "North", "location_room": "2"}
    )
    assert ticket.status == S.PENDING_APPROVAL
    assert ticket.location_confirmed_at is not None
    assert ticket.events.filter(kind=EventKind.CHANGED_LOCATION).exists()


def test_hold_remembers_and_resume_returns(flow, manager):
    ticket = flow.to(S.PENDING_SLOT_DISCOVERY)
    ticket = services.ticket_hold(ticket=ticket, actor=manager, note="waiting on parts")
    assert ticket.status == S.ON_HOLD
    assert ticket.status_before_hold == S.PENDING_SLOT_DISCOVERY
    ticket = services.ticket_resume(ticket=ticket, actor=manager)
    assert ticket.status == S.PENDING_SLOT_DISCOVERY
    assert ticket.status_before_hold == ""


def test_reschedule_releases_booking_and_rebooking_works(flow, make_slot):
    ticket = flow.to(S.DELIVERY_SCHEDULED)
    booking = ticket.booking
    ticket = services.ticket_request_reschedule(ticket=ticket, actor_label="customer")
    assert ticket.status == S.PENDING_CUSTOMER_SCHEDULING
    assert ticket.booking_id is None
    booking.refresh_from_db()
    booking.slot.refresh_from_db()
    assert booking.cancelled_at is not None
    assert booking.slot.booked_count == 0
    slot = make_slot(days=5)
    ticket = services.ticket_book_slot(ticket=ticket, slot_id=slot.pk)
    assert ticket.status == S.DELIVERY_SCHEDULED
    assert ticket.booking.slot_id == slot.pk


def test_staff_moving_a_booking_stays_scheduled(flow, make_slot, manager):
    ticket = flow.to(S.DELIVERY_SCHEDULED)
    first_slot = ticket.booking.slot
    other = make_slot(days=8)
    ticket = services.ticket_book_slot(
        ticket=ticket, slot_id=other.pk, actor=manager, actor_label=""
    )
    assert ticket.status == S.DELIVERY_SCHEDULED
    assert ticket.booking.slot_id == other.pk
    first_slot.refresh_from_db()
    assert first_slot.booked_count == 0
    assert ticket.audits.last().from_status == S.DELIVERY_SCHEDULED


def test_full_slot_is_refused_without_changes(flow, make_slot):
    ticket = flow.to(S.PENDING_CUSTOMER_SCHEDULING)
    slot = make_slot(capacity=1)
    services.ticket_book_slot(ticket=flow.to(S.PENDING_CUSTOMER_SCHEDULING), slot_id=slot.pk)
    with pytest.raises(RefreshError, match="no longer available"):
        services.ticket_book_slot(ticket=ticket, slot_id=slot.pk)
    ticket.refresh_from_db()
    assert ticket.status == S.PENDING_CUSTOMER_SCHEDULING


def test_cancel_releases_booking(flow, admin):
    ticket = flow.to(S.DELIVERY_SCHEDULED)
    booking = ticket.booking
    ticket = services.ticket_cancel(ticket=ticket, actor=admin, note="left")
    booking.refresh_from_db()
    assert ticket.status == S.CANCELLED
    assert booking.cancelled_at is not None


def test_return_to_customer_needs_a_note(flow, approver):
    ticket = flow.to(S.PENDING_APPROVAL, approval=True)
    with pytest.raises(RefreshError):
        services.ticket_return_to_customer(ticket=ticket, approver=approver, note=" ")
    ticket = services.ticket_return_to_customer(
        ticket=ticket, approver=approver, note="Pick the 14-inch model"
    )
    assert ticket.status == S.PENDING_CUSTOMER
    assert ticket.audits.last().note == "Pick the 14-inch model"


# --- refused transitions ---------------------------------------------------------
ACTIONS = {
    "send_invite": lambda t, p: services.ticket_send_invite(ticket=t),
    "submit_wizard": lambda t, p: services.ticket_submit_wizard(ticket=t, actor_label="c"),
    "expire_wizard": lambda t, p: services.ticket_expire_wizard(ticket=t),
    "submit_location_info": lambda t, p: services.ticket_submit_location_info(
        ticket=t, actor=p["manager"]
    ),
    "approve": lambda t, p: services.ticket_approve(ticket=t, approver=p["approver"]),
    "return_to_customer": lambda t, p: services.ticket_return_to_customer(
        ticket=t, approver=p["approver"], note="x"
    ),
    "itsm_found": lambda t, p: services.ticket_itsm_found(ticket=t, job="j"),
    "slot_discovered": lambda t, p: services.ticket_slot_discovered(ticket=t, job="j"),
    "book_slot": lambda t, p: services.ticket_book_slot(ticket=t, slot_id=p["slot"]().pk),
    "request_reschedule": lambda t, p: services.ticket_request_reschedule(
        ticket=t, actor_label="c"
    ),
    "mark_installed": lambda t, p: services.ticket_mark_installed(ticket=t),
    "mark_complete": lambda t, p: services.ticket_mark_complete(ticket=t),
    "hold": lambda t, p: services.ticket_hold(ticket=t, actor=p["manager"]),
    "resume": lambda t, p: services.ticket_resume(ticket=t, actor=p["manager"]),
    "cancel": lambda t, p: services.ticket_cancel(ticket=t, actor=p["admin"]),
}

# Statuses (reached on the default on-prem path) each action accepts.
ALLOWED = {
    "send_invite": {S.PENDING_INVITE},
    "submit_wizard": {S.PENDING_CUSTOMER},
    "expire_wizard": {S.PENDING_CUSTOMER},
    "submit_location_info": {S.PENDING_LOCATION_INFO},
    "approve": {S.PENDING_APPROVAL},
    "return_to_customer": {S.PENDING_APPROVAL},
    "itsm_found": {S.PENDING_ITSM_EXISTENCE},
    "slot_discovered": {S.PENDING_SLOT_DISCOVERY},
    "book_slot": {S.PENDING_CUSTOMER_SCHEDULING, S.DELIVERY_SCHEDULED},
    "request_reschedule": {S.DELIVERY_SCHEDULED},
    "mark_installed": {S.DELIVERY_SCHEDULED, S.PENDING_DELIVERY},
    "mark_complete": {S.INSTALLED},
    "hold": set(S) - {S.ON_HOLD, S.COMPLETE, S.CANCELLED},
    "resume": {S.ON_HOLD},
    "cancel": set(S) - {S.COMPLETE, S.CANCELLED},
}

REFUSED = [
    (action, status, style, approval)
    for action in ACTIONS
    for status, style, approval in REACHABLE
    if status not in ALLOWED[action]
]


@pytest.mark.parametrize(("action", "status", "style", "approval"), REFUSED)
def test_refused_transition_names_current_status(
    flow, admin, manager, approver, make_slot, action, status, style, approval
):
    ticket = flow.to(status, style=style, approval=approval)
    audits_before = ticket.audits.count()
    people = {"admin": admin, "manager": manager, "approver": approver, "slot": make_slot}
    with pytest.raises(TransitionNotAllowed) as excinfo:
        ACTIONS[action](ticket, people)
    assert S(status).label in str(excinfo.value.messages[0])
    ticket.refresh_from_db()
    assert ticket.status == status
    assert ticket.audits.count() == audits_before


def test_assign_bulk_refuses_wrong_state_rows_and_changes_nothing(flow, admin):
    ordering = flow.to(S.PENDING_ORDERING, approval=True)
    waiting = flow.to(S.PENDING_CUSTOMER)
    report = services.tickets_assign_replacements_bulk(
        assignments=[(ordering, StockSystemFactory()), (waiting, StockSystemFactory())],
        actor=admin,
    )
    assert not report.applied
    assert [row.ok for row in report.rows] == [True, False]
    assert "Pending customer" in report.rows[1].message
    ordering.refresh_from_db()
    assert ordering.status == S.PENDING_ORDERING
    assert ordering.replacement_system_id is None


def test_remote_wizard_needs_shipping_address(flow):
    ticket = flow.advance(flow.new(style=RefreshStyle.REMOTE), S.PENDING_CUSTOMER)
    with pytest.raises(TransitionNotAllowed, match="shipping address"):
        services.ticket_submit_wizard(ticket=ticket, actor_label="customer")


def test_permissions_are_enforced_for_people(flow, make_user, manager):
    from accounts.roles import Role

    other_approver = make_user(Role.APPROVER)
    ticket = flow.to(S.PENDING_APPROVAL, approval=True)
    with pytest.raises(TransitionDenied):
        services.ticket_approve(ticket=ticket, approver=other_approver)
    with pytest.raises(TransitionDenied):
        services.ticket_cancel(ticket=ticket, actor=manager)
    coordinator = make_user(Role.COORDINATOR)
    with pytest.raises(TransitionDenied):
        services.ticket_hold(ticket=ticket, actor=coordinator)


def test_protected_status_cannot_be_assigned(flow):
    ticket = flow.new()
    with pytest.raises(AttributeError):
        ticket.status = S.COMPLETE
