"""The four built-in order types become request types; a GIN index on the answers.

The index is PostgreSQL's (jsonb_path_ops serves ``custom_values__contains``);
SQLite (the embedded mode) has none and filters by scanning.
"""

from django.db import migrations

BUILTIN = [
    (
        "email_only",
        "Email only",
        "account",
        "A new email account: name, username, groups and shared mailboxes.",
    ),
    (
        "deactivate_future_replacement",
        "Deactivate with future replacement",
        "account",
        "Someone leaves; their computer waits, parked, for a replacement you name later.",
    ),
    (
        "deactivate_replacement_now",
        "Deactivate with replacement now",
        "account",
        "Someone leaves and a new person takes over their desktop now.",
    ),
    (
        "install_software",
        "Install software",
        "software",
        "Software for a person's computer; they give their password and book a visit.",
    ),
]

GIN = "orders_order_custom_values_gin"


def forwards(apps, schema_editor):
    RequestType = apps.get_model("orders", "RequestType")
    for position, (value, name, icon, description) in enumerate(BUILTIN, start=1):
        if not RequestType.objects.filter(builtin_type=value).exists():
            slug, suffix = value.replace("_", "-"), ""
            while RequestType.objects.filter(name=name + suffix).exists():
                suffix = f" ({value})"
            RequestType.objects.create(
                name=name + suffix,
                slug=slug,
                builtin_type=value,
                icon=icon,
                description=description,
                position=position,
            )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {GIN} ON orders_order "
            "USING gin (custom_values jsonb_path_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN}")


class Migration(migrations.Migration):
    dependencies = [("orders", "0004_request_types_time")]

    operations = [migrations.RunPython(forwards, backwards)]
