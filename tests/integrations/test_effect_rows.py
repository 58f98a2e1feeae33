"""The effects page's rows printed in Python (``integrations.effect_rows``) are the
rows its template printed, with and without the retry form."""

import datetime as dt
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import timezone

from common.models import Effect, EffectStatus
from common.selectors import effects_attention_page
from integrations.effect_rows import effect_rows_html

pytestmark = pytest.mark.django_db

# The effects template's rows before they moved to Python (effects.html).
TEMPLATE_ROWS = (Path(__file__).parent / "effect_rows_before.html").read_text()


@pytest.fixture
def effects(make_user):
    """Failed, failing (pending again), abandoned (running past its lease) and
    retried effects, about a target or only their arguments, errors with markup."""
    person = make_user(full_name="Ana <Díaz>")
    now = timezone.now()
    past = now - dt.timedelta(hours=3, minutes=7, seconds=9)
    kinds = [
        {"status": EffectStatus.FAILED, "last_error": "Permanent <error> & more"},
        {"status": EffectStatus.PENDING, "attempts": 3, "next_attempt_at": past},
        {"status": EffectStatus.RUNNING, "lease_until": past, "attempts": 1},
        {"status": EffectStatus.FAILED, "retried_by": person, "retried_at": past},
    ]
    for i, kind in enumerate(kinds * 2):
        target = {"target_kind": "ticket", "target_id": 40 + i} if i % 2 else {}
        Effect.objects.create(
            task_name=f"refresh.tasks.task_{i}_task",
            kwargs={"ticket_id": i, "note": "<b>"},
            key=f"row-{i}",
            **target,
            **kind,
        )


@pytest.mark.parametrize("can_retry", [True, False])
def test_python_rows_are_the_templates_rows(effects, can_retry):
    page = effects_attention_page(number=1)
    assert len(page.object_list) == 8
    expected = Template(TEMPLATE_ROWS).render(
        Context({"page": page, "can_retry": can_retry, "csrf_token": "TOKEN"})
    )
    printed = effect_rows_html(page.object_list, can_retry=can_retry, csrf_token="TOKEN")
    assert str(printed) == expected
