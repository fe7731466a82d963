"""The mediators' phone pages, under /equipe/ (staff only; see events.attendance.views)."""

from django.urls import path

from events.attendance import views
from events.series import staff_views as series_views

app_name = "staff"

urlpatterns = [
    path("", views.home, name="home"),
    path("appels/", views.calls, name="calls"),
    path("appels/<int:message_id>/", views.call_mark, name="call_mark"),
    path("evenements/<int:event_id>/accueil/", views.checkin, name="checkin"),
    path(
        "evenements/<int:event_id>/accueil/<int:registration_id>/",
        views.checkin_mark,
        name="checkin_mark",
    ),
    path(
        "evenements/<int:event_id>/accueil/sans-inscription/",
        views.walk_in,
        name="walk_in",
    ),
    path(
        "evenements/<int:event_id>/accueil/sans-inscription/retirer/",
        views.walk_in_undo,
        name="walk_in_undo",
    ),
    path("evenements/<int:event_id>/inscrire/", views.assisted_signup, name="signup"),
    path("evenements/<int:event_id>/emargement/", views.sheet, name="sheet"),
    path("evenements/<int:event_id>/emargement.pdf", views.sheet_pdf, name="sheet_pdf"),
    path("evenements/<int:event_id>/export.csv", views.export_csv, name="export_csv"),
    path("evenements/<int:event_id>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("cafes/", series_views.series_list, name="series_list"),
    path("cafes/<int:series_id>/", series_views.series_detail, name="series_detail"),
    path(
        "cafes/<int:series_id>/sujets/<int:topic_id>/",
        series_views.topic_action,
        name="topic_action",
    ),
    path("evenements/<int:event_id>/compte-rendu/", series_views.summary, name="summary"),
    path(
        "evenements/<int:event_id>/satisfaction/",
        series_views.paper_answers,
        name="paper_answers",
    ),
    path("satisfaction/", series_views.satisfaction, name="satisfaction"),
]
