"""Trigram indexes for the outbox search (subject or recipient contains ...), so a
search over 100,000 emails reads the matching rows, not the table (issue 17).

PostgreSQL with ``pg_trgm`` only (``common.trigram``); elsewhere the search
still works, by scanning.
"""

from django.db import migrations

from common.trigram import trigram_indexes

INDEXES = {
    "outbox_subject_trgm_idx": '(UPPER(("subject")::text)) gin_trgm_ops',
    "outbox_to_trgm_idx": '(UPPER(("to")::text)) gin_trgm_ops',
}


class Migration(migrations.Migration):
    dependencies = [("notifications", "0005_outbox_list_indexes")]

    operations = [trigram_indexes("notifications_outboundemail", INDEXES)]
