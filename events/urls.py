"""Public addresses of events. They depend on the event's id only, never on the page tree, so
links in emails and calendar files keep working."""

from django.urls import path

from events import views
from events.outbox import views as outbox_views
from events.series import views as series_views
from events.signup import views as signup_views

app_name = "events"

urlpatterns = [
    path("calendrier.ics", views.feed, name="feed"),
    path("calendrier/<slug:territory_slug>.ics", views.feed, name="territory_feed"),
    path("<int:pk>.ics", views.event_ics, name="ics"),
    path("<int:pk>-<slug:slug>/", views.event_detail, name="detail"),
    path("<int:pk>/", views.event_detail, name="detail_short"),
    path("<int:pk>/inscription/", signup_views.signup_view, name="signup"),
    path("inscriptions/<str:token>/", signup_views.booking_view, name="booking"),
    path(
        "inscriptions/<str:token>/<int:registration_id>/annuler/",
        signup_views.cancel_view,
        name="cancel",
    ),
    path(
        "inscriptions/<str:token>/<int:registration_id>/retirer/<int:participant_id>/",
        signup_views.remove_view,
        name="remove",
    ),
    path(
        "demande-recue/<slug:kind>/<int:pk>/",
        signup_views.received,
        name="received",
    ),
    path("mes-inscriptions/", signup_views.my_registrations, name="my_registrations"),
    path(
        "inscriptions/<str:token>/<int:registration_id>/je-ne-peux-pas-venir/",
        series_views.cant_come,
        name="cant_come",
    ),
    path("cafes/<int:pk>-<slug:slug>/", series_views.series_detail, name="series"),
    path("cafes/<int:pk>/", series_views.series_detail, name="series_short"),
    path("cafes/suivi/<str:token>/", series_views.follow_page, name="follow"),
    path("cafes/suivi/<str:token>/sujet/", series_views.propose_topic, name="propose_topic"),
    path(
        "cafes/suivi/<str:token>/soutenir/<int:topic_id>/",
        series_views.support_topic,
        name="support_topic",
    ),
    path("cafes/suivi/<str:token>/arreter/", series_views.stop_following, name="stop_following"),
    path("questionnaire/<str:token>/", series_views.survey, name="survey"),
    # Texted links (short: a text holds 160 characters) and the SMS provider's reports.
    path("s/<str:code>/", outbox_views.short_link, name="short_link"),
    path("sms/rapports/", outbox_views.sms_report, name="sms_report"),
]
