from django.db import migrations, models

# Each finished step waited from the previous step's processing (the order's
# submission for the first): one UPDATE with a window over each order's steps.
# Works on PostgreSQL and SQLite (3.33+: UPDATE ... FROM).
FILL = """
UPDATE orders_orderaction
SET waiting_since = w.began
FROM (
    SELECT a.id,
           LAG(a.processed_at, 1, o.submitted_at)
               OVER (PARTITION BY a.order_id ORDER BY a.position) AS began
    FROM orders_orderaction a
    JOIN orders_order o ON o.id = a.order_id
) w
WHERE w.id = orders_orderaction.id AND orders_orderaction.processed_at IS NOT NULL
"""


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0008_order_type_choices_include_requests"),
    ]

    operations = [
        migrations.AddField(
            model_name="orderaction",
            name="waiting_since",
            field=models.DateTimeField(
                blank=True,
                help_text="When this step began waiting: the previous step's processing, or "
                "the order's submission for the first. Set when the step is finished; the "
                "order desk dashboard's step times run from it to processed_at.",
                null=True,
            ),
        ),
        migrations.RunSQL(FILL, reverse_sql=migrations.RunSQL.noop),
    ]
