"""Issue #17: the staff list sorts by user and team through keys kept on the ticket
(``user_sort_name``, ``team_sort_name``); every path that sets or renames a user
or team keeps them, so the list re-sorts when one changes."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from accounts.models import SupportTeam
from refresh import services
from refresh.models import RefreshTicket
from tests.accounts.factories import SupportTeamFactory, UserFactory
from tests.refresh.factories import RefreshConfigFactory, SystemFactory

pytestmark = pytest.mark.django_db


def _ticket(name, *, team=None, email=None):
    user = UserFactory(full_name=name, **({"email": email} if email else {}))
    return services.ticket_create(
        system=SystemFactory(current_user=user),
        config=RefreshConfigFactory(support_team=team or SupportTeamFactory()),
    )


def _listed(client, sort):
    response = client.get(reverse("refresh:ticket_list"), {"sort": sort})
    return [row["id"] for row in response.context["rows"]]


def test_a_new_ticket_takes_the_names_it_shows_lower_cased():
    named = _ticket("Zoe Quinn", team=SupportTeamFactory(name="North Desk"))
    unnamed = _ticket("", email="pat.unnamed@example.edu")
    assert (named.user_sort_name, named.team_sort_name) == ("zoe quinn", "north desk")
    # No full name: the list shows the email, so it sorts by the email.
    assert unnamed.user_sort_name == "pat.unnamed@example.edu"


def test_bulk_creation_fills_the_keys(admin):
    team = SupportTeamFactory(name="Bulk Team")
    system = SystemFactory(current_user=UserFactory(full_name="Bea Bulk"))
    services.tickets_create_for_systems(
        systems=[system], config=RefreshConfigFactory(), support_team=team, actor=admin
    )
    ticket = RefreshTicket.objects.get(existing_system=system)
    assert (ticket.user_sort_name, ticket.team_sort_name) == ("bea bulk", "bulk team")


def test_sorting_by_user_and_team_follows_the_names(client, admin):
    client.force_login(admin)
    alpha = _ticket("alma Able", team=SupportTeamFactory(name="Zulu team"))
    bravo = _ticket("Bert Baker", team=SupportTeamFactory(name="alpha team"))
    assert _listed(client, "user") == [alpha.pk, bravo.pk]
    assert _listed(client, "team") == [bravo.pk, alpha.pk]

    # Renamed in the admin (a plain save): the tickets re-sort.
    alpha.user.full_name = "Zed Able"
    alpha.user.save()
    bravo.support_team.name = "Zz team"
    bravo.support_team.save()
    assert _listed(client, "user") == [bravo.pk, alpha.pk]
    assert _listed(client, "team") == [alpha.pk, bravo.pk]


def test_a_ticket_without_user_or_team_sorts_last(client, admin):
    client.force_login(admin)
    named = _ticket("Carl Cole")
    nobody = _ticket("Dora Dee")
    RefreshTicket.objects.filter(pk=nobody.pk).update(user_sort_name=None, team_sort_name=None)
    assert _listed(client, "user") == [named.pk, nobody.pk]
    assert _listed(client, "team") == [named.pk, nobody.pk]


def test_the_owner_lookup_moves_the_ticket_to_its_new_user_and_team(client, admin):
    client.force_login(admin)
    first = _ticket("Mia Middle", team=SupportTeamFactory(name="M team"))
    second = _ticket("Nora North", team=SupportTeamFactory(name="N team"))
    assert _listed(client, "user") == [first.pk, second.pk]

    services.ticket_apply_owner_lookup(
        ticket=first,
        user=UserFactory(full_name="Yves Young"),
        support_team=SupportTeam.objects.create(name="Y team"),
    )
    first.refresh_from_db()
    assert (first.user_sort_name, first.team_sort_name) == ("yves young", "y team")
    assert _listed(client, "user") == [second.pk, first.pk]
    assert _listed(client, "team") == [second.pk, first.pk]


def test_a_team_changed_in_the_admin_changes_the_key(superuser):
    ticket = _ticket("Olga Oak", team=SupportTeamFactory(name="Old team"))
    services.ticket_admin_update(
        ticket=ticket, actor=superuser, data={"support_team": SupportTeamFactory(name="New Team")}
    )
    ticket.refresh_from_db()
    assert ticket.team_sort_name == "new team"


def test_a_sign_in_does_not_touch_the_tickets(django_assert_num_queries):
    ticket = _ticket("Sam Sign")
    user = ticket.user
    # last_login alone: one UPDATE of the user, none of the tickets.
    with django_assert_num_queries(1):
        user.save(update_fields=["last_login"])
    user.full_name = "Sam Renamed"
    user.save(update_fields=["full_name"])
    ticket.refresh_from_db()
    assert ticket.user_sort_name == "sam renamed"


def test_the_migration_fills_the_keys_of_existing_tickets():
    ticket = _ticket("Una Upgrade", team=SupportTeamFactory(name="Upgrade Team"))
    RefreshTicket.objects.filter(pk=ticket.pk).update(user_sort_name=None, team_sort_name=None)
    migration = importlib.import_module("refresh.migrations.0010_ticket_user_team_sort_names")
    if connection.vendor == "sqlite":
        # SQLite's schema editor cannot open inside the test's transaction; on
        # SQLite the fill asks the editor only for its connection.
        migration.backfill(apps, SimpleNamespace(connection=connection))
    else:
        with connection.schema_editor(atomic=False) as editor:
            migration.backfill(apps, editor)
    ticket.refresh_from_db()
    assert (ticket.user_sort_name, ticket.team_sort_name) == ("una upgrade", "upgrade team")
