import requests

from . import SlackError

TIMEOUT = (5, 10)


class WebhookSlackClient:
    """Posts to the team's incoming webhook (``SupportTeam.slack_webhook_url``)."""

    def post_message(self, *, team, text, idempotency_key) -> None:
        if not team.slack_webhook_url:
            return
        try:
            response = requests.post(team.slack_webhook_url, json={"text": text}, timeout=TIMEOUT)
        except requests.RequestException as exc:
            raise SlackError(str(exc)) from exc
        if response.status_code >= 400:
            raise SlackError(f"Slack answered {response.status_code}: {response.text[:200]}")
