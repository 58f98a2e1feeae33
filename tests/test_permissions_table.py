"""Who may open what: one table of every URL x every role x the expected status.

NetBox's ``ViewTestCases`` idea in one place: a new view cannot ship without
its row (``test_every_url_has_a_row`` walks the URL resolver), and a changed
gate shows up as a changed cell. Pages are opened on the demo data
(``tests/pages.py``); each request runs in a savepoint that is rolled back, so
a POST one role makes never changes what the next role sees.

Columns (``tests.pages.WHO``): anonymous, coordinator (of the order's
organization), other_coordinator (of another organization), approver, refresh
administrator, refresh manager, schedule slot admin, orders technician, orders
manager, superuser. 302 for anonymous is the sign-in redirect; a POST row is a
view that only accepts POST, sent with an empty form.

``PERMISSIONS_TABLE_PRINT=1 pytest tests/test_permissions_table.py -s`` prints
the statuses the code gives today, in this file's format, for review.
"""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from tests.pages import WHO, DemoWorld, project_url_names

pytestmark = pytest.mark.django_db

# columns: anonymous, coordinator, other coordinator, approver, refresh admin, refresh manager,
#          slot admin, orders technician, orders manager, superuser
TABLE = """
account_change_password               GET  302 200 200 200 200 200 200 200 200 200
account_confirm_email                 GET  200 200 200 200 200 200 200 200 200 200
account_confirm_login_code            GET  302 302 302 302 302 302 302 302 302 302
account_confirm_reauthentication_code GET  302 302 302 302 302 302 302 302 302 302
account_email                         GET  302 200 200 200 200 200 200 200 200 200
account_email_verification_sent       GET  200 200 200 200 200 200 200 200 200 200
account_inactive                      GET  200 200 200 200 200 200 200 200 200 200
account_login                         GET  200 302 302 302 302 302 302 302 302 302
account_logout                        GET  302 200 200 200 200 200 200 200 200 200
account_reauthenticate                GET  302 200 200 200 200 200 200 200 200 200
account_request_reauthentication_code GET  302 302 302 302 302 302 302 302 302 302
account_reset_password                GET  200 200 200 200 200 200 200 200 200 200
account_reset_password_done           GET  200 200 200 200 200 200 200 200 200 200
account_reset_password_from_key       GET  200 200 200 200 200 200 200 200 200 200
account_reset_password_from_key_done  GET  200 200 200 200 200 200 200 200 200 200
account_set_password                  GET  302 302 302 302 302 302 302 302 302 302
account_signup                        GET  200 302 302 302 302 302 302 302 302 302
admin:index                           GET  302 302 302 302 200 200 200 200 200 200
api:docs                              GET  200 200 200 200 200 200 200 200 200 200
api:redoc                             GET  200 200 200 200 200 200 200 200 200 200
api:schema                            GET  200 200 200 200 200 200 200 200 200 200
api_keys:list                         GET  302 200 200 200 200 200 200 200 200 200
api_keys:revoke                       POST 302 404 404 404 404 404 404 404 404 404
health                                GET  200 200 200 200 200 200 200 200 200 200
health_full                           GET  503 503 503 503 503 503 503 503 503 503
home                                  GET  302 200 200 200 200 200 200 200 200 200
integrations:effect_retry             POST 302 403 403 403 302 302 403 403 302 302
integrations:effects                  GET  302 403 403 403 200 200 403 403 200 200
integrations:itsm_stub                GET  302 403 403 403 200 200 403 403 403 200
integrations:job_run                  POST 302 403 403 403 302 302 403 403 403 302
integrations:itsm_stub_asset          POST 302 403 403 403 302 302 403 403 403 302
integrations:itsm_stub_create_timeout POST 302 403 403 403 302 302 403 403 403 302
integrations:itsm_stub_outage         POST 302 403 403 403 302 302 403 403 403 302
integrations:itsm_stub_ticket         GET  302 403 403 403 200 200 403 403 403 200
integrations:itsm_stub_ticket_status  POST 302 403 403 403 302 302 403 403 403 302
login                                 GET  200 302 302 302 302 302 302 302 302 302
logout                                POST 302 302 302 302 302 302 302 302 302 302
mfa_activate_totp                     GET  302 200 200 200 200 200 200 200 200 200
mfa_add_webauthn                      GET  302 200 200 200 200 200 200 200 200 200
mfa_authenticate                      GET  302 302 302 302 302 302 302 302 302 302
mfa_deactivate_totp                   GET  302 404 404 404 404 404 404 404 404 404
mfa_download_recovery_codes           GET  302 404 404 404 404 404 404 404 404 404
mfa_edit_webauthn                     GET  302 404 404 404 404 404 404 404 404 404
mfa_generate_recovery_codes           GET  302 200 200 200 200 200 200 200 200 200
mfa_index                             GET  302 200 200 200 200 200 200 200 200 200
mfa_list_webauthn                     GET  302 200 200 200 200 200 200 200 200 200
mfa_reauthenticate                    GET  302 302 302 302 302 302 302 302 302 302
mfa_reauthenticate_webauthn           GET  302 302 302 302 302 302 302 302 302 302
mfa_remove_webauthn                   GET  302 404 404 404 404 404 404 404 404 404
mfa_view_recovery_codes               GET  302 404 404 404 404 404 404 404 404 404
notifications:outbox                  GET  403 403 403 403 200 200 403 200 200 200
notifications:outbox_detail           GET  403 403 403 403 200 200 403 200 200 200
notifications:outbox_resend           POST 403 403 403 403 302 302 403 302 302 302
openid_connect_callback               GET  404 404 404 404 404 404 404 404 404 404
openid_connect_login                  GET  404 404 404 404 404 404 404 404 404 404
orders:account_access                 GET  410 410 410 410 410 410 410 410 410 410
orders:enduser_link                   GET  410 410 410 410 410 410 410 410 410 410
orders:finish_link                    GET  410 410 410 410 410 410 410 410 410 410
orders:portal_attachment              GET  302 200 404 403 403 403 403 403 403 200
orders:portal_cancel                  POST 302 302 404 403 403 403 403 403 403 302
orders:portal_create                  GET  302 200 200 403 403 403 403 403 403 403
orders:portal_detail                  GET  302 200 404 403 403 403 403 403 403 200
orders:portal_edit                    GET  302 302 404 403 403 403 403 403 403 302
orders:portal_list                    GET  302 200 200 403 403 403 403 403 403 200
orders:portal_new                     GET  302 200 200 403 403 403 403 403 403 200
orders:portal_people                  GET  302 200 200 403 403 403 403 403 403 403
orders:portal_reply                   POST 302 302 404 403 403 403 403 403 403 302
orders:staff_action_process           POST 302 403 403 403 403 403 403 302 302 302
orders:staff_action_retry             POST 302 403 403 403 403 403 403 302 302 302
orders:staff_action_skip              POST 302 403 403 403 403 403 403 302 302 302
orders:staff_attachment               GET  302 403 403 403 403 403 403 200 200 200
orders:staff_cancel                   GET  302 403 403 403 403 403 403 403 200 200
orders:staff_detail                   GET  302 403 403 403 403 403 403 200 200 200
orders:staff_details                  GET  302 403 403 403 403 403 403 200 200 200
orders:staff_appointment              GET  302 403 403 403 403 403 403 200 200 200
orders:staff_appointment_cancel       POST 302 403 403 403 403 403 403 302 302 302
orders:staff_information              GET  302 403 403 403 403 403 403 403 200 200
orders:staff_hold                     POST 302 403 403 403 403 403 403 302 302 302
orders:staff_itsm_add                 POST 302 403 403 403 403 403 403 302 302 302
orders:staff_itsm_status              POST 302 403 403 403 403 403 403 302 302 302
orders:staff_list                     GET  302 403 403 403 403 403 403 200 200 200
orders:staff_appointments             GET  302 403 403 403 403 403 403 200 200 200
orders:appointments_feed_create       POST 302 403 403 403 403 403 403 200 200 200
orders:appointments_feed              GET  404 404 404 404 404 404 404 404 404 404
orders:staff_message                  POST 302 403 403 403 403 403 403 400 400 400
orders:staff_organization             GET  302 403 403 403 403 403 403 200 200 200
orders:staff_queue                    GET  302 403 403 403 403 403 403 200 200 200
orders:staff_resume                   POST 302 403 403 403 403 403 403 302 302 302
orders:staff_secret                   POST 302 403 403 403 403 403 403 403 403 302
orders:staff_send_link                GET  302 403 403 403 403 403 403 200 200 200
orders:staff_subscribe                POST 302 403 403 403 403 403 403 302 302 302
orders:staff_unsubscribe              POST 302 403 403 403 403 403 403 302 302 302
orders:portal_request_create          GET  302 200 200 403 403 403 403 403 403 403
orders:portal_request_edit            GET  302 200 404 403 403 403 403 403 403 200
orders:staff_request_types            GET  302 403 403 403 403 403 403 200 200 200
orders:staff_request_type_create      GET  302 403 403 403 403 403 403 403 200 200
orders:staff_request_type             GET  302 403 403 403 403 403 403 403 200 200
orders:staff_custom_field_add         POST 302 403 403 403 403 403 403 403 400 400
orders:staff_custom_field             GET  302 403 403 403 403 403 403 403 200 200
orders:staff_custom_field_remove      POST 302 403 403 403 403 403 403 403 302 302
orders:staff_requests                 GET  302 403 403 403 403 403 403 200 200 200
orders:staff_answers                  GET  302 403 403 403 403 403 403 200 200 200
orders:staff_action_plan              POST 302 403 403 403 403 403 403 302 302 302
orders:staff_time_log                 POST 302 403 403 403 403 403 403 302 302 302
orders:staff_time_edit                GET  302 403 403 403 403 403 403 200 200 200
orders:staff_time_delete              POST 302 403 403 403 403 403 403 302 302 302
password_change                       GET  302 200 200 200 200 200 200 200 200 200
password_reset                        GET  200 200 200 200 200 200 200 200 200 200
refresh:approval_approve              POST 302 403 403 404 403 403 403 403 403 302
refresh:approval_bulk                 POST 302 403 403 302 403 403 403 403 403 302
refresh:approval_edit                 GET  302 403 403 404 403 403 403 403 403 200
refresh:approval_list                 GET  302 403 403 200 403 403 403 403 403 200
refresh:approval_return               POST 302 403 403 404 403 403 403 403 403 302
refresh:batch_create                  GET  302 403 403 403 200 403 403 403 403 200
refresh:batch_create_tickets          POST 302 403 403 403 302 403 403 403 403 302
refresh:batch_detail                  GET  302 403 403 403 200 200 403 403 403 200
refresh:batch_list                    GET  302 403 403 403 200 200 403 403 403 200
refresh:bulk_create                   GET  302 403 403 403 200 403 403 403 403 200
refresh:ticket_create                 GET  302 403 403 403 200 403 403 403 403 200
refresh:config_create                 GET  302 403 403 403 200 403 403 403 403 200
refresh:config_detail                 GET  302 403 403 403 200 200 403 403 403 200
refresh:config_edit                   GET  302 403 403 403 200 403 403 403 403 200
refresh:config_list                   GET  302 403 403 403 200 200 403 403 403 200
refresh:customer_entry                GET  410 410 410 410 410 410 410 410 410 410
refresh:customer_step                 GET  410 410 410 410 410 410 410 410 410 410
refresh:order_group                   GET  302 403 403 403 200 403 403 403 403 200
refresh:ticket_action                 POST 302 403 403 403 302 302 403 403 403 302
refresh:ticket_comment                POST 302 403 403 403 302 302 403 403 403 302
refresh:ticket_itsm_lookup            POST 302 403 403 403 302 302 403 403 403 302
refresh:ticket_detail                 GET  302 403 403 403 200 200 403 403 403 200
refresh:ticket_list                   GET  302 403 403 403 200 200 403 403 403 200
refresh:ticket_location               GET  302 403 403 403 302 302 403 403 403 302
refresh:ticket_replacement            GET  302 403 403 403 200 403 403 403 403 200
refresh:ticket_slot                   GET  302 403 403 403 302 302 403 403 403 302
refresh:tickets_bulk                  POST 302 403 403 403 302 403 403 403 403 302
refresh:ticket_tracking               POST 302 403 403 403 400 403 403 403 403 400
refresh:ticket_group                  POST 302 403 403 403 302 403 403 403 403 302
refresh:tracking_bulk                 GET  302 403 403 403 200 403 403 403 403 200
reports:export                        GET  302 403 403 403 200 200 403 403 403 200
reports:forecast                      GET  302 403 403 403 200 200 403 403 403 200
reports:forecast_batch                GET  302 403 403 403 200 403 403 403 403 200
reports:index                         GET  302 403 403 403 200 200 200 200 200 200
reports:lifecycle_policy              GET  302 403 403 403 200 403 403 403 403 200
reports:lifecycle_policy_delete       POST 302 403 403 403 302 403 403 403 403 302
reports:orders_dashboard              GET  302 403 403 403 403 403 403 200 200 200
reports:refresh_dashboard             GET  302 403 403 403 200 200 403 403 403 200
reports:saved_view                    GET  302 403 403 403 404 200 404 404 404 200
reports:saved_view_create             GET  302 403 403 403 404 404 404 404 404 404
reports:saved_view_delete             POST 302 403 403 403 404 302 404 404 404 302
reports:subscription_stop             POST 302 403 403 403 403 403 403 403 403 302
reports:systems_import                GET  302 403 403 403 200 403 403 403 403 200
reports:unsubscribe                   GET  410 410 410 410 410 410 410 410 410 410
saml_acs                              GET  302 302 302 302 302 302 302 302 302 302
saml_finish_acs                       GET  404 404 404 404 404 404 404 404 404 404
saml_login                            GET  404 404 404 404 404 404 404 404 404 404
saml_metadata                         GET  404 404 404 404 404 404 404 404 404 404
saml_sls                              GET  404 404 404 404 404 404 404 404 404 404
scheduling:calendar                   GET  302 403 403 403 200 200 200 403 403 200
scheduling:feed_all                   GET  200 200 200 200 200 200 200 200 200 200
scheduling:feed_create                POST 302 403 403 403 200 200 200 403 403 200
scheduling:feed_revoke                POST 302 403 403 403 302 302 302 403 403 302
scheduling:feed_team                  GET  200 200 200 200 200 200 200 200 200 200
scheduling:index                      GET  302 302 302 302 302 302 302 302 302 302
scheduling:preference_create          GET  302 403 403 403 403 403 200 403 403 200
scheduling:preference_deactivate      POST 302 403 403 403 403 403 302 403 403 302
scheduling:preference_edit            GET  302 403 403 403 403 403 200 403 403 200
scheduling:preference_list            GET  302 403 403 403 403 403 200 403 403 200
scheduling:slot_create                GET  302 403 403 403 403 403 200 403 403 200
scheduling:slot_delete                POST 302 403 403 403 403 403 302 403 403 302
scheduling:slot_detail                GET  302 403 403 403 200 200 200 403 403 200
socialaccount_connections             GET  302 200 200 200 200 200 200 200 200 200
socialaccount_login_cancelled         GET  200 200 200 200 200 200 200 200 200 200
socialaccount_login_error             GET  401 401 401 401 401 401 401 401 401 401
socialaccount_signup                  GET  302 302 302 302 302 302 302 302 302 302
webhooks:delivery_list                GET  302 403 403 403 200 403 403 403 200 200
webhooks:endpoint_create              GET  302 403 403 403 200 403 403 403 200 200
webhooks:endpoint_edit                GET  302 403 403 403 200 403 403 403 200 200
webhooks:redeliver                    POST 302 403 403 403 302 403 403 403 302 302
"""


def _rows() -> dict[str, tuple[str, list[int]]]:
    rows = {}
    for line in TABLE.strip().splitlines():
        name, method, *statuses = line.split()
        assert len(statuses) == len(WHO), f"{name}: {len(statuses)} statuses for {len(WHO)} columns"
        assert name not in rows, f"{name} has two rows"
        rows[name] = (method, [int(s) for s in statuses])
    return rows


def test_every_url_has_a_row_and_every_row_a_url():
    rows = set(_rows())
    urls = project_url_names()
    assert sorted(urls - rows) == [], "URL names without a row in the permission table"
    assert sorted(rows - urls) == [], "rows for URL names that no longer exist"


def _status(client, person, method: str, url: str) -> int:
    """One request in a savepoint that is rolled back, with fresh rate-limit counters
    (the table sends far more link guesses than a person would in a minute)."""
    cache.clear()
    client.logout()
    if person is not None:
        client.force_login(person)
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, {})
        transaction.set_rollback(True)
    return response.status_code


def test_every_role_gets_the_expected_status_on_every_url(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)  # the attachment the world adds
    world = DemoWorld.build()
    rows = _rows()
    printing = os.environ.get("PERMISSIONS_TABLE_PRINT") == "1"
    names = sorted(project_url_names()) if printing else sorted(rows)
    wrong, lines = [], []
    for name in names:
        # Every request comes from one address: without this the emailed-link rate
        # limit (30 a minute) answers 429 to whichever link rows fall in a busy minute.
        cache.clear()
        url = reverse(name, args=world.args.get(name, []))
        method = rows[name][0] if name in rows else "GET"
        if (
            printing
            and name not in rows
            and _status(client, world.people["superuser"], "GET", url) == 405
        ):
            method = "POST"
        got = [_status(client, world.people[who], method, url) for who in WHO]
        lines.append(f"{name:<37} {method:<4} " + " ".join(str(s) for s in got))
        if name in rows and got != rows[name][1]:
            wrong.append(
                f"{name} ({method}): "
                + ", ".join(
                    f"{who} {want}->{have}"
                    for who, want, have in zip(WHO, rows[name][1], got, strict=True)
                    if want != have
                )
            )
    if printing:
        print("\n".join(lines))  # noqa: T201
    assert wrong == [], "statuses that differ from the table:\n" + "\n".join(wrong)


# Access per contact (issue 13): which requests a coordinator opens, by access level
# (a column per request: their own, a colleague's in the organization, one of a
# sub-organization, one of the parent organization). 200 = shown, 404 = not theirs;
# "none" has no portal at all (403).
ACCESS_TABLE = """
none               403 403 403 403
own                200 404 404 404
organization       200 200 404 404
organization_subs  200 200 200 404
open_visibility    200 200 200 404
primary_contact    200 200 200 404
"""


def test_every_access_level_sees_exactly_its_requests(client):
    from accounts.choices import PortalAccess, PortalVisibility
    from tests.accounts.factories import OrganizationFactory, UserFactory
    from tests.orders.factories import OrderFactory

    parent = OrganizationFactory(name="Parent org")
    org = OrganizationFactory(name="Contact org", parent=parent)
    sub = OrganizationFactory(name="Sub org", parent=org)
    colleague = UserFactory(roles=["coordinator"], organization=org)
    levels = [line.split()[0] for line in ACCESS_TABLE.strip().splitlines()]
    assert set(PortalAccess.values) <= set(levels), "an access level without a row"
    for line in ACCESS_TABLE.strip().splitlines():
        level, *expected = line.split()
        org.portal_visibility = (
            PortalVisibility.ALL if level == "open_visibility" else PortalVisibility.ORGANIZATION
        )
        org.primary_contact = None
        org.save()
        person = UserFactory(
            roles=["coordinator"],
            organization=org,
            portal_access=level if level in PortalAccess.values else PortalAccess.OWN,
        )
        if level == "primary_contact":
            org.primary_contact = person
            org.save()
        orders = [
            OrderFactory(organization=org, submitted_by=person),
            OrderFactory(organization=org, submitted_by=colleague),
            OrderFactory(organization=sub, submitted_by=colleague),
            OrderFactory(organization=parent, submitted_by=colleague),
        ]
        client.force_login(person)
        got = [
            str(client.get(reverse("orders:portal_detail", args=[o.number])).status_code)
            for o in orders
        ]
        assert got == expected, f"{level}: {got} != {expected}"


def test_a_new_user_joins_the_organization_of_their_email_domain_with_its_access(client):
    from accounts.choices import PortalAccess
    from accounts.selectors import portal_access_of
    from accounts.services import user_create
    from tests.accounts.factories import OrganizationDomainFactory

    domain = OrganizationDomainFactory(domain="dept.example.edu")
    domain.organization.default_portal_access = PortalAccess.OWN
    domain.organization.save()
    user = user_create(email="new.person@dept.example.edu")
    assert user.organization == domain.organization
    assert portal_access_of(user) == PortalAccess.OWN
