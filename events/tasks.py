"""Thin Celery wrappers around events.services."""

from celery import shared_task

from . import services


@shared_task(name="events.publish_scheduled")
def publish_scheduled() -> None:
    """Run by beat every minute: scheduled events go live, expired ones come down."""
    services.publish_scheduled()
