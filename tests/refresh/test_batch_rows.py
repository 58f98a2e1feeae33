"""The batch page's report rows printed in Python (``refresh.views.batch_rows``) are
the rows its template printed, for every outcome a person sees there."""

from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse

from accounts.scale import scale_people_seed
from benchmarks.other_lists_seed import approval_batch_seed
from refresh.choices import BatchRowOutcome
from refresh.models import RefreshBatch, RefreshBatchRow, RefreshTicket
from refresh.selectors import batch_rows_page
from refresh.views.batch_rows import batch_rows_html

pytestmark = pytest.mark.django_db

# The batch template's rows before they moved to Python (staff/batch_detail.html).
TEMPLATE_ROWS = (Path(__file__).parent / "batch_rows_before.html").read_text()


@pytest.fixture
def batch(approver):
    """A batch whose report has a row of every outcome, with and without a ticket
    and a message (messages with markup in them)."""
    seed = approval_batch_seed(
        people=scale_people_seed(tag="r", people=3, teams=1), tag="r", count=3, approver=approver
    )
    tickets = list(RefreshTicket.objects.order_by("id"))
    batch = RefreshBatch.objects.create(
        name="Report", config=seed.config, tickets_created_at=seed.batch.tickets_created_at
    )
    outcomes = list(BatchRowOutcome.values)
    for i in range(12):
        outcome = outcomes[i % len(outcomes)]
        RefreshBatchRow.objects.create(
            batch=batch,
            position=i + 1,
            serial_number=f"SN<{i}>&",
            outcome=outcome,
            message=f"Because <{i}> & more" if i % 3 else "",
            ticket=tickets[i % 3] if outcome == BatchRowOutcome.CREATED or i == 5 else None,
        )
    return batch


def test_python_rows_are_the_templates_rows(batch):
    page = batch_rows_page(batch=batch, number=1)
    instances = RefreshBatchRow.objects.filter(batch=batch).select_related("system", "ticket")
    expected = Template(TEMPLATE_ROWS).render(Context({"page": {"object_list": instances}}))
    assert str(batch_rows_html(page.object_list)) == expected


def test_no_rows_prints_the_templates_empty_row():
    expected = Template(TEMPLATE_ROWS).render(Context({"page": {"object_list": []}}))
    assert str(batch_rows_html([])) == expected


def test_the_report_links_each_created_ticket(client, admin, batch):
    client.force_login(admin)
    text = client.get(reverse("refresh:batch_detail", args=[batch.pk])).text
    for row in RefreshBatchRow.objects.filter(batch=batch, ticket__isnull=False):
        number = row.ticket.number
        assert f'<a href="/refresh/tickets/{row.ticket_id}/">{number}</a>' in text
    assert '<td class="mono">SN&lt;1&gt;&amp;</td>' in text
    assert '<span class="small">Because &lt;1&gt; &amp; more</span>' in text
