"""Staff edit an order's type-specific information after submission (issue 12 #7)."""

import pytest
from django.urls import reverse

from notifications.models import OutboundEmail
from orders.choices import OrderStatus, OrderType
from orders.models import OrderAudit
from tests.orders.factories import OrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(organization, coordinator):
    return OrderFactory(
        organization=organization,
        submitted_by=coordinator,
        status=OrderStatus.IN_PROGRESS,
        new_full_name="Jamie Park",
        new_username="jpark",
        new_email="jpark@example.edu",
        distribution_groups=["staff-all"],
    )


def _post(client, order, **fields):
    data = {
        "new_full_name": order.new_full_name,
        "new_username": order.new_username,
        "new_email": order.new_email,
        "distribution_groups": "\n".join(order.distribution_groups),
        "shared_mailboxes": "\n".join(order.shared_mailboxes),
        **fields,
    }
    return client.post(reverse("orders:staff_information", args=[order.number]), data)


def test_a_manager_edits_the_information_one_audit_row_and_the_coordinator_is_told(
    client, manager, submitted, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    page = client.get(reverse("orders:staff_detail", args=[submitted.number])).content.decode()
    assert "Edit order information" in page
    form = client.get(reverse("orders:staff_information", args=[submitted.number]))
    assert "requested_completion_date" not in form.content.decode()  # on the details form

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            client,
            submitted,
            new_full_name="Jamie Parker",
            distribution_groups="staff-all\nmed-residents",
        )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.new_full_name == "Jamie Parker"
    assert submitted.distribution_groups == ["staff-all", "med-residents"]

    audit = OrderAudit.objects.get(order=submitted, transition="information_changed")
    assert audit.actor == manager
    assert audit.changes == {
        "new_full_name": ["Jamie Park", "Jamie Parker"],
        "distribution_groups": ["staff-all", "med-residents, staff-all"],
    }
    assert "New user's name: Jamie Park → Jamie Parker" in audit.note

    email = OutboundEmail.objects.get(related_id=str(submitted.pk), template="orders_update")
    assert email.to == [coordinator.email]
    assert f"changed the information of order {submitted.number}" in email.body_text
    assert "- New user's name: Jamie Park → Jamie Parker" in email.body_text

    # Saving again without a change writes nothing.
    submitted.refresh_from_db()
    _post(client, submitted)
    assert OrderAudit.objects.filter(order=submitted, transition="information_changed").count() == 1


def test_emptying_a_field_the_order_needs_is_refused_and_nothing_is_saved(
    client, manager, submitted
):
    client.force_login(manager)
    response = _post(client, submitted, new_email="")
    assert response.status_code == 400
    assert "Enter the new user&#x27;s email address." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.new_email == "jpark@example.edu"
    assert not OrderAudit.objects.filter(order=submitted, transition="information_changed")


def test_a_completed_order_keeps_its_information(client, manager, submitted):
    type(submitted).objects.filter(pk=submitted.pk).update(status=OrderStatus.COMPLETED)
    client.force_login(manager)
    page = client.get(reverse("orders:staff_information", args=[submitted.number]))
    assert "its information can no longer change" in page.content.decode()
    assert "Save information" not in page.content.decode()
    response = _post(client, submitted, new_full_name="Someone Else")
    assert "its information is final" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.new_full_name == "Jamie Park"


def test_technicians_without_the_role_cannot_edit(client, technician, submitted):
    client.force_login(technician)
    page = client.get(reverse("orders:staff_detail", args=[submitted.number])).content.decode()
    assert "Edit order information" not in page
    assert _post(client, submitted, new_full_name="X").status_code == 403


def test_install_software_titles_change_with_before_and_after(
    client, manager, organization, coordinator, make_user
):
    from tests.orders.factories import InstallableSoftwareFactory

    acrobat = InstallableSoftwareFactory(name="Adobe Acrobat Pro")
    endnote = InstallableSoftwareFactory(name="EndNote")
    end_user = make_user(organization=organization)
    order = OrderFactory(
        organization=organization,
        submitted_by=coordinator,
        order_type=OrderType.INSTALL_SOFTWARE,
        status=OrderStatus.SUBMITTED,
        existing_user=end_user,
        workstation="WX08",
    )
    order.software.set([acrobat])
    client.force_login(manager)
    response = client.post(
        reverse("orders:staff_information", args=[order.number]),
        {"software": [acrobat.pk, endnote.pk], "existing_user": end_user.pk, "workstation": "WX08"},
    )
    assert response.status_code == 302
    audit = OrderAudit.objects.get(order=order, transition="information_changed")
    assert audit.changes == {"software": ["Adobe Acrobat Pro", "Adobe Acrobat Pro, EndNote"]}
