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


class RecordingProviderBackend(BaseEmailBackend):
    """Accepts every message with a provider id and appends one line per message
    (recipients, subject) to the file named by ``EMAIL_RECORD_FILE``: what the
    provider accepted, counted across worker processes, even killed ones."""

    def send_messages(self, email_messages):
        import json
        import os
        import uuid
        from types import SimpleNamespace

        fd = os.open(os.environ["EMAIL_RECORD_FILE"], os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            for message in email_messages:
                line = json.dumps({"to": sorted(message.to), "subject": message.subject})
                os.write(fd, (line + "\n").encode())  # one write: whole lines only
                message.anymail_status = SimpleNamespace(message_id=f"provider-{uuid.uuid4()}")
        finally:
            os.close(fd)
        return len(email_messages)
