"""Thin Celery wrappers around events.services."""

from celery import shared_task

from community import queue
from events import services
from events.attendance import surveys
from events.outbox import delivery
from events.series import rules as series
from events.signup import rules as signup


@shared_task(name="events.publish_scheduled")
def publish_scheduled() -> None:
    """Run by beat every minute: scheduled events go live, expired ones come down."""
    services.publish_scheduled()


@shared_task(name="events.deliver_outbox")
def deliver_outbox() -> int:
    """Send every due email of the outbox (queued after a commit that wrote one, unless a
    message of this task already waits: community.queue.after_commit_drain)."""
    queue.started("events.deliver_outbox")
    return delivery.send_due()


@shared_task(name="events.deliver_sms")
def deliver_sms() -> int:
    """Send every due text message of the outbox (queued as deliver_outbox is)."""
    queue.started("events.deliver_sms")
    return delivery.send_due_sms()


@shared_task(name="events.recover_outbox")
def recover_outbox() -> int:
    """Run by beat (every MAIL_RECOVERY_SECONDS) and when a worker starts: give back messages
    whose sender's lease lapsed, then send what is due (retries included), emails and texts."""
    recovered = delivery.recover_stale()
    delivery.send_due()
    delivery.send_due_sms()
    return recovered


@shared_task(name="events.send_reminders")
def send_reminders() -> int:
    return signup.send_reminders()


@shared_task(name="events.sync_series_all")
def sync_series_all() -> int:
    """Run by beat hourly: every active series' sessions over the rolling horizon."""
    return series.sync_all()


@shared_task(name="events.sync_series")
def sync_series(series_id: int) -> None:
    series.sync_series(series_id)


@shared_task(name="events.send_surveys")
def send_surveys() -> int:
    return surveys.send_surveys()
