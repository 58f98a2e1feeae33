"""Which queue takes which order types: saving a queue and routing an order to one.

One queue may take several order types (Ubersmith: "multiple types of services
can be processed by a single order queue"), but each type has at most one
active queue at a time, so routing is never a guess.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from orders.choices import OrderType
from orders.models import OrderQueue


def _type_label(order_type: str) -> str:
    return str(dict(OrderType.choices).get(order_type, order_type))


def order_queue_type_clashes(
    *, queue: OrderQueue, active_queues: Iterable[OrderQueue]
) -> list[str]:
    """Messages for each type of ``queue`` another active queue already takes."""
    if not queue.active:
        return []
    clashes = []
    for other in active_queues:
        if other.pk == queue.pk:
            continue
        for order_type in queue.order_types:
            if order_type in other.order_types:
                clashes.append(
                    f"{_type_label(order_type)} orders already go to the active queue "
                    f"“{other.name}”. Take the type out of that queue or deactivate it "
                    "first: each order type has one active queue at a time."
                )
    return clashes


@transaction.atomic
def order_queue_save(*, queue: OrderQueue, team=None) -> OrderQueue:
    """Create or save ``queue`` after checking that no other active queue takes one of
    its order types (active queues locked, so two saves cannot both win).

    Raises ``ValidationError`` with a message naming the clashing queue.
    """
    queue.also_takes = [t for t in dict.fromkeys(queue.also_takes or []) if t != queue.order_type]
    queue.full_clean(validate_constraints=False)
    active = list(OrderQueue.objects.select_for_update().filter(active=True).order_by("pk"))
    clashes = order_queue_type_clashes(queue=queue, active_queues=active)
    if clashes:
        raise ValidationError(clashes)
    queue.save()
    if team is not None:
        queue.team.set(team)
    return queue


def order_queue_for_type(*, order_type: str, lock: bool = False) -> OrderQueue | None:
    """The active queue that takes ``order_type`` (locked when ``lock``), or None."""
    queues = OrderQueue.objects.filter(active=True).order_by("pk")
    if lock:
        queues = queues.select_for_update()
    for queue in queues:
        if order_type in queue.order_types:
            return queue
    return None


__all__ = ["order_queue_for_type", "order_queue_save", "order_queue_type_clashes"]
