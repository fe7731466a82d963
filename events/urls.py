"""Public addresses of events. They depend on the event's id only, never on the page tree, so
links in emails and calendar files keep working."""

from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("calendrier.ics", views.feed, name="feed"),
    path("calendrier/<slug:territory_slug>.ics", views.feed, name="territory_feed"),
    path("<int:pk>.ics", views.event_ics, name="ics"),
    path("<int:pk>-<slug:slug>/", views.event_detail, name="detail"),
    path("<int:pk>/", views.event_detail, name="detail_short"),
]
