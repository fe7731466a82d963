from django.urls import path

from community import account_views, views

app_name = "community"

urlpatterns = [
    path("groupes/", views.working_groups, name="working_groups"),
    path("groupes/<int:pk>-<slug:slug>/", views.working_group, name="working_group"),
    path("votre-voix/", views.voice, name="voice"),
    path("compte/", account_views.account, name="account"),
    path("compte/mes-donnees.json", account_views.download_data, name="download_data"),
    path("compte/supprimer/", account_views.delete_account, name="delete_account"),
]
