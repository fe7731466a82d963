import datetime as dt

from django.utils import timezone

import icalendar
import pytest
import time_machine

from events import services, tasks
from events.models import Event
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def _draft(territories, **kwargs):
    return EventFactory(territory=territories["Lyon 8"], live=False, **kwargs)


def test_a_draft_is_not_public_and_publishing_makes_it_public(client, territories):
    event = _draft(territories)
    assert client.get(f"/evenements/{event.pk}-{event.slug}/").status_code == 404
    services.publish(event)
    assert Event.objects.get(pk=event.pk).live
    assert client.get(f"/evenements/{event.pk}-{event.slug}/").status_code == 200


def test_a_scheduled_event_appears_at_its_time_through_the_beat_task(client, territories):
    event = _draft(territories, start=timezone.now() + dt.timedelta(days=10))
    event.go_live_at = timezone.now() + dt.timedelta(hours=2)
    services.publish(event)
    event.refresh_from_db()
    assert not event.live  # scheduled, not yet public
    url = f"/evenements/{event.pk}-{event.slug}/"
    assert client.get(url).status_code == 404

    tasks.publish_scheduled.delay()  # too early: nothing happens
    assert not Event.objects.get(pk=event.pk).live

    with time_machine.travel(timezone.now() + dt.timedelta(hours=2, minutes=1)):
        tasks.publish_scheduled.delay()
        tasks.publish_scheduled.delay()  # safe to run twice
        assert Event.objects.get(pk=event.pk).live
        assert client.get(url).status_code == 200


def test_an_expired_event_leaves_the_site_through_the_beat_task(client, territories):
    event = _draft(territories)
    event.expire_at = timezone.now() + dt.timedelta(hours=1)
    services.publish(event)
    assert Event.objects.get(pk=event.pk).live
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1, minutes=1)):
        tasks.publish_scheduled.delay()
    assert not Event.objects.get(pk=event.pk).live


def test_the_beat_schedule_runs_the_task(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["events-publish-scheduled"]
    assert entry["task"] == tasks.publish_scheduled.name


def test_a_cancelled_event_stays_visible_marked_cancelled_and_feeds_say_cancelled(
    client, territories
):
    event = EventFactory(territory=territories["Lyon 8"])
    services.cancel(event, "Salle indisponible (dégât des eaux).")
    response = client.get(f"/evenements/{event.pk}-{event.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cet événement est annulé." in html
    assert "Salle indisponible" in html

    for url in ("/evenements/calendrier.ics", "/evenements/calendrier/lyon-8.ics"):
        calendar = icalendar.Calendar.from_ical(client.get(url).content)
        (vevent,) = calendar.walk("VEVENT")
        assert vevent["STATUS"] == "CANCELLED"
        assert str(vevent["UID"]) == f"event-{event.pk}@vivre-ensemble.localhost"
    ics = icalendar.Calendar.from_ical(client.get(f"/evenements/{event.pk}.ics").content)
    assert ics.walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    # Still in the agenda's listing, marked.
    from events.queries import upcoming_events

    assert list(upcoming_events()) == [event]


def test_cancelling_needs_a_reason_and_happens_once(territories):
    event = EventFactory(territory=territories["Lyon 8"])
    with pytest.raises(services.EventError, match="motif"):
        services.cancel(event, "   ")
    assert Event.objects.get(pk=event.pk).cancelled_at is None
    services.cancel(event, "Intempéries")
    with pytest.raises(services.EventError, match="déjà annulé"):
        services.cancel(event, "Encore")
    services.reinstate(event)
    assert Event.objects.get(pk=event.pk).cancelled_at is None


def test_publishing_an_older_draft_does_not_undo_a_cancellation(territories):
    event = _draft(territories)
    services.publish(event)
    event.title = "Nouveau titre"
    draft = event.save_revision()
    services.cancel(event, "Annulé par la préfecture")
    draft.publish()
    event = Event.objects.get(pk=event.pk)
    assert event.title == "Nouveau titre"
    assert event.is_cancelled
    assert event.cancellation_reason == "Annulé par la préfecture"
