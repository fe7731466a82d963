"""Public addresses of events. They depend on the event's id only, never on the page tree, so
links in emails and calendar files keep working."""

from django.urls import path

from . import signup_views, views

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
        "inscriptions/<str:token>/<int:registration_id>/modifier/",
        signup_views.reduce_view,
        name="reduce",
    ),
    path("mes-inscriptions/", signup_views.my_registrations, name="my_registrations"),
]
