from django.urls import path

from . import views

app_name = "community"

urlpatterns = [
    path("groupes/", views.working_groups, name="working_groups"),
    path("groupes/<int:pk>-<slug:slug>/", views.working_group, name="working_group"),
    path("votre-voix/", views.voice, name="voice"),
]
