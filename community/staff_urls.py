"""The mediators' phone page for the field log, under /equipe/interventions/."""

from django.urls import path

from community.interventions import staff_views as views

app_name = "staff_interventions"

urlpatterns = [
    path("", views.log, name="log"),
    path("<int:pk>/", views.edit, name="edit"),
    path("<int:pk>/supprimer/", views.delete, name="delete"),
]
