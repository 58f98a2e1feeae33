"""The shared pieces: model_update, enqueue by name after commit, the role gate,
service errors onto forms."""

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.permissions import role_required
from common.effects import enqueue_on_commit, task_by_name
from common.forms import error_text, form_add_service_error
from common.services import model_update
from tests.accounts.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_model_update_saves_only_changed_fields_and_audits_once(django_assert_num_queries):
    user = UserFactory(full_name="Avery Garcia", phone="555-0100")
    org = OrganizationFactory()
    audits = []
    # The UPDATE of the user, then the refresh tickets' user sort key follows the
    # new name (refresh.receivers).
    with django_assert_num_queries(2) as ctx:
        _, changes = model_update(
            instance=user,
            data={"full_name": "Avery J. Garcia", "phone": "555-0100", "organization": org},
            actor=None,
            audit=audits.append,
        )
    sql = ctx.captured_queries[0]["sql"]
    assert sql.startswith("UPDATE")
    assert '"phone"' not in sql
    assert '"email"' not in sql
    assert changes == {
        "full_name": ["Avery Garcia", "Avery J. Garcia"],
        "organization": ["—", str(org)],
    }
    assert audits == [changes]
    user.refresh_from_db()
    assert (user.full_name, user.organization_id) == ("Avery J. Garcia", org.pk)


def test_model_update_with_nothing_changed_writes_nothing(django_assert_num_queries):
    user = UserFactory(full_name="Avery Garcia")
    audits = []
    with django_assert_num_queries(0):
        _, changes = model_update(
            instance=user, data={"full_name": "Avery Garcia"}, actor=None, audit=audits.append
        )
    assert changes == {}
    assert audits == []


def test_model_update_compares_many_to_many_as_sets():
    user = UserFactory()
    a, b = Group.objects.create(name="A"), Group.objects.create(name="B")
    user.groups.set([a])
    _, changes = model_update(
        instance=user, data={"groups": [a, b]}, actor=None, m2m_fields=["groups"]
    )
    assert changes == {"groups": ["A", "A, B"]}
    assert set(user.groups.all()) == {a, b}
    _, again = model_update(
        instance=user, data={"groups": [b, a]}, actor=None, m2m_fields=["groups"]
    )
    assert again == {}


def test_enqueue_on_commit_writes_the_effect_now_and_hurries_it_only_after_commit(
    django_capture_on_commit_callbacks, monkeypatch
):
    from common.models import Effect

    runner = task_by_name("common.tasks.effect_run_task")
    calls = []
    monkeypatch.setattr(runner, "delay", lambda **kw: calls.append(kw))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        effect = enqueue_on_commit("notifications.tasks.deliver_email_task", email_id=7)
    assert Effect.objects.get() == effect
    assert (effect.task_name, effect.kwargs, effect.status) == (
        "notifications.tasks.deliver_email_task",
        {"email_id": 7},
        "pending",
    )
    assert calls == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert calls == [{"effect_id": effect.pk}]


def test_task_by_name_refuses_an_unknown_task():
    with pytest.raises(KeyError):
        task_by_name("nowhere.tasks.missing_task")


@role_required("orders.work_order")
def _staff_view(request):
    return HttpResponse("ok")


def test_role_gate_sends_anonymous_to_sign_in_and_refuses_other_roles(make_user):
    from accounts.roles import Role

    request = RequestFactory().get("/orders/staff/")
    request.user = AnonymousUser()
    response = _staff_view(request)
    assert response.status_code == 302
    assert "/login" in response["Location"]

    request.user = make_user(Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        _staff_view(request)

    request.user = make_user(Role.ORDERS_TECHNICIAN)
    assert _staff_view(request).status_code == 200


class _Form(forms.Form):
    username = forms.CharField()


def test_service_errors_land_on_their_field_or_the_form():
    form = _Form(data={"username": "x"})
    assert form.is_valid()
    form_add_service_error(form, ValidationError({"username": "Taken.", "owner": "Unknown owner."}))
    assert form.errors["username"] == ["Taken."]
    assert form.non_field_errors() == ["Unknown owner."]

    other = _Form(data={"username": "x"})
    other.is_valid()
    form_add_service_error(other, ValueError("The order is final."))
    assert other.non_field_errors() == ["The order is final."]
    assert error_text(ValidationError(["One.", "Two."])) == "One. Two."
