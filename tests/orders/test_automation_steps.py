"""Issue 12 item 8: the email-only queue is automated end to end; a step the directory
cannot do turns into a manual step that says why (deactivations too)."""

import pytest

from integrations.directory import NeedsPerson, UsernameTaken
from orders.choices import ActionKind, ActionStatus, OrderStatus, OrderType
from orders.services import order_action_process, order_create_draft, order_submit

pytestmark = pytest.mark.django_db


def test_the_email_queue_has_no_manual_step(queues):
    steps = list(queues[OrderType.EMAIL_ONLY].action_templates.values_list("kind", "name"))
    assert {kind for kind, _ in steps} == {ActionKind.AUTOMATED}
    assert [name for _, name in steps] == [
        "Create the account and mailbox",
        "Add the distribution groups",
        "Grant the shared mailboxes",
        "Send the confirmation with the set-password link",
    ]


def test_an_email_order_without_groups_completes_alone(coordinator, queues, directory, commit):
    order = order_create_draft(
        order_type=OrderType.EMAIL_ONLY,
        organization=coordinator.organization,
        submitted_by=coordinator,
        data={"new_full_name": "Solo", "new_username": "solo", "new_email": "solo@example.edu"},
    )
    with commit():
        order_submit(order=order, actor=coordinator)
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    assert directory.names() == ["create_account"]
    notes = list(order.actions.order_by("position").values_list("note", flat=True))
    assert notes[1:3] == [
        "The order names no distribution groups.",
        "The order names no shared mailboxes.",
    ]


def test_a_taken_username_asks_a_person_and_says_what_to_do(
    coordinator, queues, directory, technician, commit
):
    directory.fail["create_account"] = UsernameTaken("The username taken1 is already taken.")
    order = order_create_draft(
        order_type=OrderType.EMAIL_ONLY,
        organization=coordinator.organization,
        submitted_by=coordinator,
        data={"new_full_name": "T", "new_username": "taken1", "new_email": "t1@example.edu"},
    )
    with commit():
        order_submit(order=order, actor=coordinator)
    first = order.actions.get(position=1)
    assert (first.kind, first.status) == (ActionKind.MANUAL, ActionStatus.PENDING)
    assert first.instructions == (
        "Needs a person: The username taken1 is already taken. Agree another username with "
        "the coordinator, create the account by hand, then mark this step done."
    )
    del directory.fail["create_account"]
    with commit():
        order_action_process(action=first, actor=technician, note="Created as taken2.")
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED  # the other steps ran on their own


def test_a_deactivation_the_directory_cannot_do_waits_for_a_person(
    coordinator, queues, directory, technician, make_user, commit
):
    leaver = make_user(organization=coordinator.organization)
    directory.fail["deactivate_account"] = NeedsPerson("The account is on legal hold.")
    order = order_create_draft(
        order_type=OrderType.DEACTIVATE_FUTURE_REPLACEMENT,
        organization=coordinator.organization,
        submitted_by=coordinator,
        data={"existing_user": leaver, "workstation": "WX31"},
    )
    with commit():
        order_submit(order=order, actor=coordinator)
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PROGRESS
    first = order.actions.get(position=1)
    assert first.kind == ActionKind.MANUAL
    assert "The account is on legal hold." in first.instructions
    assert directory.names() == []  # the parking waits for the person
    with commit():
        order_action_process(action=first, actor=technician, note="Disabled by hand.")
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    assert directory.names() == ["rename_computer"]
