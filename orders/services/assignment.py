"""Who gets a new request: the assignment rules of its type, then of its queue, in order.

Rules are tried by position (the request type's first, then the queue's); the
first one that gives an active person wins and is named on the submit audit row.
With no rule at all the queue's usual choice applies (``drafts._next_owner``:
default owner, else round-robin).
"""

from __future__ import annotations

from django.db.models import Q

from accounts.models import Organization, User
from orders.models import AssignmentRule, Order, OrderQueue
from orders.request_choices import AssignmentRuleKind as K


def _organization_chain(organization: Organization) -> list[int]:
    """The organization and every organization above it (nearest first)."""
    chain, seen = [], set()
    current = organization
    while current is not None and current.pk not in seen:
        chain.append(current.pk)
        seen.add(current.pk)
        current = current.parent
    return chain


def queue_round_robin(*, queue: OrderQueue) -> User | None:
    """The queue member after the round-robin pointer (by id); moves the pointer."""
    members = list(queue.team.filter(is_active=True).order_by("id"))
    if not members:
        return None
    last = queue.round_robin_last_id
    following = [m for m in members if last is not None and m.id > last]
    chosen = following[0] if following else members[0]
    queue.round_robin_last = chosen
    queue.save(update_fields=["round_robin_last"])
    return chosen


def account_team_member(*, organization: Organization) -> User | None:
    """The organization's account-team member with the fewest open orders (then by name)."""
    from django.db.models import Count

    from orders.choices import OPEN_ORDER_STATUSES

    for org_id in _organization_chain(organization):
        member = (
            User.objects.filter(account_team_for=org_id, is_active=True)
            .annotate(
                open_orders=Count(
                    "owned_orders", filter=Q(owned_orders__status__in=OPEN_ORDER_STATUSES)
                )
            )
            .order_by("open_orders", "full_name", "id")
            .first()
        )
        if member is not None:
            return member
    return None


def _rule_owner(rule: AssignmentRule, *, order: Order, queue: OrderQueue) -> User | None:
    if rule.kind == K.ORGANIZATION:
        if rule.organization_id in _organization_chain(order.organization):
            return rule.assignee
        return None
    if rule.kind == K.FIELD_VALUE:
        value = (order.custom_values or {}).get(rule.field.key) if rule.field_id else None
        matched = (
            rule.field_value in value if isinstance(value, list) else str(value) == rule.field_value
        )
        return rule.assignee if value is not None and matched else None
    if rule.kind == K.ACCOUNT_TEAM:
        return account_team_member(organization=order.organization)
    if rule.kind == K.ROUND_ROBIN:
        return queue_round_robin(queue=queue)
    if rule.kind == K.DEFAULT_OWNER:
        return queue.default_owner
    return None


def order_assignment_choose(*, order: Order, queue: OrderQueue) -> tuple[User | None, str, bool]:
    """(owner, the rule that fired as a sentence, whether any rule applies at all).

    The queue row is locked by the caller (``order_submit``), so two submissions
    never move the round-robin pointer at once.
    """
    scope = Q(queue=queue)
    if order.request_type_id:
        scope |= Q(request_type_id=order.request_type_id)
    rules = list(
        AssignmentRule.objects.filter(scope, active=True)
        .select_related("assignee", "field", "organization")
        .order_by("position", "id")
    )
    if not rules:
        return None, "", False
    # The request type's own rules come before the queue's.
    rules.sort(key=lambda r: (r.request_type_id is None, r.position, r.id))
    for rule in rules:
        owner = _rule_owner(rule, order=order, queue=queue)
        if owner is not None and owner.is_active:
            where = "request type" if rule.request_type_id else "queue"
            return owner, f"assigned by the {where} rule “{rule.get_kind_display()}”", True
    return None, "no assignment rule matched", True


__all__ = ["account_team_member", "order_assignment_choose", "queue_round_robin"]
