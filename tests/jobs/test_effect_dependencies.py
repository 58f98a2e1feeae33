"""Dependent effects wait for what they need (issue 20): the appointment push to
the ITSM is retried until the ticket's ITSM ticket exists, never skipped."""

import pytest
from django.utils import timezone

from common.effects import effect_run, enqueue_on_commit
from common.models import Effect, EffectStatus
from integrations.models import StubIdempotencyKey, StubITSMTicket
from refresh.choices import RefreshStyle, TicketStatus
from refresh.models import RefreshTicket

S = TicketStatus
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_appointment_push_waits_for_the_itsm_ticket_then_reaches_it(flow, monkeypatch):
    ticket = flow.to(S.DELIVERY_SCHEDULED, style=RefreshStyle.NO_CUSTOMER)
    itsm_id = ticket.itsm_ticket_id
    assert itsm_id
    # The push runs before the ITSM ticket is linked (the race of issue 20).
    RefreshTicket.objects.filter(pk=ticket.pk).update(itsm_ticket_id="")
    monkeypatch.setattr("common.effects._hurry", lambda *a, **k: None)
    effect = enqueue_on_commit("refresh.tasks.appointment_itsm_push_task", ticket_id=ticket.pk)

    assert effect_run(effect_id=effect.pk) == "retry"
    effect.refresh_from_db()
    assert effect.status == EffectStatus.PENDING
    assert "has no ITSM ticket yet" in effect.last_error
    assert effect.next_attempt_at > timezone.now()

    RefreshTicket.objects.filter(pk=ticket.pk).update(itsm_ticket_id=itsm_id)
    # Forget the first push (the flow's own) so this one's arrival is seen.
    StubIdempotencyKey.objects.filter(key__contains="-booking-").delete()
    StubITSMTicket.objects.filter(pk=itsm_id).update(appointment_start=None, feed=[])
    Effect.objects.filter(pk=effect.pk).update(next_attempt_at=timezone.now())
    assert effect_run(effect_id=effect.pk) == "done"
    stub = StubITSMTicket.objects.get(pk=itsm_id)
    assert stub.appointment_start is not None
    assert "Day-1 appointment" in str(stub.feed)


def test_a_ticket_whose_effects_keep_failing_shows_in_the_problems_focus(flow, manager):
    from refresh.selectors import focus_counts, ticket_list_rows, ticket_problems

    ticket = flow.new()
    assert not ticket_problems(user=manager).filter(pk=ticket.pk).exists()
    effect = Effect.objects.create(
        task_name="refresh.tasks.itsm_reschedule_update_task",
        kwargs={"ticket_id": ticket.pk, "reason": "released"},
        target_kind="ticket",
        target_id=ticket.pk,
        key="failing",
        status=EffectStatus.PENDING,
        attempts=1,
    )
    # One failed attempt is an ordinary retry, not yet a problem.
    assert not ticket_problems(user=manager).filter(pk=ticket.pk).exists()
    Effect.objects.filter(pk=effect.pk).update(
        status=EffectStatus.FAILED, attempts=2, last_error="PermanentITSMError: refused"
    )
    problems = ticket_problems(user=manager)
    assert list(problems.values_list("pk", flat=True)) == [ticket.pk]
    assert focus_counts(user=manager)["problems"] == 1
    (row,) = ticket_list_rows(tickets=problems)
    assert row["problem"] == "Its ITSM or email effects keep failing: see Effects."


def test_a_waiting_effect_runs_as_soon_as_the_itsm_ticket_exists(flow, monkeypatch):
    hurried = []
    monkeypatch.setattr(
        "common.effects._hurry", lambda effect_id, *a, **k: hurried.append(effect_id)
    )
    ticket = flow.to(S.DELIVERY_SCHEDULED, style=RefreshStyle.NO_CUSTOMER)  # no effect ran
    effects = Effect.objects.filter(target_kind="ticket", target_id=ticket.pk)
    push = effects.get(task_name="refresh.tasks.appointment_itsm_push_task")
    create = effects.get(task_name="refresh.tasks.itsm_ticket_create_task")  # one promise

    assert effect_run(effect_id=push.pk) == "retry"
    push.refresh_from_db()
    assert push.next_attempt_at > timezone.now()  # its backoff
    hurried.clear()
    assert effect_run(effect_id=create.pk) == "done"
    # The create woke the push: due now and sent to a worker, not after its backoff.
    assert push.pk in hurried
    push.refresh_from_db()
    assert push.next_attempt_at <= timezone.now()
    assert effect_run(effect_id=push.pk) == "done"
    ticket.refresh_from_db()
    stub = StubITSMTicket.objects.get(pk=ticket.itsm_ticket_id)
    assert stub.appointment_start == ticket.delivery_at
    assert stub.tasks.count() == 4
