"""The person picker's search (htmx): the options matching what a coordinator typed."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from orders.selectors.people import people_search, placeholders_search

from .portal import _organization_for, coordinator_only

QUERY_MAX_LENGTH = 100


@coordinator_only
@require_GET
def portal_people(request):
    """``?q=words&field=existing_user|replacing``: people of the coordinator's
    organization (and its sub-organizations) whose name, email or department holds
    every word; for "user being replaced" parked workstations too."""
    organization = _organization_for(request)
    query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
    replacing = request.GET.get("field") == "replacing"
    people = people_search(
        organization=organization, query=query, value_prefix="user:" if replacing else ""
    )
    if replacing:
        people += placeholders_search(organization=organization, query=query)
    return render(request, "orders/portal/_people_options.html", {"people": people, "q": query})
