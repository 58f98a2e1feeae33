from django.core.mail.backends.base import BaseEmailBackend


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionError("SMTP is down")


class ProviderBackend(BaseEmailBackend):
    """Accepts every message and gives it a provider id, as anymail does."""

    sent: list = []

    def send_messages(self, email_messages):
        from types import SimpleNamespace

        for message in email_messages:
            message.anymail_status = SimpleNamespace(message_id=f"provider-{len(self.sent)}")
            self.sent.append(message)
        return len(email_messages)
