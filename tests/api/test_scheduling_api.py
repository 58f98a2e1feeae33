import datetime as dt

from django.utils import timezone

from tests.api.conftest import key_client


def test_slots_with_free_capacity_for_a_range(manager, make_slot, team):
    soon, later = make_slot(days=2, capacity=3), make_slot(days=20)
    soon.booked_count = 1
    soon.save(update_fields=["booked_count"])
    api = key_client(manager)
    today = timezone.localdate()
    rows = api.get(
        "/api/v1/scheduling/slots/",
        {"team": team.pk, "start": today.isoformat(), "end": (today + dt.timedelta(5)).isoformat()},
    ).json()["results"]
    assert [(r["id"], r["free"]) for r in rows] == [(soon.pk, 2)]
    assert later.pk not in [r["id"] for r in rows]
    wide = api.get("/api/v1/scheduling/slots/", {"start": "2026-01-01", "end": "2027-01-01"})
    assert wide.status_code == 400
    assert wide.json()["errors"] == {"end": ["Ask for at most 62 days."]}
