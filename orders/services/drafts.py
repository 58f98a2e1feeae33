"""Drafts and their submission: which fields each order type keeps, what a
submission needs, the queue and owner it gets."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from orders.choices import (
    LINK_PURPOSE_ORDER_FINISH,
    ActionKind,
    OrderStatus,
    OrderType,
)
from orders.exceptions import OrderError, OrderTransitionNotAllowed
from orders.models import (
    USERNAME_RE,
    Order,
    OrderAction,
    OrderQueue,
)

from ._core import (
    completion_date_errors,
    order_advance_schedule,
    order_audit_add,
    order_draft_lock,
    order_fields_update,
    order_lock,
    order_number_allocate,
    run_transition,
    status_label,
)
from .account_teams import order_account_team_notify
from .assignment import order_assignment_choose
from .custom_fields import (
    builtin_custom_values,
    custom_files_store,
    fields_for,
    order_custom_value_errors,
)
from .queue_config import order_queue_for_type

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
    # Staff-defined request types keep their answers in custom_values (request_types).
    OrderType.REQUEST: (),
}
COMMON_FIELDS = ("requested_completion_date", "notes", "custom_values")

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
    OrderType.REQUEST: {},
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
    errors.update(order_custom_value_errors(order=order))
    return errors


NOTHING_FILLED = "Nothing is filled in yet, so nothing was saved. Fill in the fields below."


@transaction.atomic
def order_create_draft(*, order_type: str, organization, submitted_by, data: dict | None = None):
    """A new draft order numbered from the allocator; nothing is sent.

    A draft with nothing filled in is never created: the error names what a
    submission needs, so the coordinator sees the form's errors instead of an
    empty order in their list.
    """
    if order_type == OrderType.REQUEST:  # their form and service: request_types.request_save
        raise OrderError("Requests of a staff-defined type are started from their own form.")
    data = dict(data or {})
    files = data.pop("custom_files", None) or {}
    values, software = _draft_values(order_type, data)
    values = builtin_custom_values(order_type=order_type, values=values)
    if not software and not files and not any(values.values()):
        raise ValidationError({"__all__": NOTHING_FILLED, **REQUIRED_ON_SUBMIT[order_type]})
    order = Order(
        number=order_number_allocate(),
        order_type=OrderType(order_type),
        organization=organization,
        submitted_by=submitted_by,
        **values,
    )
    errors = _check_scope(order) | completion_date_errors(
        requested_completion_date=order.requested_completion_date
    )
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
    _builtin_files_store(order=order, author=submitted_by, files=files)
    return order


def _builtin_files_store(*, order: Order, author, files: dict) -> None:
    """A built-in type's file answers, stored as a staff-defined type's are."""
    if not files or order.request_type_id is None:
        return
    fields = fields_for(order.request_type)
    values = dict(order.custom_values or {})
    errors = custom_files_store(
        order=order, author=author, fields=fields, files=files, values=values
    )
    if errors:
        raise ValidationError(errors)
    order.custom_values = values
    order.save(update_fields=["custom_values", "updated_at"])


@transaction.atomic
def order_update_draft(*, order: Order, actor, data: dict) -> Order:
    """Change a draft's fields; only drafts change this way."""
    order = order_draft_lock(order=order)
    data = dict(data)
    files = data.pop("custom_files", None) or {}
    values, software = _draft_values(order.order_type, data)
    values = builtin_custom_values(order_type=order.order_type, values=values, order=order)
    errors = _scope_errors(
        organization_id=order.organization_id,
        existing_user=values.get("existing_user", order.existing_user),
        existing_placeholder=values.get("existing_placeholder", order.existing_placeholder),
    )
    requested = values.get("requested_completion_date")
    if requested != order.requested_completion_date:  # a date kept as it was stays valid
        errors |= completion_date_errors(requested_completion_date=requested)
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
    _builtin_files_store(order=order, author=actor, files=files)
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
    if order.request_type_id and order.request_type.queue_id:  # the request type's queue
        queue = (
            OrderQueue.objects.select_for_update().filter(pk=order.request_type.queue_id).first()
        )
    else:
        queue = order_queue_for_type(order_type=order.order_type, lock=True)
    if queue is None:
        raise OrderError(
            f"No queue processes {order.get_order_type_display()} orders yet; contact IT."
        )
    order.queue = queue
    assigned_by = ""
    if order.owner_id is None:
        order.owner, assigned_by, ruled = order_assignment_choose(order=order, queue=queue)
        if order.owner is None and not ruled:
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
        note=f"Queued in {queue.name}"
        + (f", owner {order.owner}" if order.owner else "")
        + (f" ({assigned_by})." if assigned_by else "."),
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
    if order.order_type == OrderType.REQUEST and not order.actions.exists():
        # A request queue with no steps still waits for staff (never completes at once).
        OrderAction.objects.create(
            order=order, position=1, name="Handle the request", kind=ActionKind.MANUAL
        )
    from notifications.links import access_links_revoke_for

    access_links_revoke_for(
        target=order, purpose=LINK_PURPOSE_ORDER_FINISH, reason="The order was submitted."
    )
    order_advance_schedule(order=order)
    order_account_team_notify(order=order)
    return order


__all__ = [
    "order_create_draft",
    "order_submission_errors",
    "order_submit",
    "order_update_draft",
    "order_username_taken",
]
