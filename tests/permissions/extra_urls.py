"""The project's URLs plus one admin screen no rule classifies, for
tests/permissions/test_generated.py to show that a new screen cannot escape the test."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def new_screen(request, pk):
    return HttpResponse(f"Dossier {pk}")


urlpatterns = [
    path("admin/nouvel-ecran/<int:pk>/", new_screen, name="nouvel_ecran"),
    *project_urlpatterns,
]
