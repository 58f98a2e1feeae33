"""Celery entry points for the refresh jobs: thin, take ids, call one service.

Services enqueue these by name after commit (``refresh.services.effects``);
beat enqueues the periodic ones (``config/celery.py``). ITSM calls retry
transient errors with exponential backoff and a cap; the database keeps the
work waiting meanwhile (the sweeps pick it up again).
"""

from celery import shared_task

from integrations.itsm import ITSMRateLimited, TransientITSMError
from refresh.services import jobs

ITSM_RETRY = {
    "autoretry_for": (TransientITSMError,),
    "retry_backoff": 30,
    "retry_backoff_max": 300,  # below the broker visibility timeout (settings)
    "retry_jitter": True,
    "max_retries": 8,
    "acks_late": True,
}


def _retry_rate_limited(task, exc: ITSMRateLimited):
    raise task.retry(exc=exc, countdown=exc.retry_after)


# --- periodic jobs (config/celery.py) -------------------------------------------
@shared_task
def invites_send_due_task() -> int:
    return jobs.tickets_send_due_invites()


@shared_task
def reminders_send_due_task() -> int:
    return jobs.tickets_send_due_reminders()


@shared_task
def wizard_deadlines_apply_task() -> int:
    return jobs.tickets_expire_past_wizard_deadline()


@shared_task
def itsm_existence_sweep_task() -> int:
    return jobs.tickets_itsm_existence_sweep()


@shared_task
def slot_discovery_task() -> int:
    return jobs.tickets_discover_slots()


@shared_task
def appointment_reminders_send_task() -> int:
    return jobs.tickets_send_appointment_reminders()


@shared_task(**ITSM_RETRY)
def itsm_poll_task() -> dict:
    return jobs.tickets_itsm_poll()


@shared_task
def approver_digests_task() -> int:
    return jobs.approvers_send_digests()


# --- per-ticket effects (refresh/services/effects.py) ----------------------------
@shared_task(bind=True, **ITSM_RETRY)
def itsm_ticket_create_task(self, ticket_id: int):
    try:
        return jobs.ticket_itsm_ticket_ensure(ticket_id=ticket_id)
    except ITSMRateLimited as exc:
        _retry_rate_limited(self, exc)


@shared_task(bind=True, **ITSM_RETRY)
def itsm_existence_lookup_task(self, ticket_id: int) -> bool:
    try:
        return jobs.ticket_itsm_existence_lookup(ticket_id=ticket_id)
    except ITSMRateLimited as exc:
        _retry_rate_limited(self, exc)


@shared_task(bind=True, **ITSM_RETRY)
def owner_lookup_task(self, ticket_id: int) -> bool:
    try:
        return jobs.ticket_owner_lookup(ticket_id=ticket_id)
    except ITSMRateLimited as exc:
        _retry_rate_limited(self, exc)


@shared_task(acks_late=True)
def itsm_existence_lookup_batch_task(ticket_ids: list[int]) -> dict:
    return jobs.tickets_itsm_existence_lookup_batch(ticket_ids=ticket_ids)


@shared_task(**ITSM_RETRY)
def replacement_assigned_task(ticket_id: int) -> None:
    jobs.ticket_replacement_assigned_notify(ticket_id=ticket_id)


@shared_task(acks_late=True)
def appointment_booked_task(ticket_id: int, moved: bool = False) -> None:
    jobs.ticket_appointment_booked_notify(ticket_id=ticket_id, moved=moved)


@shared_task(**ITSM_RETRY)
def appointment_itsm_push_task(ticket_id: int) -> None:
    jobs.ticket_appointment_itsm_push(ticket_id=ticket_id)


@shared_task(**ITSM_RETRY)
def itsm_reschedule_update_task(ticket_id: int, reason: str) -> None:
    jobs.ticket_itsm_reschedule_update(ticket_id=ticket_id, reason=reason)


@shared_task(**ITSM_RETRY)
def event_push_task(event_id: int) -> None:
    jobs.event_push_to_itsm(event_id=event_id)


@shared_task
def pick_slot_email_task(ticket_id: int, rescheduling: bool = False, reason: str = "") -> bool:
    return jobs.ticket_send_pick_slot_email(
        ticket_id=ticket_id, rescheduling=rescheduling, reason=reason
    )


@shared_task
def tracking_email_task(ticket_id: int) -> bool:
    return jobs.ticket_send_tracking_email(ticket_id=ticket_id)


@shared_task
def wizard_submitted_task(ticket_id: int) -> int:
    return jobs.ticket_send_wizard_submitted(ticket_id=ticket_id)
