"""Refresh configs: every change leaves an audit row with before and after (moved
out of test_services.py, which had passed 400 lines)."""

import pytest

from accounts.roles import Role
from refresh import services
from refresh.choices import RefreshStyle
from refresh.exceptions import TransitionDenied
from tests.refresh.factories import HardwareModelFactory, RefreshConfigFactory

pytestmark = pytest.mark.django_db


def test_config_edit_saves_only_changes_and_audits_them(admin, make_user):
    from tests.accounts.factories import OrganizationFactory

    approver = make_user(Role.APPROVER)
    model = HardwareModelFactory()
    data = {
        "name": "Medicine 2026",
        "organization": OrganizationFactory(),
        "style": RefreshStyle.ON_PREM,
        "requires_approval": True,
        "approvers": [approver],
        "approved_models": [model],
    }
    config = services.config_save(actor=admin, data=data)
    created = config.audits.get()
    assert created.transition == "create"
    assert created.actor == admin
    assert created.changes["name"] == ["—", "Medicine 2026"]

    other = make_user(Role.APPROVER)
    services.config_save(
        actor=admin,
        config=config,
        data={**data, "name": "Medicine 2027", "approvers": [approver, other]},
    )
    edit = config.audits.order_by("-id").first()
    assert edit.transition == "edit"
    assert set(edit.changes) == {"name", "approvers"}
    assert edit.changes["name"] == ["Medicine 2026", "Medicine 2027"]
    config.refresh_from_db()
    assert config.name == "Medicine 2027"
    assert set(config.approvers.all()) == {approver, other}

    # Saving the same values again changes nothing and writes no row.
    services.config_save(
        actor=admin,
        config=config,
        data={**data, "name": "Medicine 2027", "approvers": [approver, other]},
    )
    assert config.audits.count() == 2


def test_config_edit_refused_without_permission_changes_nothing(admin, manager):
    config = RefreshConfigFactory(name="Keep me")
    with pytest.raises(TransitionDenied):
        services.config_save(actor=manager, config=config, data={"name": "Renamed"})
    config.refresh_from_db()
    assert config.name == "Keep me"
    assert not config.audits.exists()
