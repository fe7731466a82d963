from django.urls import reverse

import pytest

from community import roles
from events.models.bookings import Registration
from tests.events.signup_helpers import register
from tests.factories import EventFactory, StaffFactory

pytestmark = pytest.mark.django_db


def test_mediator_sees_and_cancels_registrations_of_their_territory(client, territories):
    mediator = StaffFactory(role=roles.MEDIATOR, territories=[territories["Lyon 8"]])
    event = EventFactory(territory=territories["Lyon 8"], capacity=1)
    event.organisers.add(mediator)
    holder = register(event, access_needs="Fauteuil", access_needs_consent=True)
    waiting = register(event)
    client.force_login(mediator)
    page = client.get(reverse("events_registrations", args=[event.pk]))
    assert page.status_code == 200
    assert "Fauteuil" in page.content.decode()  # an organiser sees access needs
    response = client.post(reverse("events_registration_cancel", args=[event.pk, holder.pk]))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED


def test_access_needs_are_for_organisers_and_managers_only(client, territories):
    # A mediator of the territory who does not organise the event (managers and organisers do
    # read them: tests/events/test_access_needs.py).
    mediator = StaffFactory(role=roles.MEDIATOR, territories=[territories["Lyon 8"]])
    event = EventFactory(territory=territories["Lyon 8"], capacity=5)
    register(event, access_needs="Boucle magnétique", access_needs_consent=True)
    client.force_login(mediator)
    page = client.get(reverse("events_registrations", args=[event.pk]))
    assert page.status_code == 200
    assert "Boucle magnétique" not in page.content.decode()


def test_another_territorys_mediator_gets_404_and_changes_nothing(client, territories):
    lyon9 = StaffFactory(role=roles.MEDIATOR, territories=[territories["Lyon 9"]])
    event = EventFactory(territory=territories["Lyon 8"], capacity=5)
    registration = register(event)
    client.force_login(lyon9)
    assert client.get(reverse("events_registrations", args=[event.pk])).status_code == 404
    assert (
        client.post(
            reverse("events_registration_cancel", args=[event.pk, registration.pk])
        ).status_code
        == 404
    )
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
