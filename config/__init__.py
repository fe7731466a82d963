"""The Django project package (the design's `site/`; `site` is a standard-library module)."""

from config.celery_app import app as celery_app

__all__ = ("celery_app",)
