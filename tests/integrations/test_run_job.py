"""``manage.py run_job NAME`` runs a beat entry's task now, in this process."""

import io

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from config.celery import app
from notifications.models import OutboundEmail
from tests.refresh.conftest import admin, approver, flow, make_slot, manager, team  # noqa: F401


def test_without_a_name_it_lists_every_beat_entry():
    out = io.StringIO()
    call_command("run_job", stdout=out)
    for name in app.conf.beat_schedule:
        assert name in out.getvalue()


def test_a_wrong_name_lists_the_jobs():
    with pytest.raises(CommandError) as excinfo:
        call_command("run_job", "refresh-nothing")
    assert "refresh-invites" in str(excinfo.value)
    assert "refresh-itsm-existence-sweep" in str(excinfo.value)


@pytest.mark.django_db(transaction=True)
def test_runs_the_job_synchronously_and_restores_eagerness(flow):  # noqa: F811
    import datetime as dt
    from zoneinfo import ZoneInfo

    detroit = ZoneInfo("America/Detroit")
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, tzinfo=detroit), tick=False):
        ticket = flow.new()
    before = app.conf.task_always_eager
    out = io.StringIO()
    with time_machine.travel(dt.datetime(2026, 12, 2, 11, tzinfo=detroit), tick=False):
        call_command("run_job", "refresh-invites", stdout=out)
    assert "refresh-invites: 1" in out.getvalue()
    assert app.conf.task_always_eager == before
    assert OutboundEmail.objects.filter(
        template="refresh_job_invite", related_id=str(ticket.pk)
    ).exists()
