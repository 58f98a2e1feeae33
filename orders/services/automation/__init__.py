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

One module per concern: ``policy`` (retry delays, error classes, the directory
client, "Needs a person" wording), ``lease`` (claim under a lease, heartbeat),
``steps`` (each step's directory call and database effects), ``record`` (the
outcome), ``run`` (the advance and the sweep). Tests patch a knob where it is
looked up: ``policy.directory_client``, ``policy.retry_delay``,
``lease.ACTION_LEASE``, ``lease.HEARTBEAT``.
"""

from .lease import ACTION_LEASE, HEARTBEAT
from .lease import _claim_next as _claim_next  # the lease tests drive a claim by hand
from .policy import (
    JOB,
    MAX_ATTEMPTS,
    AdvanceOutcome,
    directory_client,
    directory_username_exists,
    needs_person_instructions,
    retry_delay,
)
from .policy import _Permanent as _Permanent
from .record import _record as _record  # a late run's record, in the lease tests
from .run import order_actions_advance, order_actions_sweep

__all__ = [
    "ACTION_LEASE",
    "HEARTBEAT",
    "JOB",
    "MAX_ATTEMPTS",
    "AdvanceOutcome",
    "directory_client",
    "directory_username_exists",
    "needs_person_instructions",
    "order_actions_advance",
    "order_actions_sweep",
    "retry_delay",
]
