"""The Celery app and the one static beat schedule (reviewed as code, one place).

Each entry names a thin task that calls one service; the task sweeps by state in
the database, so a missed beat is caught up by the next one.
"""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import beat_init, before_task_publish, celeryd_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("handover")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@celeryd_init.connect
@beat_init.connect
@before_task_publish.connect
def _make_var_dirs(**kwargs):
    """The filesystem broker and the beat schedule need their folders (embedded mode)."""
    from .var import ensure_var_dirs

    ensure_var_dirs()


app.conf.beat_schedule = {
    # --- the effects outbox (common/effects.py) --------------------------------
    # Every minute: effects whose broker message was lost and effects a dead
    # worker abandoned (lease expired) go to a worker again.
    "effects-sweep": {
        "task": "common.tasks.effects_sweep_task",
        "schedule": 60.0,
    },
    # --- health (common/health.py): proves beat sends and a worker runs --------
    "health-heartbeat": {
        "task": "common.health.heartbeat_task",
        "schedule": 60.0,
    },
    # --- notifications -------------------------------------------------------
    "deliver-pending-emails": {
        "task": "notifications.tasks.deliver_pending_emails_task",
        "schedule": 60.0,  # a dead worker's send is resent within 5 min (240 s lease)
    },
    # --- scheduling ----------------------------------------------------------
    "generate-schedule-slots": {
        "task": "scheduling.tasks.generate_schedule_slots_task",
        "schedule": crontab(hour=0, minute=15),
    },
    # --- refresh / integrations ----------------------------------------------
    "refresh-invites": {
        "task": "refresh.tasks.invites_send_due_task",
        "schedule": crontab(minute="*/5"),
    },
    "refresh-reminders": {
        "task": "refresh.tasks.reminders_send_due_task",
        "schedule": crontab(minute="*/5"),
    },
    "refresh-wizard-deadlines": {
        "task": "refresh.tasks.wizard_deadlines_apply_task",
        "schedule": crontab(minute="*/5"),
    },
    "refresh-itsm-existence-sweep": {
        "task": "refresh.tasks.itsm_existence_sweep_task",
        "schedule": crontab(minute="*/15"),
    },
    "refresh-slot-discovery": {
        "task": "refresh.tasks.slot_discovery_task",
        "schedule": crontab(minute=0, hour="6,14"),
    },
    "refresh-appointment-reminders": {
        "task": "refresh.tasks.appointment_reminders_send_task",
        "schedule": crontab(minute="*/5"),
    },
    "refresh-itsm-poll": {
        "task": "refresh.tasks.itsm_poll_task",
        "schedule": crontab(minute=30, hour=5),
    },
    "refresh-approver-digests": {
        "task": "refresh.tasks.approver_digests_task",
        "schedule": crontab(minute=0, hour=7, day_of_week="fri"),
    },
    # --- orders --------------------------------------------------------------
    "orders-actions-sweep": {
        "task": "orders.tasks.order_actions_sweep_task",
        "schedule": crontab(minute="*/2"),
    },
    "orders-purge-enduser-secrets": {
        "task": "orders.tasks.enduser_secrets_purge_task",
        "schedule": crontab(minute=20),
    },
    # --- webhooks ------------------------------------------------------------
    "webhooks-deliveries-sweep": {
        "task": "webhooks.tasks.webhook_deliveries_sweep_task",
        "schedule": crontab(minute="*/5"),
    },
    # --- reports -------------------------------------------------------------
    "reports-run": {
        "task": "reports.tasks.reports_run_task",
        "schedule": crontab(minute="*/15"),
    },
}

__all__ = ["app", "crontab"]
