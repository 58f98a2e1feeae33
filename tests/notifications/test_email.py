from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from notifications.choices import EmailStatus
from notifications.links import (
    FAILURES_PER_MINUTE,
    FAILURES_PER_PREFIX_PER_MINUTE,
    LinkInvalid,
    LinkRateLimited,
    access_link_issue,
    access_link_resolve,
    access_link_revoke,
    client_key_for,
    hash_token,
)
from notifications.models import AccessLink, OutboundEmail
from notifications.selectors import emails_for_object
from notifications.services import Attachment, email_queue
from tests.accounts.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _queue(key="k1", related=None, **kwargs):
    return email_queue(
        key=key,
        template="test_hello",
        to=kwargs.pop("to", ["Pat@Example.edu"]),
        context={"name": "Pat"},
        related=related,
        **kwargs,
    )


@pytest.fixture(autouse=True)
def _test_templates(settings, tmp_path):
    base = tmp_path / "notifications" / "email"
    base.mkdir(parents=True)
    (base / "test_hello.subject.txt").write_text("Hello {{ name }} & 'friends'\n")
    (base / "test_hello.txt").write_text("Hi {{ name }}, see {{ site_url }}.")
    (base / "test_hello.html").write_text("<p>Hi {{ name }}</p>")
    settings.TEMPLATES = [
        {**engine, "DIRS": [tmp_path, *engine["DIRS"]]} for engine in settings.TEMPLATES
    ]


def test_queued_email_is_logged_rendered_and_sent_after_commit(
    django_capture_on_commit_callbacks, mailoutbox
):
    org = OrganizationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue(
            related=org, attachments=[Attachment("a.ics", "BEGIN:VCALENDAR", "text/calendar")]
        )
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert email.to == ["pat@example.edu"]
    assert len(mailoutbox) == 1
    sent = mailoutbox[0]
    assert sent.subject == "Hello Pat & 'friends'"  # text parts are not HTML-escaped
    assert "Hi Pat, see http" in sent.body
    assert sent.alternatives[0][1] == "text/html"
    assert sent.attachments[0][0] == "a.ics"
    assert list(emails_for_object(obj=org)) == [email]


def test_same_key_twice_sends_once(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        first = _queue(key="invite:1")
        second = _queue(key="invite:1")
    assert first is not None
    assert second is None
    assert OutboundEmail.objects.count() == 1
    assert len(mailoutbox) == 1


def test_no_recipients_logs_nothing():
    assert _queue(to=["", "  "]) is None
    assert not OutboundEmail.objects.exists()


def test_backend_failure_is_recorded_and_retried_until_it_gives_up(settings):
    from config.celery import app
    from notifications.tasks import deliver_email_task

    app.conf.task_eager_propagates = False  # restored by the autouse fixture

    settings.EMAIL_BACKEND = "tests.notifications.failing_backend.FailingBackend"
    email = _queue(key="fails")  # on_commit never runs: the test transaction stays open
    deliver_email_task.apply(args=[email.pk], throw=False)  # eager: retries run inline
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    assert "SMTP is down" in email.last_error
    assert email.attempts >= 1


def test_outbox_is_for_staff_only(client, make_user, django_assert_num_queries):
    for n in range(30):
        OutboundEmail.objects.create(
            key=f"k{n}", template="t", to=["a@b.c"], subject=f"S{n}", body_text="x"
        )
    client.force_login(make_user(Role.COORDINATOR))
    assert client.get(reverse("notifications:outbox")).status_code == 403

    client.force_login(make_user(Role.ORDERS_TECHNICIAN))
    # session, user, groups/perms (2), count (cold), the page's keys, its emails
    with django_assert_num_queries(8):
        response = client.get(reverse("notifications:outbox"), {"q": "S1"})
    assert response.status_code == 200
    assert "S10" in response.content.decode()


class TestAccessLinks:
    def test_token_is_stored_hashed_and_resolves_for_its_purpose(self):
        org = OrganizationFactory()
        issued = access_link_issue(target=org, purpose="wizard", email="pat@example.edu")
        assert len(issued.token) >= 22  # 256 bits, URL-safe
        assert not AccessLink.objects.filter(token_hash=issued.token).exists()
        assert AccessLink.objects.get().token_hash == hash_token(issued.token)
        assert access_link_resolve(token=issued.token, purpose="wizard").target == org
        with pytest.raises(LinkInvalid):
            access_link_resolve(token=issued.token, purpose="reschedule")

    def test_expired_revoked_and_superseded_links_are_refused(self):
        org = OrganizationFactory()
        old = access_link_issue(target=org, purpose="wizard", email="pat@example.edu")
        new = access_link_issue(target=org, purpose="wizard", email="pat@example.edu")
        with pytest.raises(LinkInvalid, match="no longer active"):
            access_link_resolve(token=old.token, purpose="wizard")
        with (
            time_machine.travel(timezone.now() + timedelta(days=400)),
            pytest.raises(LinkInvalid, match="expired"),
        ):
            access_link_resolve(token=new.token, purpose="wizard")
        access_link_revoke(link=new.link)
        with pytest.raises(LinkInvalid, match="no longer active"):
            access_link_resolve(token=new.token, purpose="wizard")

    def test_guessing_is_rate_limited_per_client(self):
        for n in range(FAILURES_PER_MINUTE):
            with pytest.raises(LinkInvalid):
                access_link_resolve(token=f"{n:03d}guess", purpose="wizard", client_key="10.0.0.1")
        with pytest.raises(LinkRateLimited):
            access_link_resolve(token="guess-more", purpose="wizard", client_key="10.0.0.1")
        # Another address is not affected.
        with pytest.raises(LinkInvalid) as raised:
            access_link_resolve(token="guess-more", purpose="wizard", client_key="10.0.0.2")
        assert not isinstance(raised.value, LinkRateLimited)

    def test_one_token_prefix_hammered_is_limited_sooner(self):
        for n in range(FAILURES_PER_PREFIX_PER_MINUTE):
            with pytest.raises(LinkInvalid):
                access_link_resolve(token=f"abcdef{n}", purpose="wizard", client_key="10.0.0.1")
        with pytest.raises(LinkRateLimited):
            access_link_resolve(token="abcdefZ", purpose="wizard", client_key="10.0.0.1")

    def test_a_live_link_is_never_limited_even_from_a_guessing_address(self):
        org = OrganizationFactory()
        issued = access_link_issue(target=org, purpose="wizard", email="pat@example.edu")
        for n in range(FAILURES_PER_MINUTE + 5):
            with pytest.raises(LinkInvalid):
                access_link_resolve(token=f"{n:03d}guess", purpose="wizard", client_key="10.0.0.1")
        for _ in range(50):
            link = access_link_resolve(token=issued.token, purpose="wizard", client_key="10.0.0.1")
        assert link.use_count == 49

    def test_known_links_of_another_purpose_or_expired_do_not_count(self):
        org = OrganizationFactory()
        issued = access_link_issue(target=org, purpose="slot", email="pat@example.edu")
        for _ in range(FAILURES_PER_MINUTE + 5):
            with pytest.raises(LinkInvalid) as raised:
                access_link_resolve(token=issued.token, purpose="wizard", client_key="10.0.0.1")
            assert not isinstance(raised.value, LinkRateLimited)


class TestClientAddress:
    def request(self, rf, forwarded: str, remote="10.9.9.9"):
        return rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)

    def test_forwarded_for_is_ignored_without_trusted_proxies(self, rf):
        assert client_key_for(self.request(rf, "1.2.3.4")) == "10.9.9.9"

    def test_one_trusted_proxy_takes_the_address_it_appended(self, rf, settings):
        settings.TRUSTED_PROXY_COUNT = 1
        # The client wrote "6.6.6.6" itself; the proxy appended the real address.
        assert client_key_for(self.request(rf, "6.6.6.6, 1.2.3.4")) == "1.2.3.4"
        assert client_key_for(self.request(rf, "")) == "10.9.9.9"


def test_outbox_about_names_the_order_by_its_number(client, make_user, django_assert_num_queries):
    from tests.orders.factories import OrderFactory

    order = OrderFactory(number=77820)
    assert order.pk != order.number
    for n in range(3):
        email_queue(
            key=f"about-{n}",
            template="orders_update",
            to=["a@b.c"],
            related=order,
            context={"order": order, "subject": f"S{n}", "body": "b", "order_url": "/"},
        )
    client.force_login(make_user(Role.ORDERS_TECHNICIAN))
    # session, user, groups/perms (2), count (cold), the page's keys, its emails,
    # the orders they are about
    with django_assert_num_queries(9):
        page = client.get(reverse("notifications:outbox")).content.decode()
    assert page.count("Order 77820") == 3
    assert f"#{order.pk}" not in page
    detail = client.get(
        reverse("notifications:outbox_detail", args=[OutboundEmail.objects.first().pk])
    )
    assert "Order 77820" in detail.content.decode()


def test_a_sending_email_is_not_sent_twice_and_records_the_provider_id(settings, mailoutbox):
    from notifications.services import email_deliver, emails_deliver_pending
    from tests.notifications.failing_backend import ProviderBackend

    settings.EMAIL_BACKEND = "tests.notifications.failing_backend.ProviderBackend"
    ProviderBackend.sent.clear()
    email = _queue(key="lease")
    # Another worker holds it ("sending", live lease): nobody else sends it.
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENDING, lease_until=timezone.now() + timedelta(minutes=3)
    )
    assert email_deliver(email_id=email.pk) is False
    assert ProviderBackend.sent == []
    # That worker died before the provider accepted it (no provider id): the
    # sweep hands it back once the lease is over, and it goes out once.
    OutboundEmail.objects.filter(pk=email.pk).update(lease_until=timezone.now())
    assert emails_deliver_pending(older_than_seconds=3600) == 1  # eager: delivered inline
    email.refresh_from_db()
    assert (email.status, email.provider_message_id) == (EmailStatus.SENT, "provider-0")
    assert email.lease_until is None
    assert len(ProviderBackend.sent) == 1
    assert email_deliver(email_id=email.pk) is False


def test_an_abandoned_email_the_provider_accepted_is_recorded_as_sent_not_resent(settings):
    from notifications.services import email_deliver
    from tests.notifications.failing_backend import ProviderBackend

    settings.EMAIL_BACKEND = "tests.notifications.failing_backend.ProviderBackend"
    ProviderBackend.sent.clear()
    email = _queue(key="accepted")
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENDING,
        lease_until=timezone.now() - timedelta(seconds=1),
        provider_message_id="provider-known",
    )
    assert email_deliver(email_id=email.pk) is False
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert ProviderBackend.sent == []


def test_a_backend_error_puts_the_email_back_to_queued_with_the_error(settings):
    from notifications.services import email_deliver

    settings.EMAIL_BACKEND = "tests.notifications.failing_backend.FailingBackend"
    email = _queue(key="back")
    with pytest.raises(ConnectionError):
        email_deliver(email_id=email.pk)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.QUEUED, 1)
    assert "SMTP is down" in email.last_error
    # The minute sweep leaves it to its retry (a minute later), then hands it back.
    from notifications.services import emails_deliver_pending

    assert timezone.now() + timedelta(seconds=55) < email.lease_until
    assert email.lease_until < timezone.now() + timedelta(seconds=65)
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        assert emails_deliver_pending(older_than_seconds=0) == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert emails_deliver_pending(older_than_seconds=0) == 1  # eager: delivered inline
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 2)
