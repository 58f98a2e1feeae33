"""Trigram indexes for the ITSM stub page's search (title or requestor contains ...), so
a search over 100,000 stub tickets reads the matching rows, not the table (issue 17).

PostgreSQL with ``pg_trgm`` only (``common.trigram``); elsewhere the search
still works, by scanning.
"""

from django.db import migrations

from common.trigram import trigram_indexes

INDEXES = {
    "stub_ticket_title_trgm_idx": '(UPPER(("title")::text)) gin_trgm_ops',
    "stub_ticket_requestor_trgm_idx": '(UPPER(("requestor_email")::text)) gin_trgm_ops',
}


class Migration(migrations.Migration):
    dependencies = [("integrations", "0003_asset_owner_and_job_runs")]

    operations = [trigram_indexes("integrations_stubitsmticket", INDEXES)]
