"""Thin Celery wrappers around community services: they take ids and are safe to run twice."""

from celery import shared_task

from community import account_mail, services
from community.importing import rules as importing
from community.privacy import rules as privacy


@shared_task(name="community.anonymise_person")
def anonymise_person(person_id: int) -> bool:
    return services.anonymise_person(person_id)


@shared_task(name="community.notify_join_request")
def notify_join_request(join_request_id: int) -> list[str]:
    return services.notify_join_request(join_request_id)


@shared_task(name="community.notify_voice")
def notify_voice(voice_id: int) -> list[str]:
    return services.notify_voice(voice_id)


@shared_task(name="community.send_account_email")
def send_account_email(account_email_id: int) -> bool:
    return account_mail.send(account_email_id)


@shared_task(name="community.recover_unsent_emails")
def recover_unsent_emails() -> int:
    """Beat, every few minutes, and each worker at start: voices, join requests and account
    emails whose task was lost, and spreadsheet imports whose check or import task was lost."""
    importing.resume_lost_jobs()
    return services.send_unsent_notifications() + account_mail.send_unsent()


@shared_task(name="community.preview_import")
def preview_import(job_id: int) -> bool:
    return importing.preview_job(job_id)


@shared_task(name="community.apply_import")
def apply_import(job_id: int) -> bool:
    return importing.apply_job(job_id)


@shared_task(name="community.run_retention")
def run_retention() -> dict:
    """Daily: every registered retention rule removes what is past its duration."""
    return privacy.run_retention()
