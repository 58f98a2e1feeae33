"""Slack: the stub logs once per key; the webhook client posts with a timeout."""

import json

import pytest
import requests
import responses

from integrations.models import StubSlackMessage
from integrations.slack import SlackError, get_slack_client
from integrations.slack.stub import StubSlackClient
from integrations.slack.webhook import WebhookSlackClient
from tests.accounts.factories import SupportTeamFactory

pytestmark = pytest.mark.django_db

HOOK = "https://hooks.slack.com/services/T000/B000/test-webhook"


def test_stub_logs_each_message_once(support_team):
    client = get_slack_client()
    assert isinstance(client, StubSlackClient)
    for _ in range(2):
        client.post_message(
            team=support_team, text="Ticket #12 is in the ITSM", idempotency_key="s1"
        )
    message = StubSlackMessage.objects.get()
    assert message.team_name == support_team.name
    assert message.text == "Ticket #12 is in the ITSM"


@responses.activate
def test_webhook_posts_text_with_a_timeout():
    team = SupportTeamFactory(slack_webhook_url=HOOK)
    responses.add(responses.POST, HOOK, body="ok")
    WebhookSlackClient().post_message(team=team, text="Hello desk", idempotency_key="s1")
    call = responses.calls[0]
    assert json.loads(call.request.body) == {"text": "Hello desk"}
    assert call.request.req_kwargs["timeout"]


@responses.activate
def test_webhook_errors_raise():
    team = SupportTeamFactory(slack_webhook_url=HOOK)
    responses.add(responses.POST, HOOK, status=500, body="oops")
    with pytest.raises(SlackError):
        WebhookSlackClient().post_message(team=team, text="Hello", idempotency_key="s1")
    responses.replace(responses.POST, HOOK, body=requests.ConnectTimeout("slow"))
    with pytest.raises(SlackError):
        WebhookSlackClient().post_message(team=team, text="Hello", idempotency_key="s1")


@responses.activate
def test_webhook_without_url_posts_nothing():
    team = SupportTeamFactory(slack_webhook_url="")
    WebhookSlackClient().post_message(team=team, text="Hello", idempotency_key="s1")
    assert len(responses.calls) == 0
