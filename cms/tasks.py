"""Thin Celery wrappers around cms services: they take ids and are safe to run twice."""

from celery import shared_task

from . import services


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
    from . import stands

    return stands.email_decision(stand_id)
