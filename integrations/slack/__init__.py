"""Slack notices to a support team's channel: ``get_slack_client()``."""

from typing import Protocol

from django.conf import settings

from integrations.loading import load_client


class SlackError(Exception):
    pass


class SlackClient(Protocol):
    def post_message(self, *, team, text: str, idempotency_key: str) -> None: ...


def get_slack_client() -> SlackClient:
    return load_client(settings.SLACK_CLIENT)
