"""End-user secrets: the password an end user gives for a software install.

Encrypted with MultiFernet before it touches the database, never logged, shown
once to the order's owner (audited), purged when the order completes or is
cancelled, or after ``END_USER_SECRET_RETENTION_DAYS`` by the beat job.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from orders.choices import OrderStatus, OrderType
from orders.crypto import secret_decrypt, secret_encrypt, secret_rotate
from orders.exceptions import OrderError, OrderPermissionDenied, SecretUnavailable
from orders.models import EndUserSecret, Order

from ._core import order_audit_add, order_lock, status_label

ORDERS_TECHNICIAN_TEAM_NAME = "Orders Technicians"


def orders_technician_team():
    """The support team whose slots end users book for software installs."""
    from accounts.models import SupportTeam

    name = getattr(settings, "ORDERS_TECHNICIAN_TEAM", ORDERS_TECHNICIAN_TEAM_NAME)
    return SupportTeam.objects.filter(name=name).first()


def _require_open_install(order: Order) -> None:
    if order.order_type != OrderType.INSTALL_SOFTWARE:
        raise OrderError("Only software installs ask the end user for a password.")
    if order.status not in (OrderStatus.SUBMITTED, OrderStatus.IN_PROGRESS, OrderStatus.ON_HOLD):
        raise OrderError(
            f"Order {order.number} is {status_label(order.status).lower()}; "
            "it no longer needs your password."
        )


@sensitive_variables("password")
@transaction.atomic
def enduser_link_submit(*, order: Order, password: str, slot_id: int | None, link=None) -> None:
    """Store the end user's password (encrypted) and book their appointment, both or neither.

    A second link after the appointment is booked (the action retried, or staff
    asking again after the one-time reveal): ``slot_id=None`` keeps the booked
    appointment, another slot moves it (``booking_reschedule``: the old time
    stays if the new slot is full).
    """
    from scheduling.selectors import booking_active_for

    order = order_lock(order_id=order.pk)
    _require_open_install(order)
    if not password:
        raise OrderError("Enter your password.")
    booking = None
    current = booking_active_for(obj=order)
    if slot_id is not None and current is not None and current.slot_id != slot_id:
        from scheduling.services import booking_reschedule

        booking = booking_reschedule(booking=current, new_slot_id=slot_id, by=None)
    elif slot_id is not None and current is None:
        from scheduling.services import booking_create

        booking = booking_create(slot_id=slot_id, booked_object=order, booked_by=None)
    now = timezone.now()
    EndUserSecret.objects.filter(order=order, purged_at__isnull=True).update(
        ciphertext="", purged_at=now
    )
    EndUserSecret.objects.create(
        order=order,
        ciphertext=secret_encrypt(password),
        expires_at=now + timedelta(days=settings.END_USER_SECRET_RETENTION_DAYS),
    )
    if booking is not None and current is not None:
        booked = " and moved their appointment."
    elif booking is not None:
        booked = " and booked an appointment."
    elif current is not None:
        booked = " and kept their appointment."
    else:
        booked = "."
    order_audit_add(
        order=order,
        job="end-user link",
        transition="secret_given",
        from_status=order.status,
        to_status=order.status,
        note="The end user gave their password" + booked,
    )
    if link is not None:
        from notifications.links import access_link_revoke

        access_link_revoke(link=link, reason="The end user answered.")
    from .notify import order_appointment_booked_notify, order_notify_owner

    key = f"order-{order.pk}-enduser-answered-{now.timestamp():.0f}"
    if booking is not None:
        order_appointment_booked_notify(order=order, booking=booking, key=key)
    else:
        order_notify_owner(
            order=order, key=key, summary="The end user gave their password" + booked
        )


def enduser_secret_live(*, order: Order) -> EndUserSecret | None:
    return EndUserSecret.objects.filter(order=order, purged_at__isnull=True).first()


@sensitive_variables("plaintext")
@transaction.atomic
def enduser_secret_reveal(*, order: Order, actor) -> str:
    """The password in clear text, once, to the order's owner; audited."""
    if not (
        getattr(actor, "is_authenticated", False)
        and actor.has_perm("orders.reveal_enduser_secret")
        and (order.owner_id == actor.pk or actor.is_superuser)
    ):
        raise OrderPermissionDenied("Only the order's assigned technician may see the password.")
    order = order_lock(order_id=order.pk)
    secret = (
        EndUserSecret.objects.select_for_update()
        .filter(order=order, purged_at__isnull=True)
        .first()
    )
    if secret is None or not secret.ciphertext:
        raise SecretUnavailable("There is no password to show: never given, or purged.")
    if secret.revealed_at is not None:
        raise SecretUnavailable(
            f"The password was already shown to {secret.revealed_by or 'someone'} on "
            f"{timezone.localtime(secret.revealed_at):%b %-d at %H:%M}; ask the end user again."
        )
    plaintext = secret_decrypt(secret.ciphertext)
    secret.revealed_at = timezone.now()
    secret.revealed_by = actor
    secret.save(update_fields=["revealed_at", "revealed_by"])
    order_audit_add(
        order=order,
        actor=actor,
        transition="secret_revealed",
        from_status=order.status,
        to_status=order.status,
        note="The end user's password was shown to the assigned technician.",
    )
    return plaintext


def enduser_secrets_purge_for_order(*, order: Order, reason: str) -> int:
    count = EndUserSecret.objects.filter(order=order, purged_at__isnull=True).update(
        ciphertext="", purged_at=timezone.now()
    )
    if count:
        order_audit_add(
            order=order,
            job="secret purge",
            transition="secret_purged",
            from_status=order.status,
            to_status=order.status,
            note=f"End-user password purged ({reason}).",
        )
    return count


@transaction.atomic
def enduser_secrets_purge(*, secret_ids, actor) -> int:
    """Purge the given secrets now (the admin's action): one audit row per order,
    naming who purged them. Already purged secrets are left alone."""
    if not (getattr(actor, "is_authenticated", False) and actor.has_perm("orders.change_order")):
        raise OrderPermissionDenied("You may not purge end-user passwords.")
    secrets = list(
        EndUserSecret.objects.select_for_update(of=("self",))
        .filter(pk__in=secret_ids, purged_at__isnull=True)
        .select_related("order")
        .order_by("pk")
    )
    now = timezone.now()
    by_order: dict[int, list[EndUserSecret]] = {}
    for secret in secrets:
        by_order.setdefault(secret.order_id, []).append(secret)
    for rows in by_order.values():
        EndUserSecret.objects.filter(pk__in=[s.pk for s in rows]).update(
            ciphertext="", purged_at=now
        )
        order = rows[0].order
        order_audit_add(
            order=order,
            actor=actor,
            transition="secret_purged",
            from_status=order.status,
            to_status=order.status,
            note="End-user password purged in the admin.",
        )
    return len(secrets)


@transaction.atomic
def enduser_secrets_purge_expired(*, now=None, batch: int = 500) -> int:
    """Purge every secret past its retention date (beat job; idempotent)."""
    now = now or timezone.now()
    ids = list(
        EndUserSecret.objects.filter(purged_at__isnull=True, expires_at__lte=now)
        .order_by("id")
        .values_list("id", flat=True)[:batch]
    )
    if not ids:
        return 0
    return EndUserSecret.objects.filter(id__in=ids, purged_at__isnull=True).update(
        ciphertext="", purged_at=now
    )


def enduser_secrets_rotate() -> int:
    """Re-encrypt every live secret under the newest FERNET key."""
    count = 0
    for secret in EndUserSecret.objects.filter(purged_at__isnull=True).exclude(ciphertext=""):
        EndUserSecret.objects.filter(pk=secret.pk, purged_at__isnull=True).update(
            ciphertext=secret_rotate(secret.ciphertext)
        )
        count += 1
    return count
