"""A failed submit keeps exactly one draft; an empty form never makes one."""

import pytest
from django.urls import reverse

from orders.choices import OrderStatus, OrderType
from orders.models import Order

pytestmark = pytest.mark.django_db


def test_failed_submit_moves_to_the_one_draft_and_the_next_submit_updates_it(
    coordinator_client, queues, commit
):
    create = reverse("orders:portal_create", args=[OrderType.EMAIL_ONLY])
    response = coordinator_client.post(
        create, {"new_full_name": "Nia New", "new_email": "nia@example.edu", "intent": "submit"}
    )
    draft = Order.objects.get()
    edit = reverse("orders:portal_edit", args=[draft.number])
    assert response.status_code == 302
    assert response["Location"] == f"{edit}?check"

    page = coordinator_client.get(response["Location"])
    html = page.content.decode()
    assert f"Draft {draft.number} is saved; fix the fields below." in html
    assert "Enter a username." in html  # the submission's error, on its field
    assert 'value="Nia New"' in html  # nothing typed is lost
    # The form posts to this page (the draft's), not to "new order".
    form_tag = (
        '<form method="post" enctype="multipart/form-data" class="card orders-form" novalidate>'
    )
    assert form_tag in html

    with commit():
        response = coordinator_client.post(
            edit,
            {
                "new_full_name": "Nia New",
                "new_username": "nnew",
                "new_email": "nia@example.edu",
                "intent": "submit",
            },
        )
    assert response.status_code == 302
    assert Order.objects.count() == 1
    draft.refresh_from_db()
    assert draft.status != OrderStatus.DRAFT
    assert draft.new_username == "nnew"


@pytest.mark.parametrize("intent", ["submit", "save"])
def test_an_empty_form_saves_nothing_and_says_what_is_needed(coordinator_client, queues, intent):
    create = reverse("orders:portal_create", args=[OrderType.INSTALL_SOFTWARE])
    response = coordinator_client.post(
        create, {"new_full_name": "", "workstation": "  ", "notes": "", "intent": intent}
    )
    assert response.status_code == 200
    assert not Order.objects.exists()
    html = response.content.decode()
    assert "Nothing is filled in yet, so nothing was saved." in html
    assert "Choose at least one software title." in html
    assert "Enter the end user&#x27;s workstation." in html
