import pytest
from django.core.exceptions import ValidationError

from accounts.roles import Role
from orders.choices import ActionStatus, OrderStatus, OrderType
from orders.exceptions import OrderError, OrderTransitionNotAllowed
from orders.models import Order, OrderAudit
from orders.services import (
    order_action_process,
    order_action_retry,
    order_action_skip,
    order_actions_advance,
    order_cancel,
    order_create_draft,
    order_hold,
    order_number_allocate,
    order_resume,
    order_submit,
    order_update_draft,
)

pytestmark = pytest.mark.django_db


def _email_draft(coordinator, **data):
    """An email-only draft naming a shared mailbox the directory lacks, so once
    submitted its step 3 needs a person (manual) and the order stays open."""
    values = {
        "new_full_name": "Nia New",
        "new_username": "nnew",
        "new_email": "nnew@example.edu",
        "shared_mailboxes": ["frontdesk@example.edu"],
    }
    values.update(data)
    return order_create_draft(
        order_type=OrderType.EMAIL_ONLY,
        organization=coordinator.organization,
        submitted_by=coordinator,
        data=values,
    )


def test_a_draft_edit_writes_one_audit_row_with_before_and_after(coordinator):
    order = _email_draft(coordinator)
    order_update_draft(
        order=order,
        actor=coordinator,
        data={"new_full_name": " Nia Newer ", "new_email": "nnew@example.edu"},
    )
    audit = order.audits.get(transition="draft_edited")
    assert audit.changes == {"new_full_name": ["Nia New", "Nia Newer"]}
    assert audit.actor == coordinator
    assert str(audit) == f"{order.pk}: changed new_full_name"
    order_update_draft(order=order, actor=coordinator, data={"new_full_name": "Nia Newer"})
    assert order.audits.filter(transition="draft_edited").count() == 1
    order.refresh_from_db()
    assert order.new_full_name == "Nia Newer"


def test_order_numbers_are_unique_and_human_friendly():
    first = order_number_allocate()
    second = order_number_allocate()
    assert second == first + 1
    assert first >= 77801


def test_draft_update_only_while_draft(coordinator, queues, directory, technician):
    order = _email_draft(coordinator)
    order_update_draft(order=order, actor=coordinator, data={"new_full_name": "Nia Newer"})
    order.refresh_from_db()
    assert order.new_full_name == "Nia Newer"
    order_submit(order=order, actor=coordinator)
    with pytest.raises(OrderTransitionNotAllowed, match="submitted|in progress|completed"):
        order_update_draft(order=order, actor=coordinator, data={"new_full_name": "X"})


def test_draft_rejects_fields_of_other_types(coordinator):
    with pytest.raises(OrderError, match="do not apply"):
        _email_draft(coordinator, workstation="WX1")


def test_an_empty_draft_is_never_created(coordinator):
    with pytest.raises(ValidationError) as exc:
        order_create_draft(
            order_type=OrderType.INSTALL_SOFTWARE,
            organization=coordinator.organization,
            submitted_by=coordinator,
            data={"notes": " ", "workstation": "", "software": [], "existing_user": None},
        )
    assert set(exc.value.message_dict) == {"__all__", "software", "existing_user", "workstation"}
    assert not Order.objects.exists()


def test_submit_requires_type_fields(coordinator, queues):
    order = order_create_draft(
        order_type=OrderType.INSTALL_SOFTWARE,
        organization=coordinator.organization,
        submitted_by=coordinator,
        data={"notes": "For the new lab."},
    )
    with pytest.raises(ValidationError) as exc:
        order_submit(order=order, actor=coordinator)
    assert set(exc.value.message_dict) == {"software", "existing_user", "workstation"}


def test_submit_without_queue_is_a_clear_error(coordinator):
    order = _email_draft(coordinator)
    with pytest.raises(OrderError, match="No queue processes Email only"):
        order_submit(order=order, actor=coordinator)


def test_username_must_be_unique_among_live_orders(coordinator, queues, directory):
    first = _email_draft(coordinator)
    order_submit(order=first, actor=coordinator)
    second = _email_draft(coordinator)
    with pytest.raises(ValidationError, match=f"already requested by order {first.number}"):
        order_submit(order=second, actor=coordinator)


def test_submit_copies_actions_and_round_robins_owner(coordinator, queues, make_user, directory):
    queue = queues[OrderType.INSTALL_SOFTWARE]
    second = make_user(Role.ORDERS_TECHNICIAN)
    queue.team.add(second)
    owners = []
    for n in range(3):
        order = _email_draft(coordinator, new_username=f"rr{n}user")
        # Install queue is not used here: check the email queue's team rotation.
        queues[OrderType.EMAIL_ONLY].team.add(second)
        order_submit(order=order, actor=coordinator)
        order.refresh_from_db()
        owners.append(order.owner_id)
        assert [a.position for a in order.actions.all()] == [1, 2, 3, 4]
    assert owners[0] != owners[1]
    assert owners[0] == owners[2]


def test_default_owner_wins_over_round_robin(coordinator, queues, make_user, directory):
    boss = make_user(Role.ORDERS_MANAGER)
    queue = queues[OrderType.EMAIL_ONLY]
    queue.default_owner = boss
    queue.save()
    order = _email_draft(coordinator)
    order_submit(order=order, actor=coordinator)
    order.refresh_from_db()
    assert order.owner == boss


def test_automation_runs_until_the_directory_needs_a_person_then_staff_completes(
    coordinator, queues, directory, technician, django_capture_on_commit_callbacks, mailoutbox
):
    order = _email_draft(coordinator, distribution_groups=["staff-all"])
    with django_capture_on_commit_callbacks(execute=True):
        order_submit(order=order, actor=coordinator)
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PROGRESS
    statuses = [a.status for a in order.actions.all()]
    assert statuses == [ActionStatus.DONE] * 2 + [ActionStatus.PENDING] * 2
    assert directory.names() == ["create_account", "add_to_groups", "grant_mailboxes"]
    assert directory.calls[0][1]["idempotency_key"].startswith(f"order-{order.number}-action-")
    manual = order.actions.get(position=3)
    assert manual.kind == "manual"
    assert manual.instructions.startswith(
        "Needs a person: The directory has no shared mailbox frontdesk@example.edu."
    )
    with django_capture_on_commit_callbacks(execute=True):
        order_action_process(action=manual, actor=technician, note="Mailbox created, granted.")
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    assert order.completed_at is not None
    transitions = list(order.audits.values_list("transition", flat=True))
    assert transitions[:2] == ["create", "submit"]
    assert "start" in transitions
    assert "action_needs_person" in transitions
    assert "action_done" in transitions
    assert transitions[-1] == "complete"


def test_actions_run_in_order(
    coordinator, queues, directory, technician, make_user, django_capture_on_commit_callbacks
):
    order = order_create_draft(
        order_type=OrderType.DEACTIVATE_REPLACEMENT_NOW,
        organization=coordinator.organization,
        submitted_by=coordinator,
        data={
            "existing_user": make_user(organization=coordinator.organization),
            "workstation": "WX20",
            "new_full_name": "Ray Place",
            "new_username": "rplace",
            "new_email": "rplace@example.edu",
        },
    )
    directory.fail["deactivate_account"] = RuntimeError("directory says no")
    with django_capture_on_commit_callbacks(execute=True):
        order_submit(order=order, actor=coordinator)
    order.refresh_from_db()
    first, second = order.actions.all()[:2]
    assert first.status == ActionStatus.FAILED
    assert "directory says no" in first.last_error
    with pytest.raises(OrderError, match="runs automatically"):
        order_action_process(action=first, actor=technician)
    # The manual step later in the queue cannot jump the line.
    manual = order.actions.get(kind="manual")
    with pytest.raises(OrderError, match="Finish “Deactivate the old account” first"):
        order_action_process(action=manual, actor=technician)
    del directory.fail["deactivate_account"]
    with django_capture_on_commit_callbacks(execute=True):
        order_action_retry(action=first, actor=technician)
    first.refresh_from_db()
    assert first.status == ActionStatus.DONE
    assert directory.names()[:3] == ["deactivate_account", "create_account", "recommission_desktop"]


def test_transient_errors_retry_with_a_cap(
    coordinator, queues, settings, django_capture_on_commit_callbacks
):
    """The real directory stub, told to time out: the action retries with growing
    delays, then fails after MAX_ATTEMPTS; a permanent error would fail at once."""
    from integrations.models import StubDirectoryAccount
    from orders.services import automation

    settings.DIRECTORY_STUB_TRANSIENT_FAILURES = {"create_account"}
    order = _email_draft(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        order_submit(order=order, actor=coordinator)
    action = order.actions.get(position=1)
    assert action.status == ActionStatus.PENDING
    assert action.attempts == 1
    assert action.last_error.startswith("TransientDirectoryError")
    delays = []
    for _ in range(10):
        outcome = order_actions_advance(order_id=order.pk)
        if outcome.retry_in is None:
            break
        delays.append(outcome.retry_in)
    action.refresh_from_db()
    assert action.status == ActionStatus.FAILED
    assert action.attempts == automation.MAX_ATTEMPTS
    assert delays == [60, 120, 240]  # after the first 30 s: doubling, below the cap
    assert not StubDirectoryAccount.objects.exists()  # never half-applied


def test_a_transient_error_that_clears_lets_the_action_finish(
    coordinator, queues, settings, django_capture_on_commit_callbacks
):
    from integrations.models import StubDirectoryAccount

    settings.DIRECTORY_STUB_TRANSIENT_FAILURES = {"create_account"}
    order = _email_draft(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        order_submit(order=order, actor=coordinator)
    assert order.actions.get(position=1).status == ActionStatus.PENDING
    settings.DIRECTORY_STUB_TRANSIENT_FAILURES = set()
    outcome = order_actions_advance(order_id=order.pk)
    assert outcome.retry_in is None
    action = order.actions.get(position=1)
    assert action.status == ActionStatus.DONE
    assert action.attempts == 2
    assert StubDirectoryAccount.objects.filter(username=order.new_username).exists()


def test_skip_needs_a_note_and_counts_as_finished(
    coordinator, queues, directory, technician, commit
):
    order = _email_draft(coordinator)
    with commit():
        order_submit(order=order, actor=coordinator)
    manual = order.actions.get(position=3)
    with pytest.raises(ValidationError):
        order_action_skip(action=manual, actor=technician, note=" ")
    with commit():  # the confirmation step then runs
        order_action_skip(action=manual, actor=technician, note="Not needed.")
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED


def test_coordinator_cannot_work_actions(coordinator, queues, directory, commit):
    order = _email_draft(coordinator)
    with commit():
        order_submit(order=order, actor=coordinator)
    with pytest.raises(OrderError, match="may not work"):
        order_action_process(action=order.actions.get(position=3), actor=coordinator)


def test_hold_and_resume_remember_status(coordinator, queues, directory, technician, commit):
    order = _email_draft(coordinator)
    with commit():
        order_submit(order=order, actor=coordinator)
    order.refresh_from_db()
    order_hold(order=order, actor=technician, note="Waiting on HR.")
    order.refresh_from_db()
    assert order.status == OrderStatus.ON_HOLD
    assert order.status_before_hold == OrderStatus.IN_PROGRESS
    with pytest.raises(OrderError, match="on hold"):
        order_action_process(action=order.actions.get(position=3), actor=technician)
    order_resume(order=order, actor=technician)
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PROGRESS
    assert order.status_before_hold == ""


def test_wrong_state_error_names_current_status(coordinator, technician):
    order = _email_draft(coordinator)
    with pytest.raises(OrderTransitionNotAllowed, match="is draft"):
        order_hold(order=order, actor=technician)


def test_cancel_is_never_undone(coordinator, queues, directory, manager, technician):
    order = _email_draft(coordinator)
    order_submit(order=order, actor=coordinator)
    order_cancel(order=order, actor=manager, note="Not needed any more.")
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert not order.actions.filter(status=ActionStatus.PENDING).exists()
    attempts = [
        lambda: order_submit(order=order, actor=coordinator),
        lambda: order_hold(order=order, actor=manager),
        lambda: order_resume(order=order, actor=manager),
        lambda: order_cancel(order=order, actor=manager),
        lambda: order_update_draft(order=order, actor=coordinator, data={}),
        lambda: order_action_process(action=order.actions.last(), actor=technician),
        lambda: order_action_skip(action=order.actions.last(), actor=technician, note="x"),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError):
            attempt()
        order.refresh_from_db()
        assert order.status == OrderStatus.CANCELLED
    assert order_actions_advance(order_id=order.pk).ran == []
    assert OrderAudit.objects.filter(order=order, from_status=OrderStatus.CANCELLED).count() == 0


def test_no_transition_leaves_cancelled():
    """Every FSM transition of Order, from cancelled: none may proceed."""
    from django_fsm import can_proceed

    order = Order(status=OrderStatus.CANCELLED, status_before_hold=OrderStatus.IN_PROGRESS)
    names = [t.name for t in Order._meta.get_field("status").get_all_transitions(Order)]
    assert set(names) >= {"submit", "start", "complete", "hold", "resume", "cancel"}
    for name in names:
        assert not can_proceed(getattr(order, name), check_conditions=False), name


def test_coordinator_may_withdraw_own_draft_only(coordinator, make_user, queues, directory):
    order = _email_draft(coordinator)
    other = make_user(Role.COORDINATOR, organization=coordinator.organization)
    with pytest.raises(OrderError):
        order_cancel(order=order, actor=other)
    order_cancel(order=order, actor=coordinator)
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    submitted = _email_draft(coordinator, new_username="another")
    order_submit(order=submitted, actor=coordinator)
    with pytest.raises(OrderError):
        order_cancel(order=submitted, actor=coordinator)


def test_sweep_picks_only_orders_whose_current_action_is_automated(
    coordinator, queues, directory, commit
):
    from orders.services import order_actions_sweep

    waiting = _email_draft(coordinator, new_username="waits")
    order_submit(order=waiting, actor=coordinator)  # task not run: provisioning waits
    manual = _email_draft(coordinator, new_username="manual")
    with commit():
        order_submit(order=manual, actor=coordinator)  # now waits on the manual step
    assert order_actions_sweep() == [waiting.pk]


@pytest.mark.parametrize("finish", ["process", "skip"])
def test_finished_steps_store_when_they_began_waiting(
    coordinator, queues, directory, technician, commit, finish
):
    """Automated and manual steps alike: the previous step's processing, or the
    order's submission for the first (what the dashboard's step times start from)."""
    order = _email_draft(coordinator)
    with commit():
        order_submit(order=order, actor=coordinator)
    manual = order.actions.get(position=3)
    assert manual.waiting_since is None  # not finished yet
    with commit():  # the confirmation step then runs
        if finish == "process":
            done = order_action_process(action=manual, actor=technician)
        else:
            done = order_action_skip(action=manual, actor=technician, note="Not needed.")
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    steps = list(order.actions.order_by("position"))
    assert len(steps) > 3
    began = order.submitted_at
    for step in steps:
        assert step.processed_at is not None
        assert step.waiting_since == began, step.position
        began = step.processed_at
    assert done.waiting_since == steps[1].processed_at  # read back from the database
