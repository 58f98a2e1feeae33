"""Bulk people for ``manage.py seed_scale``: one organization, its people and teams.

Written with ``bulk_create`` (no services, no audit rows, no emails): the rows
exist only to give the lists, details and jobs realistic volume to work on.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Organization, SupportTeam, User


@dataclass(frozen=True)
class ScalePeople:
    organization: Organization
    users: list[User]
    teams: list[SupportTeam]


def scale_people_seed(*, tag: str, people: int = 500, teams: int = 5) -> ScalePeople:
    """One organization named after ``tag`` with ``people`` users and ``teams`` teams."""
    organization = Organization.objects.create(name=f"Scale {tag}")
    users = User.objects.bulk_create(
        [
            User(
                email=f"scale.{tag}.{i}@example.edu",
                full_name=f"Scale Person {tag} {i:05d}",
                organization=organization,
            )
            for i in range(people)
        ],
        batch_size=5000,
    )
    team_rows = SupportTeam.objects.bulk_create(
        [SupportTeam(name=f"Scale {tag} team {i}") for i in range(teams)]
    )
    return ScalePeople(organization=organization, users=users, teams=team_rows)
