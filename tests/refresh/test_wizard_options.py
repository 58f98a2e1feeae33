"""The wizard's option rules: what a page offers is what the submit service accepts."""

import pytest

from refresh import services
from refresh.choices import Platform
from refresh.exceptions import RefreshError
from refresh.selectors import wizard
from refresh.services.answers import apply_answers
from tests.refresh.factories import HardwareModelFactory, RefreshConfigFactory, SystemFactory

pytestmark = pytest.mark.django_db


def _ticket(admin, **options):
    proposed = HardwareModelFactory(platform=Platform.WINDOWS)
    other_windows = HardwareModelFactory(platform=Platform.WINDOWS)
    mac = HardwareModelFactory(manufacturer="Apple", platform=Platform.MAC)
    config = RefreshConfigFactory(approved_models=[proposed, other_windows, mac], **options)
    system = SystemFactory(platform=Platform.WINDOWS)
    ticket = services.ticket_create(system=system, config=config, actor=admin)
    ticket.proposed_model = proposed
    return ticket, proposed, other_windows, mac


def test_same_platform_choice_offers_and_accepts_only_that_platform(admin):
    ticket, proposed, other_windows, mac = _ticket(admin, can_customize_computer=True)
    assert set(wizard.wizard_models(ticket=ticket)) == {proposed, other_windows}
    apply_answers(ticket=ticket, answers={"chosen_model": other_windows.pk}, enforce_options=True)
    with pytest.raises(RefreshError, match="another platform"):
        apply_answers(ticket=ticket, answers={"chosen_model": mac.pk}, enforce_options=True)
    # Approvers are not bound by the customer options, only by the catalog.
    apply_answers(ticket=ticket, answers={"chosen_model": mac.pk}, enforce_options=False)


def test_no_choice_offers_nothing_and_refuses_another_model(admin):
    ticket, _proposed, other_windows, _mac = _ticket(admin)
    assert wizard.wizard_models(ticket=ticket) is None
    with pytest.raises(RefreshError, match="does not offer a choice"):
        apply_answers(
            ticket=ticket, answers={"chosen_model": other_windows.pk}, enforce_options=True
        )


def test_none_fits_needs_the_option_and_a_reason(admin):
    ticket, *_ = _ticket(admin)
    with pytest.raises(RefreshError, match="different device"):
        apply_answers(
            ticket=ticket,
            answers={"none_fits": True, "none_fits_reason": "Needs a GPU"},
            enforce_options=True,
        )
    ticket, *_ = _ticket(admin, can_request_different_device=True)
    with pytest.raises(RefreshError, match="Say why"):
        apply_answers(ticket=ticket, answers={"none_fits": True}, enforce_options=True)
    checked = apply_answers(
        ticket=ticket,
        answers={"none_fits": True, "none_fits_reason": "Needs a GPU"},
        enforce_options=True,
    )
    assert "none_fits" in checked.changed


def test_checked_m2m_answers_are_returned_not_stashed_on_the_ticket(admin):
    ticket, *_ = _ticket(admin, can_customize_software=True)
    checked = apply_answers(ticket=ticket, answers={"software_requests": []}, enforce_options=True)
    assert checked.software == frozenset()
    assert checked.peripherals is None
    assert not hasattr(ticket, "_pending_software")
