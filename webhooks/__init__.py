"""Signed outbound webhooks: endpoints staff register, deliveries sent by Celery."""
