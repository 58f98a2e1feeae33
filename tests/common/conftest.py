"""The refresh fixtures (``flow`` drives a ticket through the real services)."""

from tests.refresh.conftest import admin, approver, flow, make_slot, manager, team  # noqa: F401
