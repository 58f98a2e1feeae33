from integrations.models import StubSlackMessage


class StubSlackClient:
    """Records what would be posted; shown on the ITSM stub page."""

    def post_message(self, *, team, text, idempotency_key) -> None:
        StubSlackMessage.objects.get_or_create(
            idempotency_key=idempotency_key,
            defaults={"team_name": team.name, "channel": team.slack_channel, "text": text},
        )
