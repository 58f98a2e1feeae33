import django.db.models.deletion
from django.db import migrations, models

# Every step done so far: how long it took (waiting_since, filled by 0009, to its
# processing) and its order's queue, as the services now store them.
FILL_POSTGRESQL = """
UPDATE orders_orderaction a
SET duration_seconds = EXTRACT(EPOCH FROM a.processed_at - a.waiting_since),
    done_queue_id = o.queue_id
FROM orders_order o
WHERE o.id = a.order_id AND a.status = 'done'
  AND a.processed_at IS NOT NULL AND a.waiting_since IS NOT NULL
"""
# SQLite (3.33+: UPDATE ... FROM) keeps times as text: julianday() reads them.
FILL_SQLITE = """
UPDATE orders_orderaction
SET duration_seconds = (julianday(processed_at) - julianday(waiting_since)) * 86400.0,
    done_queue_id = o.queue_id
FROM orders_order o
WHERE o.id = orders_orderaction.order_id AND orders_orderaction.status = 'done'
  AND processed_at IS NOT NULL AND waiting_since IS NOT NULL
"""


def fill_durations(apps, schema_editor):
    sql = FILL_POSTGRESQL if schema_editor.connection.vendor == "postgresql" else FILL_SQLITE
    schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0010_portal_list_sort_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="orderaction",
            name="done_queue",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                help_text="The order's queue when this step was done: the order desk "
                "dashboard's time per step groups by it without reading the orders.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="orders.orderqueue",
            ),
        ),
        migrations.AddField(
            model_name="orderaction",
            name="duration_seconds",
            field=models.FloatField(
                blank=True,
                help_text="How long (seconds) this step took: from waiting_since to "
                "processed_at. Set when the step is done (empty for skipped and unfinished "
                "steps).",
                null=True,
            ),
        ),
        # Reversing drops the columns with what this filled: nothing to undo.
        migrations.RunPython(fill_durations, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="orderaction",
            index=models.Index(
                condition=models.Q(("duration_seconds__isnull", False)),
                fields=["done_queue", "position", "name", "duration_seconds"],
                name="orders_action_duration_idx",
            ),
        ),
    ]
