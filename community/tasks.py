"""Thin Celery wrappers around community services: they take ids and are safe to run twice."""

from celery import shared_task

from . import services


@shared_task(name="community.anonymise_person")
def anonymise_person(person_id: int) -> bool:
    return services.anonymise_person(person_id)
