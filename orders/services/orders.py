"""Order lifecycle: drafts, submission, manual actions, hold, resume, cancel, completion."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.tasks import enqueue_on_commit
from orders.choices import (
    FINISHED_ACTION_STATUSES,
    LINK_PURPOSE_ORDER_FINISH,
    ActionKind,
    ActionStatus,
    OrderStatus,
    OrderType,
)
from orders.exceptions import OrderError, OrderPermissionDenied, OrderTransitionNotAllowed
from orders.models import (
    USERNAME_RE,
    Order,
    OrderAction,
    OrderQueue,
)
from scheduling.selectors import booking_active_for
from scheduling.services import booking_cancel

from ._core import (
    order_audit_add,
    order_fields_update,
    order_lock,
    order_number_allocate,
    run_transition,
    status_label,
)

# What each order type keeps; everything else stays empty.
TYPE_FIELDS: dict[str, tuple[str, ...]] = {
    OrderType.EMAIL_ONLY: (
        "new_full_name",
        "new_username",
        "new_email",
        "distribution_groups",
        "shared_mailboxes",
    ),
    OrderType.DEACTIVATE_FUTURE_REPLACEMENT: ("existing_user", "workstation"),
    OrderType.DEACTIVATE_REPLACEMENT_NOW: (
        "existing_user",
        "existing_placeholder",
        "workstation",
        "new_full_name",
        "new_username",
        "new_email",
        "distribution_groups",
        "shared_mailboxes",
        "preferences",
    ),
    OrderType.INSTALL_SOFTWARE: ("software", "existing_user", "workstation"),
}
COMMON_FIELDS = ("requested_completion_date", "notes")

REQUIRED_ON_SUBMIT: dict[str, dict[str, str]] = {
    OrderType.EMAIL_ONLY: {
        "new_full_name": "Enter the new user's name.",
        "new_username": "Enter a username.",
        "new_email": "Enter the new user's email address.",
    },
    OrderType.DEACTIVATE_FUTURE_REPLACEMENT: {
        "existing_user": "Choose the user to deactivate.",
        "workstation": "Enter the user's workstation.",
    },
    OrderType.DEACTIVATE_REPLACEMENT_NOW: {
        "new_full_name": "Enter the new user's name.",
        "new_username": "Enter a username for the new user.",
        "new_email": "Enter the new user's email address.",
    },
    OrderType.INSTALL_SOFTWARE: {
        "software": "Choose at least one software title.",
        "existing_user": "Choose the end user.",
        "workstation": "Enter the end user's workstation.",
    },
}


def _clean_list(value) -> list[str]:
    if isinstance(value, str):
        value = value.replace(",", "\n").splitlines()
    return [item.strip() for item in value or [] if item and item.strip()]


def _draft_values(order_type: str, data: dict) -> tuple[dict, list | None]:
    """The allowed fields of ``data``, cleaned; returns (values, software or None)."""
    allowed = set(TYPE_FIELDS[order_type]) | set(COMMON_FIELDS)
    unknown = set(data) - allowed
    if unknown:
        raise OrderError(
            f"{', '.join(sorted(unknown))} do not apply to {OrderType(order_type).label} orders."
        )
    values, software = {}, None
    for name, value in data.items():
        if name == "software":
            software = list(value or [])
            continue
        if name in ("distribution_groups", "shared_mailboxes"):
            value = _clean_list(value)
        elif name == "new_username":
            value = (value or "").strip().lower()
        elif name == "workstation":
            value = (value or "").strip().upper()
        elif isinstance(value, str):
            value = value.strip()
        elif value is None and name not in (
            "existing_user",
            "existing_placeholder",
            "requested_completion_date",
        ):
            value = ""
        values[name] = value
    return values, software


def _scope_errors(*, organization_id: int, existing_user, existing_placeholder) -> dict[str, str]:
    """Existing users and placeholders must belong to the order's organization tree."""
    from accounts.selectors import organization_descendant_ids

    errors = {}
    org_ids = organization_descendant_ids(organization_ids=[organization_id])
    if existing_user is not None and existing_user.organization_id not in org_ids:
        errors["existing_user"] = "Choose a user of your organization."
    if existing_placeholder is not None and (
        existing_placeholder.organization_id not in org_ids or not existing_placeholder.active
    ):
        errors["existing_placeholder"] = "This parked workstation is no longer available."
    return errors


def _check_scope(order: Order) -> dict[str, str]:
    return _scope_errors(
        organization_id=order.organization_id,
        existing_user=order.existing_user,
        existing_placeholder=order.existing_placeholder,
    )


def order_username_taken(*, username: str, exclude_order_id: int | None = None) -> Order | None:
    """Another live order already asking for ``username``, if any."""
    qs = Order.objects.filter(new_username__iexact=username).exclude(
        status__in=[OrderStatus.CANCELLED, OrderStatus.DRAFT]
    )
    if exclude_order_id:
        qs = qs.exclude(pk=exclude_order_id)
    return qs.only("number").first()


def order_submission_errors(*, order: Order) -> dict[str, str]:
    """Every reason ``order`` cannot be submitted yet, by field (empty when it can)."""
    errors: dict[str, str] = {}
    for field, message in REQUIRED_ON_SUBMIT[order.order_type].items():
        if field == "software":
            if order.pk is None or not order.software.exists():
                errors[field] = message
        elif not getattr(order, f"{field}_id" if field == "existing_user" else field):
            errors[field] = message
    if order.order_type == OrderType.DEACTIVATE_REPLACEMENT_NOW:
        if bool(order.existing_user_id) == bool(order.existing_placeholder_id):
            errors["existing_user"] = (
                "Choose either the user being replaced or a parked workstation (not both)."
            )
        elif order.existing_user_id and not order.workstation:
            errors["workstation"] = "Enter the workstation to recommission."
    if order.new_username and "new_username" not in errors:
        if not USERNAME_RE.match(order.new_username):
            errors["new_username"] = (
                "Use 3 to 32 lowercase letters, digits, dots, hyphens or underscores, "
                "starting with a letter and ending with a letter or digit."
            )
        else:
            other = order_username_taken(username=order.new_username, exclude_order_id=order.pk)
            if other is not None:
                errors["new_username"] = (
                    f"The username {order.new_username} is already requested by order "
                    f"{other.number}."
                )
    if (
        order.order_type == OrderType.INSTALL_SOFTWARE
        and order.pk
        and "software" not in errors
        and order.software.filter(active=False).exists()
    ):
        errors["software"] = "A chosen title can no longer be requested; remove it."
    errors.update(_check_scope(order))
    return errors


@transaction.atomic
def order_create_draft(*, order_type: str, organization, submitted_by, data: dict | None = None):
    """A new draft order numbered from the allocator; nothing is sent."""
    values, software = _draft_values(order_type, data or {})
    order = Order(
        number=order_number_allocate(),
        order_type=OrderType(order_type),
        organization=organization,
        submitted_by=submitted_by,
        **values,
    )
    errors = _check_scope(order)
    if errors:
        raise ValidationError(errors)
    order.full_clean(exclude=["number", "software", "status"], validate_unique=False)
    order.save()
    if software is not None:
        order.software.set(software)
    order_audit_add(
        order=order,
        actor=submitted_by,
        transition="create",
        to_status=OrderStatus.DRAFT,
        note="Draft started.",
    )
    return order


@transaction.atomic
def order_update_draft(*, order: Order, actor, data: dict) -> Order:
    """Change a draft's fields; only drafts change this way."""
    order = order_lock(order_id=order.pk)
    if order.status != OrderStatus.DRAFT:
        raise OrderTransitionNotAllowed(
            f"Only drafts can be edited: order {order.number} is "
            f"{status_label(order.status).lower()}.",
            order=order,
            action="edit",
        )
    values, software = _draft_values(order.order_type, data)
    errors = _scope_errors(
        organization_id=order.organization_id,
        existing_user=values.get("existing_user", order.existing_user),
        existing_placeholder=values.get("existing_placeholder", order.existing_placeholder),
    )
    if errors:
        raise ValidationError(errors)
    if software is not None:
        values["software"] = software
    order_fields_update(
        order=order,
        actor=actor,
        data=values,
        transition="draft_edited",
        note=lambda changes: f"Draft changed: {', '.join(sorted(changes))}.",
        m2m_fields=("software",),
    )
    # The form checked each field's shape; a rule broken here rolls the save back.
    order.full_clean(exclude=["number", "software", "status"], validate_unique=False)
    return order


def _next_owner(queue: OrderQueue):
    """Default owner, else the team member after the round-robin pointer (by id)."""
    if queue.default_owner_id and queue.default_owner.is_active:
        return queue.default_owner
    members = list(queue.team.filter(is_active=True).order_by("id"))
    if not members:
        return None
    last = queue.round_robin_last_id
    following = [m for m in members if last is not None and m.id > last]
    chosen = following[0] if following else members[0]
    queue.round_robin_last = chosen
    queue.save(update_fields=["round_robin_last"])
    return chosen


@transaction.atomic
def order_submit(*, order: Order, actor) -> Order:
    """Submit a complete draft: queue, owner, actions copied; automation starts after commit."""
    order = order_lock(order_id=order.pk)
    if order.status != OrderStatus.DRAFT:
        raise OrderTransitionNotAllowed(
            f"Submit is not possible: order {order.number} is "
            f"{status_label(order.status).lower()}.",
            order=order,
            action="submit",
        )
    errors = order_submission_errors(order=order)
    if errors:
        raise ValidationError(errors)
    queue = (
        OrderQueue.objects.select_for_update()
        .filter(order_type=order.order_type, active=True)
        .first()
    )
    if queue is None:
        raise OrderError(
            f"No queue processes {order.get_order_type_display()} orders yet; contact IT."
        )
    order.queue = queue
    if order.owner_id is None:
        order.owner = _next_owner(queue)
    if order.existing_user_id:
        order.existing_username = order.existing_user.email.split("@", 1)[0].lower()
    elif order.existing_placeholder_id and not order.workstation:
        order.workstation = order.existing_placeholder.workstation
    run_transition(
        order=order,
        action="submit",
        actor=actor,
        check_permission=False,
        extra_fields=["queue", "owner", "existing_username", "workstation"],
        note=f"Queued in {queue.name}" + (f", owner {order.owner}." if order.owner else "."),
    )
    OrderAction.objects.bulk_create(
        OrderAction(
            order=order,
            template=template,
            position=template.position,
            name=template.name,
            kind=template.kind,
            automation=template.automation,
            instructions=template.instructions,
        )
        for template in queue.action_templates.order_by("position")
    )
    from notifications.links import access_links_revoke_for

    access_links_revoke_for(
        target=order, purpose=LINK_PURPOSE_ORDER_FINISH, reason="The order was submitted."
    )
    _schedule_advance(order)
    return order


def _schedule_advance(order: Order) -> None:
    enqueue_on_commit("orders.tasks.order_actions_advance_task", order_id=order.pk)


def _require_worker(actor) -> None:
    if not (getattr(actor, "is_authenticated", False) and actor.has_perm("orders.work_order")):
        raise OrderPermissionDenied("You may not work on orders.")


def _current_action(order: Order) -> OrderAction | None:
    return order.actions.exclude(status__in=FINISHED_ACTION_STATUSES).order_by("position").first()


def _finish_action(*, action: OrderAction, actor, note: str, status: str) -> OrderAction:
    _require_worker(actor)
    order = order_lock(order_id=action.order_id)
    if order.status not in (OrderStatus.SUBMITTED, OrderStatus.IN_PROGRESS):
        raise OrderTransitionNotAllowed(
            f"Actions cannot be worked: order {order.number} is "
            f"{status_label(order.status).lower()}.",
            order=order,
            action="action",
        )
    action = OrderAction.objects.select_for_update().get(pk=action.pk)
    if action.status in FINISHED_ACTION_STATUSES:
        raise OrderError(f"“{action.name}” is already {action.get_status_display().lower()}.")
    current = _current_action(order)
    if current is not None and current.pk != action.pk:
        raise OrderError(f"Finish “{current.name}” first: actions run in order.")
    if status == ActionStatus.DONE and action.kind != ActionKind.MANUAL:
        raise OrderError(f"“{action.name}” runs automatically; retry or skip it instead.")
    if action.status == ActionStatus.RUNNING:
        raise OrderError(f"“{action.name}” is running now; wait for it to finish.")
    action.status = status
    action.note = note.strip()
    action.processed_by = actor
    action.processed_at = timezone.now()
    action.save(update_fields=["status", "note", "processed_by", "processed_at"])
    if order.status == OrderStatus.SUBMITTED:
        run_transition(order=order, action="start", actor=actor, check_permission=False)
    verb = "done" if status == ActionStatus.DONE else "skipped"
    order_audit_add(
        order=order,
        actor=actor,
        transition=f"action_{verb}",
        from_status=order.status,
        to_status=order.status,
        note=f"{action.position}. {action.name} {verb}" + (f": {note.strip()}" if note else "."),
    )
    if _current_action(order) is None:
        order_complete_locked(order=order, actor=actor)
    else:
        _schedule_advance(order)
    return action


@transaction.atomic
def order_action_process(*, action: OrderAction, actor, note: str = "") -> OrderAction:
    """Mark the current manual action done (staff with orders.work_order)."""
    return _finish_action(action=action, actor=actor, note=note, status=ActionStatus.DONE)


@transaction.atomic
def order_action_skip(*, action: OrderAction, actor, note: str) -> OrderAction:
    """Skip the current action (manual, or an automated one that failed); a note is required."""
    if not (note or "").strip():
        raise ValidationError({"note": "Say why this action is skipped."})
    return _finish_action(action=action, actor=actor, note=note, status=ActionStatus.SKIPPED)


@transaction.atomic
def order_action_retry(*, action: OrderAction, actor) -> OrderAction:
    """Run a failed automated action again."""
    _require_worker(actor)
    order = order_lock(order_id=action.order_id)
    action = OrderAction.objects.select_for_update().get(pk=action.pk)
    if action.status != ActionStatus.FAILED or order.status not in (
        OrderStatus.SUBMITTED,
        OrderStatus.IN_PROGRESS,
    ):
        raise OrderError(f"Only failed actions of open orders can be retried: “{action.name}”.")
    action.status = ActionStatus.PENDING
    action.attempts = 0
    action.save(update_fields=["status", "attempts"])
    order_audit_add(
        order=order,
        actor=actor,
        transition="action_retry",
        from_status=order.status,
        to_status=order.status,
        note=f"{action.position}. {action.name} retried.",
    )
    _schedule_advance(order)
    return action


def order_complete_locked(*, order: Order, actor=None, job: str = "") -> Order:
    """Complete an order already locked by the caller; purge secrets, revoke links, notify."""
    from notifications.links import access_links_revoke_for

    from .notify import order_completed_notify
    from .secrets import enduser_secrets_purge_for_order

    run_transition(
        order=order,
        action="complete",
        actor=actor,
        job=job,
        check_permission=False,
        note="Every action is done or skipped.",
    )
    enduser_secrets_purge_for_order(order=order, reason="completed")
    access_links_revoke_for(target=order, reason="The order is completed.")
    order_completed_notify(order=order)
    return order


@transaction.atomic
def order_hold(*, order: Order, actor, note: str = "") -> Order:
    """Pause a submitted or in-progress order; automation waits until it resumes."""
    order = order_lock(order_id=order.pk)
    return run_transition(order=order, action="hold", actor=actor, note=note)


@transaction.atomic
def order_resume(*, order: Order, actor, note: str = "") -> Order:
    """Back to the status the order was held from; automation picks up again."""
    order = order_lock(order_id=order.pk)
    run_transition(order=order, action="resume", actor=actor, note=note)
    _schedule_advance(order)
    return order


def _may_cancel(order: Order, actor) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if actor.has_perm("orders.cancel_order"):
        return True
    # The coordinator who started a draft may withdraw it.
    return order.status == OrderStatus.DRAFT and order.submitted_by_id == actor.pk


@transaction.atomic
def order_cancel(*, order: Order, actor, note: str = "") -> Order:
    """Cancel from any non-final status; never undone. Secrets purged, links revoked,
    the appointment (if any) released."""
    from notifications.links import access_links_revoke_for

    from .secrets import enduser_secrets_purge_for_order

    order = order_lock(order_id=order.pk)
    if not order.is_final and not _may_cancel(order, actor):
        raise OrderPermissionDenied("You may not cancel this order.")
    run_transition(order=order, action="cancel", actor=actor, check_permission=False, note=note)
    order.actions.filter(status__in=[ActionStatus.PENDING, ActionStatus.RUNNING]).update(
        status=ActionStatus.SKIPPED, note="The order was cancelled."
    )
    enduser_secrets_purge_for_order(order=order, reason="cancelled")
    access_links_revoke_for(target=order, reason="The order was cancelled.")
    _cancel_booking(order=order, actor=actor)
    return order


def _cancel_booking(*, order: Order, actor) -> None:
    booking = booking_active_for(obj=order)
    if booking is not None:
        booking_cancel(booking=booking, by=actor, reason=f"Order {order.number} was cancelled.")


__all__ = [
    "order_action_process",
    "order_action_retry",
    "order_action_skip",
    "order_cancel",
    "order_complete_locked",
    "order_create_draft",
    "order_hold",
    "order_resume",
    "order_submission_errors",
    "order_submit",
    "order_update_draft",
    "order_username_taken",
]
