"""The person picker's reads: the organization's people (and its sub-organizations'),
searched by name, email or department, each shown so that namesakes differ."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.selectors import organization_descendant_ids
from orders.models import WorkstationPlaceholder

PEOPLE_SEARCH_LIMIT = 15


@dataclass(frozen=True)
class PersonOption:
    """One row of the picker: the value the form takes and what a person reads."""

    value: str
    name: str
    detail: str

    @property
    def label(self) -> str:
        return f"{self.name} · {self.detail}" if self.detail else self.name


def person_label(user: User) -> str:
    """ "Avery Garcia · avery.garcia2@med.example.edu · Cardiology": namesakes differ."""
    return PersonOption(value="", name=_name(user), detail=_detail(user)).label


def _name(user: User) -> str:
    return user.full_name or user.email


def _detail(user: User) -> str:
    department = user.organization.name if user.organization_id else ""
    return " · ".join(part for part in (user.email, department) if part)


def people_for_picker(*, organization) -> QuerySet[User]:
    """Every active person the organization's orders may be about, with their department."""
    ids = organization_descendant_ids(organization_ids=[organization.pk])
    return (
        User.objects.filter(organization_id__in=ids, is_active=True)
        .select_related("organization")
        .order_by("full_name", "email")
    )


def people_search(
    *, organization, query: str, value_prefix: str = "", limit: int = PEOPLE_SEARCH_LIMIT
) -> list[PersonOption]:
    """People whose name, email or department contains every word of ``query``
    (empty: the first ``limit`` by name)."""
    people = people_for_picker(organization=organization)
    for word in query.split()[:5]:
        people = people.filter(
            Q(full_name__icontains=word)
            | Q(email__icontains=word)
            | Q(organization__name__icontains=word)
        )
    return [
        PersonOption(value=f"{value_prefix}{user.pk}", name=_name(user), detail=_detail(user))
        for user in people[:limit]
    ]


def placeholders_search(
    *, organization, query: str, limit: int = PEOPLE_SEARCH_LIMIT
) -> list[PersonOption]:
    """Parked workstations (tmp-…) whose name contains ``query``, for "user being replaced"."""
    ids = organization_descendant_ids(organization_ids=[organization.pk])
    placeholders = WorkstationPlaceholder.objects.filter(
        organization_id__in=ids, active=True
    ).order_by("name")
    if query.strip():
        placeholders = placeholders.filter(name__icontains=query.strip())
    return [
        PersonOption(value=f"placeholder:{p.pk}", name=p.name, detail="Parked workstation")
        for p in placeholders[:limit]
    ]


__all__ = [
    "PEOPLE_SEARCH_LIMIT",
    "PersonOption",
    "people_for_picker",
    "people_search",
    "person_label",
    "placeholders_search",
]
