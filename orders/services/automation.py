"""Automated order actions, run in order by ``orders.tasks.order_actions_advance_task``.

One step at a time: claim the next action in a short transaction (mark it
running), call the adapter outside any transaction with an idempotency key
(``order-<number>-action-<id>``, so a retried call never applies twice), then
record the outcome in another short transaction. Transient directory errors
retry with backoff up to ``MAX_ATTEMPTS``; when the directory says a person is
needed (``NeedsPerson``: a username taken, a shared mailbox missing) the step
becomes a manual one whose instructions say why; other permanent errors mark the
action failed for staff to retry or skip. The order completes when every action
is done or skipped.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connections, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from integrations.directory import (
    NeedsPerson,
    TransientDirectoryError,
    UsernameTaken,
    get_directory_client,
)
from orders.choices import (
    FINISHED_ACTION_STATUSES,
    ActionKind,
    ActionStatus,
    AutomationKey,
    OrderStatus,
)
from orders.models import Order, OrderAction, WorkstationPlaceholder

from ._core import order_audit_add, order_lock, run_transition

logger = logging.getLogger(__name__)

JOB = "orders automation"
MAX_ATTEMPTS = 5
# A running action belongs to its worker while its lease is live. The worker
# renews the lease every HEARTBEAT while the directory call runs, so a slow call
# keeps its action however long it takes (up to the task time limit), and an
# action whose worker died is free again within ACTION_LEASE: the next orders
# sweep (every 2 minutes) or the outbox's rerun of the advance reclaims it,
# within 5 minutes of the crash.
ACTION_LEASE = timedelta(seconds=90)
HEARTBEAT = timedelta(seconds=30)


def retry_delay(attempts: int) -> int:
    """Seconds before the next try: 30 s, 60 s, 120 s ... capped at 15 minutes."""
    return min(30 * 2 ** max(attempts - 1, 0), 900)


@dataclass
class AdvanceOutcome:
    ran: list[str] = field(default_factory=list)
    retry_in: int | None = None
    completed: bool = False


class _Transient(Exception):
    pass


class _Permanent(Exception):
    pass


class _NeedsPerson(Exception):
    pass


def needs_person_instructions(exc: Exception) -> str:
    """What a person must do when the directory cannot: the directory's reason and the next step."""
    reason = str(exc).strip() or "The directory could not do this step."
    if isinstance(exc, UsernameTaken):
        todo = (
            "Agree another username with the coordinator, create the account by hand, "
            "then mark this step done."
        )
    else:
        todo = "Do this step by hand in the directory, then mark it done."
    return f"Needs a person: {reason} {todo}"


def directory_username_exists(*, username: str) -> bool:
    """True when the directory already has ``username``; False when it has not or
    cannot say (the provisioning action then reports a clash as a permanent error)."""
    try:
        return bool(directory_client().get_account(username=username))
    except Exception:  # unreachable or not-found style errors: no answer
        logger.info("directory lookup for a username gave no answer")
        return False


def directory_client():
    """The configured directory client (``settings.DIRECTORY_CLIENT``)."""
    return get_directory_client()


def _classify(exc: Exception) -> type[Exception]:
    """Transient directory errors retry; every other error fails the action."""
    if isinstance(exc, TransientDirectoryError):
        return _Transient
    if isinstance(exc, NeedsPerson):
        return _NeedsPerson
    return _Permanent


def _claim_next(order_id: int, outcome: AdvanceOutcome) -> OrderAction | None:
    """Lock the order; complete it, stop, or mark its next automated action running."""
    with transaction.atomic():
        order = order_lock(order_id=order_id)
        if order.status not in (OrderStatus.SUBMITTED, OrderStatus.IN_PROGRESS):
            return None
        action = (
            OrderAction.objects.select_for_update()
            .filter(order=order)
            .exclude(status__in=FINISHED_ACTION_STATUSES)
            .order_by("position")
            .first()
        )
        if action is None:
            from .orders import order_complete_locked

            order_complete_locked(order=order, job=JOB)
            outcome.completed = True
            return None
        if action.kind != ActionKind.AUTOMATED or action.status == ActionStatus.FAILED:
            return None
        now = timezone.now()
        if (
            action.status == ActionStatus.RUNNING
            and action.lease_until
            and action.lease_until > now
        ):
            return None  # a live worker has it (its heartbeat renews the lease)
        action.status = ActionStatus.RUNNING
        action.attempts += 1
        action.started_at = now
        action.lease_until = now + ACTION_LEASE
        action.save(update_fields=["status", "attempts", "started_at", "lease_until"])
        if order.status == OrderStatus.SUBMITTED:
            run_transition(order=order, action="start", job=JOB, check_permission=False)
        return action


def _lease_renew(action: OrderAction) -> int:
    """Extend the lease of the run that holds ``action`` (its attempt is the fence)."""
    return OrderAction.objects.filter(
        pk=action.pk, status=ActionStatus.RUNNING, attempts=action.attempts
    ).update(lease_until=timezone.now() + ACTION_LEASE)


@contextmanager
def _heartbeat(action: OrderAction) -> Iterator[None]:
    """Renew the action's lease every HEARTBEAT while the body runs (a thread with
    its own database connection). A killed worker's heartbeat dies with it."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(HEARTBEAT.total_seconds()):
                if not _lease_renew(action):
                    return  # finished, cancelled, or reclaimed meanwhile
        except Exception:  # a lost beat only shortens the lease
            logger.warning("order action %s: lease renewal failed", action.pk, exc_info=True)
        finally:
            connections.close_all()  # this thread's connections only

    thread = threading.Thread(target=beat, name=f"order-action-{action.pk}-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def _placeholder_name(order: Order) -> str:
    return WorkstationPlaceholder.name_for(workstation=order.workstation, order_number=order.number)


def _call_adapter(action: OrderAction, order: Order) -> dict:
    """The outside call of an automated action (no database writes here)."""
    key = f"order-{order.number}-action-{action.pk}"
    auto = action.automation
    if auto in (AutomationKey.SEND_CONFIRMATION, AutomationKey.SEND_END_USER_LINK):
        return {}
    if auto == AutomationKey.DEACTIVATE_ACCOUNT and not order.existing_username:
        return {"skipped": "A parked workstation has no account to deactivate."}
    if auto == AutomationKey.ADD_GROUPS and not order.distribution_groups:
        return {"skipped": "The order names no distribution groups."}
    if auto == AutomationKey.GRANT_MAILBOXES and not order.shared_mailboxes:
        return {"skipped": "The order names no shared mailboxes."}
    client = directory_client()
    if auto == AutomationKey.CREATE_ACCOUNT:
        result = client.create_account(
            username=order.new_username,
            full_name=order.new_full_name,
            email=order.new_email,
            distribution_groups=[],
            shared_mailboxes=[],
            idempotency_key=key,
        )
    elif auto == AutomationKey.ADD_GROUPS:
        result = client.add_to_groups(
            username=order.new_username,
            groups=list(order.distribution_groups),
            idempotency_key=key,
        )
    elif auto == AutomationKey.GRANT_MAILBOXES:
        result = client.grant_mailboxes(
            username=order.new_username,
            mailboxes=list(order.shared_mailboxes),
            idempotency_key=key,
        )
    elif auto == AutomationKey.PROVISION_MAILBOX:
        result = client.create_account(
            username=order.new_username,
            full_name=order.new_full_name,
            email=order.new_email,
            distribution_groups=list(order.distribution_groups),
            shared_mailboxes=list(order.shared_mailboxes),
            idempotency_key=key,
        )
    elif auto == AutomationKey.DEACTIVATE_ACCOUNT:
        result = client.deactivate_account(username=order.existing_username, idempotency_key=key)
    elif auto == AutomationKey.PARK_WORKSTATION:
        result = client.rename_computer(
            workstation=order.workstation, new_name=_placeholder_name(order), idempotency_key=key
        )
    elif auto == AutomationKey.RECOMMISSION_DESKTOP:
        placeholder = order.existing_placeholder
        if placeholder is not None:
            # The parked computer carries its tmp name: give it its name back first
            # (its own key, so a retry repeats neither call).
            client.rename_computer(
                workstation=placeholder.name,
                new_name=order.workstation,
                idempotency_key=f"{key}-unpark",
            )
        result = client.recommission_desktop(
            workstation=order.workstation, username=order.new_username, idempotency_key=key
        )
    else:
        raise _Permanent(f"Unknown automation {auto!r}.")
    return _as_dict(result)


def _as_dict(result) -> dict:
    if result is None:
        return {}
    if isinstance(result, dict):
        return {k: str(v) for k, v in result.items()}
    if hasattr(result, "__dataclass_fields__"):
        return {name: str(getattr(result, name)) for name in result.__dataclass_fields__}
    return {"result": str(result)}


def _apply_effects(action: OrderAction, order: Order) -> None:
    """Database-side effects of a successful action (inside the record transaction)."""
    from .notify import order_confirmation_send, order_enduser_link_send

    key = f"order-{order.number}-action-{action.pk}"
    if action.automation == AutomationKey.PARK_WORKSTATION:
        WorkstationPlaceholder.objects.get_or_create(
            name=_placeholder_name(order),
            defaults={
                "workstation": order.workstation,
                "organization": order.organization,
                "order": order,
            },
        )
    elif action.automation == AutomationKey.RECOMMISSION_DESKTOP and order.existing_placeholder_id:
        WorkstationPlaceholder.objects.filter(pk=order.existing_placeholder_id, active=True).update(
            active=False, released_at=timezone.now()
        )
    elif action.automation == AutomationKey.SEND_CONFIRMATION:
        order_confirmation_send(order=order, key=key)
    elif action.automation == AutomationKey.SEND_END_USER_LINK:
        order_enduser_link_send(order=order, key=key)


def _record(
    action_id: int, *, attempt: int, result: dict | None, error: Exception | None, kind
) -> int | None:
    """Write the outcome; returns seconds to wait before a retry, if one is due.

    Only the run that holds the action (its ``attempt``) records: a run whose
    lease lapsed and was reclaimed by another worker records nothing.
    """
    with transaction.atomic():
        action = OrderAction.objects.select_related("order").get(pk=action_id)
        order = order_lock(order_id=action.order_id)
        action = OrderAction.objects.select_for_update().get(pk=action_id)
        if action.status != ActionStatus.RUNNING or action.attempts != attempt:
            return None  # cancelled, skipped or reclaimed meanwhile
        action.lease_until = None
        now = timezone.now()
        if error is None:
            if order.status in (
                OrderStatus.SUBMITTED,
                OrderStatus.IN_PROGRESS,
                OrderStatus.ON_HOLD,
            ):
                _apply_effects(action, order)
            action.status = ActionStatus.DONE
            action.result = result or {}
            action.note = (result or {}).get("skipped", "")
            action.last_error = ""
            action.processed_at = now
            action.save(
                update_fields=[
                    "status",
                    "result",
                    "note",
                    "last_error",
                    "processed_at",
                    "lease_until",
                ]
            )
            order_audit_add(
                order=order,
                job=JOB,
                transition="action_done",
                from_status=order.status,
                to_status=order.status,
                note=f"{action.position}. {action.name} done.",
            )
            return None
        message = f"{type(error).__name__}: {error}"[:2000]
        if kind is _NeedsPerson:
            _hand_to_person(action, order, error)
            return None
        if kind is _Transient and action.attempts < MAX_ATTEMPTS:
            action.status = ActionStatus.PENDING
            action.last_error = message
            action.save(update_fields=["status", "last_error", "lease_until"])
            return retry_delay(action.attempts)
        action.status = ActionStatus.FAILED
        action.last_error = message
        action.save(update_fields=["status", "last_error", "lease_until"])
        order_audit_add(
            order=order,
            job=JOB,
            transition="action_failed",
            from_status=order.status,
            to_status=order.status,
            note=f"{action.position}. {action.name} failed after {action.attempts} "
            f"attempt(s): {message}",
        )
        from .notify import order_notify_owner

        order_notify_owner(
            order=order,
            key=f"order-{order.number}-action-{action.pk}-failed-{action.attempts}",
            summary=f"Order {order.number}: “{action.name}” failed and needs you ({message}).",
        )
        return None


def _hand_to_person(action: OrderAction, order: Order, error: Exception) -> None:
    """The directory needs a person: the step becomes manual and says why (in the
    record transaction); the owner is told."""
    from .notify import order_notify_owner

    instructions = needs_person_instructions(error)
    action.kind = ActionKind.MANUAL
    action.status = ActionStatus.PENDING
    action.instructions = instructions[:4000]
    action.last_error = str(error)[:2000]
    action.save(update_fields=["kind", "status", "instructions", "last_error", "lease_until"])
    order_audit_add(
        order=order,
        job=JOB,
        transition="action_needs_person",
        from_status=order.status,
        to_status=order.status,
        note=f"{action.position}. {action.name}: {instructions}",
    )
    order_notify_owner(
        order=order,
        key=f"order-{order.number}-action-{action.pk}-needs-person",
        summary=f"Order {order.number}: “{action.name}” needs you. {instructions}",
    )


def order_actions_advance(*, order_id: int, max_steps: int = 25) -> AdvanceOutcome:
    """Run the order's automated actions in order until a manual one, a failure or the end."""
    outcome = AdvanceOutcome()
    for _ in range(max_steps):
        action = _claim_next(order_id, outcome)
        if action is None:
            break
        order = Order.objects.get(pk=order_id)
        try:
            with _heartbeat(action):
                result, error, kind = _call_adapter(action, order), None, None
        except Exception as exc:  # classified below; unknown errors fail the action
            result, error = None, exc
            kind = _classify(exc)
            logger.warning(
                "order %s action %s (%s) error: %s",
                order.number,
                action.pk,
                action.automation,
                type(exc).__name__,
            )
        retry_in = _record(
            action.pk, attempt=action.attempts, result=result, error=error, kind=kind
        )
        outcome.ran.append(action.automation)
        if retry_in is not None:
            outcome.retry_in = retry_in
            break
        if error is not None:
            break
    return outcome


def order_actions_sweep(*, limit: int = 200) -> list[int]:
    """Order ids whose next automated action waits (missed task, a dead worker's
    action whose lease lapsed)."""
    now = timezone.now()
    current_position = (
        OrderAction.objects.filter(order=OuterRef("order"))
        .exclude(status__in=FINISHED_ACTION_STATUSES)
        .order_by("position")
        .values("position")[:1]
    )
    return list(
        OrderAction.objects.filter(
            kind=ActionKind.AUTOMATED,
            order__status__in=[OrderStatus.SUBMITTED, OrderStatus.IN_PROGRESS],
            status__in=[ActionStatus.PENDING, ActionStatus.RUNNING],
            position=Subquery(current_position),
        )
        .exclude(status=ActionStatus.RUNNING, lease_until__gt=now)
        .order_by("order_id")
        .values_list("order_id", flat=True)
        .distinct()[:limit]
    )
