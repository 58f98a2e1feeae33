"""Reads of systems and hardware models for the API (staff with refresh view access)."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Organization, User
from refresh.models import HardwareModel, System


def systems_for_staff(
    *, user, q: str = "", status: str = "", platform: str = "", organization: str = ""
) -> QuerySet[System]:
    """Every system for people with ``refresh.view_system``; none for anyone else."""
    if not (getattr(user, "is_authenticated", False) and user.has_perm("refresh.view_system")):
        return System.objects.none()
    qs = System.objects.select_related("hardware_model", "current_user", "organization")
    if q.strip():
        qs = qs.filter(serial_number__istartswith=q.strip()) | qs.filter(name__icontains=q.strip())
    if status:
        qs = qs.filter(status=status)
    if platform:
        qs = qs.filter(platform=platform)
    if organization.isdigit():
        qs = qs.filter(organization_id=int(organization))
    return qs


def system_for_staff(*, user, serial_number: str) -> System | None:
    return (
        systems_for_staff(user=user)
        .filter(serial_number=(serial_number or "").strip().upper())
        .first()
    )


def hardware_model_by_id(*, model_id: int) -> HardwareModel | None:
    return HardwareModel.objects.filter(pk=model_id).first()


# The upsert's references (an inventory names people by email, organizations by id).
def user_by_email(*, email: str) -> User | None:
    return User.objects.filter(email__iexact=email).first()


def organization_by_id(*, organization_id: int) -> Organization | None:
    return Organization.objects.filter(pk=organization_id).first()
