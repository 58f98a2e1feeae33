"""The Effects page: staff see a failing effect's last error and run it again."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from common.models import Effect, EffectStatus

pytestmark = pytest.mark.django_db


def test_a_failed_effect_is_listed_with_its_error_and_retry_now_queues_it(
    client, make_user, monkeypatch
):
    sent = []
    monkeypatch.setattr("common.effects._hurry", lambda effect_id, countdown=None: sent.append(1))
    effect = Effect.objects.create(
        task_name="refresh.tasks.itsm_ticket_create_task",
        kwargs={"ticket_id": 41},
        target_kind="ticket",
        target_id=41,
        key="page",
        status=EffectStatus.FAILED,
        attempts=12,
        last_error="PermanentITSMError: account unknown",
    )
    Effect.objects.create(task_name="x.tasks.fine_task", key="fine", status=EffectStatus.DONE)
    manager = make_user(Role.ORDERS_MANAGER)
    client.force_login(manager)

    html = client.get(reverse("integrations:effects")).content.decode()
    assert "itsm_ticket_create_task" in html
    assert "ticket 41" in html
    assert "PermanentITSMError: account unknown" in html
    assert "fine_task" not in html  # done effects are not stuck
    assert 'aria-label="Retry itsm_ticket_create_task for ticket 41 now"' in html

    response = client.post(reverse("integrations:effect_retry", args=[effect.pk]), follow=True)
    assert "will run again now" in response.content.decode()
    effect.refresh_from_db()
    assert (effect.status, effect.attempts, effect.retried_by) == (
        EffectStatus.PENDING,
        0,
        manager,
    )


def test_the_admin_lists_effects_read_only_and_runs_the_selected_again(
    client, superuser, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr("common.effects._hurry", lambda effect_id, countdown=None: sent.append(1))
    failed = Effect.objects.create(
        task_name="refresh.tasks.event_push_task",
        kwargs={"event_id": 7},
        target_kind="event",
        target_id=7,
        key="admin",
        status=EffectStatus.FAILED,
        attempts=12,
        last_error="PermanentITSMError: refused",
    )
    client.force_login(superuser)
    changelist = reverse("admin:common_effect_changelist")
    page = client.get(changelist)
    assert page.status_code == 200
    assert "event_push_task" in page.content.decode()
    assert client.get(reverse("admin:common_effect_add")).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        client.post(changelist, {"action": "retry_now", "_selected_action": [failed.pk]})
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.retried_by) == (
        EffectStatus.PENDING,
        0,
        superuser,
    )
    assert sent == [1]
