from celery import shared_task

from .services import email_deliver, email_mark_failed, emails_deliver_pending, retry_pause


@shared_task(bind=True, max_retries=5, acks_late=True)
def deliver_email_task(self, email_id: int) -> bool:
    try:
        return email_deliver(email_id=email_id)
    except Exception as exc:
        if self.request.retries >= self.max_retries:
            email_mark_failed(email_id=email_id, error=str(exc))
            return False
        raise self.retry(exc=exc, countdown=retry_pause(self.request.retries + 1)) from exc


@shared_task
def deliver_pending_emails_task() -> int:
    return emails_deliver_pending()
