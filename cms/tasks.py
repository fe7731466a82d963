"""Thin Celery wrappers around cms services: they take ids and are safe to run twice."""

from django.utils import timezone

from celery import shared_task

from cms import services
from cms.mediation_day import stands
from cms.newsletter import rules as newsletter


@shared_task(name="cms.email_submission", autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def email_submission(submission_id: int) -> bool:
    return services.email_submission(submission_id)


@shared_task(name="cms.erase_expired_submissions")
def erase_expired_submissions() -> int:
    return services.erase_expired_submissions()


@shared_task(
    name="cms.email_stand_decision", autoretry_for=(OSError,), retry_backoff=30, max_retries=5
)
def email_stand_decision(stand_id: int) -> bool:
    return stands.email_decision(stand_id)


@shared_task(name="cms.recover_unsent_emails")
def recover_unsent_emails() -> int:
    """Beat, every few minutes, and each worker at start: the emails of this app whose task
    message was lost (newsletter confirmations and notices, stand decisions, form submissions)."""
    return (
        newsletter.send_unsent()
        + stands.send_unsent_decisions()
        + services.send_unsent_submissions()
    )


# --- The newsletter (cms/newsletter/rules.py) --------------------------------------------------------


@shared_task(
    name="cms.newsletter_confirmation", autoretry_for=(OSError,), retry_backoff=30, max_retries=5
)
def newsletter_confirmation(subscription_id: int) -> bool:
    return newsletter.send_confirmation(subscription_id)


@shared_task(
    name="cms.newsletter_already_subscribed",
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def newsletter_already_subscribed(subscription_id: int) -> bool:
    return newsletter.send_already_subscribed(subscription_id)


@shared_task(name="cms.newsletter_start")
def newsletter_start(campaign_id: int) -> bool:
    return newsletter.start(campaign_id)


@shared_task(name="cms.newsletter_send", bind=True)
def newsletter_send(self, campaign_id: int) -> int:
    """Send a campaign's due deliveries; when some wait for a retry, come back when the first
    is due (beat also recovers every MAIL_RECOVERY_SECONDS)."""
    sent = newsletter.send_pending(campaign_id)
    retry_at = newsletter.next_retry_at(campaign_id)
    if retry_at is not None and not self.request.is_eager:
        delay = max((retry_at - timezone.now()).total_seconds(), 0) + 0.5
        newsletter_send.apply_async((campaign_id,), countdown=delay)
    return sent


@shared_task(name="cms.newsletter_recover")
def newsletter_recover() -> int:
    """Beat (every MAIL_RECOVERY_SECONDS) and each worker at start: give back deliveries whose
    sender's lease lapsed, bring each campaign under way back to NEWSLETTER_SENDERS senders,
    and start the scheduled campaigns that are due (after the count: they queue their own)."""
    recovered = newsletter.recover_stale()
    for campaign_id, count in newsletter.senders_to_start().items():
        for _n in range(count):
            newsletter_send.delay(campaign_id)
    newsletter.start_due()
    return recovered
