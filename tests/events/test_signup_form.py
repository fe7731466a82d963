"""The public sign-up form as a resident meets it: every error in one pass, required fields
marked, companions added on demand without JavaScript, descriptions that point somewhere."""

import html
import re

from django.urls import reverse

import pytest

from events.models.bookings import Booking, Registration
from tests.events.test_signup_views import form_data
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_every_error_is_shown_in_one_pass(client):
    event = EventFactory(capacity=12)
    data = form_data(first_name="", email="", phone="", guardian_consent=None)
    response = client.post(reverse("events:signup", args=[event.pk]), data)
    assert response.status_code == 400
    page = text(response)
    # The missing name, the missing contact and the missing guardian consent, together.
    assert re.search(r'id="id_first_name_error"', page)
    assert "Indiquez une adresse électronique ou un numéro de téléphone." in page
    assert "confirmez que vous êtes son responsable légal" in page
    assert Booking.objects.count() == 0 and Registration.objects.count() == 0


def test_the_age_band_is_marked_required_and_descriptions_point_to_existing_ids(client):
    event = EventFactory(capacity=12)
    page = text(client.get(reverse("events:signup", args=[event.pk])))
    label = re.search(r'<label for="id_age_band">(.*?)</label>', page, re.S).group(1)
    assert "*" in label
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    described = {i for v in re.findall(r'aria-describedby="([^"]+)"', page) for i in v.split()}
    assert described and described <= ids
    # Errors too: every description of a re-rendered form exists.
    bad = text(client.post(reverse("events:signup", args=[event.pk]), form_data(email="x")))
    ids = set(re.findall(r'\bid="([^"]+)"', bad))
    described = {i for v in re.findall(r'aria-describedby="([^"]+)"', bad) for i in v.split()}
    assert described <= ids


def test_companions_are_added_on_demand_without_javascript(client):
    event = EventFactory(capacity=12)
    url = reverse("events:signup", args=[event.pk])
    page = text(client.get(url))
    assert 'name="other_first_name_1"' in page
    assert 'name="other_first_name_2"' not in page
    assert "Ajouter une personne" in page

    data = form_data(add_companion="1", consent=None)
    response = client.post(url, data)
    assert response.status_code == 200
    page = text(response)
    assert 'name="other_first_name_2"' in page and 'name="other_first_name_3"' not in page
    assert 'value="Issa"' in page and 'value="Maimouna"' in page  # what was typed is kept
    assert "errorlist" not in page  # adding a person is not a failed submission
    assert Registration.objects.count() == 0

    data = form_data(companion_rows="2", other_first_name_2="Awa", other_age_band_2="15-24")
    assert client.post(url, data).status_code == 302
    assert Registration.objects.get().seats == 3
