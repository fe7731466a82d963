"""The mediators' phone page to log interventions: the rules, bad input, and who may edit."""

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from community.models import Intervention

pytestmark = pytest.mark.django_db

URL = "/equipe/interventions/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(kind, territory, **overrides):
    data = {
        "kind": kind.pk,
        "territory": territory.pk,
        "people": 1,
        "date": timezone.localdate().isoformat(),
        "client_key": "cle-1",
    }
    data.update(overrides)
    return data


def test_a_mediator_logs_an_intervention_and_a_double_tap_counts_once(staff, kinds, territories):
    client = client_for(staff["mediator_lyon8"])
    page = client.get(URL)
    assert page.status_code == 200
    assert page.context["form"].initial["territory"] == territories["Lyon 8"].pk
    data = form(kinds["mise-en-relation"], territories["Lyon 8"], people=3, women=2, men=1)
    response = client.post(URL, data)
    assert response.status_code == 302
    again = client.post(URL, data)
    assert again.status_code == 302
    row = Intervention.objects.get()
    assert (row.kind.code, row.people, row.women, row.men, row.author) == (
        "mise-en-relation",
        3,
        2,
        1,
        staff["mediator_lyon8"],
    )
    assert "Mise en relation" in client.get(URL).content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"people": -1}, "Le nombre de personnes doit être un nombre positif ou nul."),
        (
            {"date": (timezone.localdate() + dt.timedelta(days=1)).isoformat()},
            "La date ne peut pas être dans le futur.",
        ),
        ({"people": 2, "women": 2, "men": 1}, "Femmes et hommes dépassent le nombre de personnes"),
        ({"people": 2, "people_0_14": 3}, "La répartition par âge dépasse le nombre de personnes"),
        ({"kind": ""}, "Choisissez un type d&#x27;intervention."),
        ({"women": -2}, "Indiquez un nombre positif ou nul."),
    ],
)
def test_bad_input_gets_a_message_and_writes_nothing(staff, kinds, territories, overrides, message):
    client = client_for(staff["mediator_lyon8"])
    data = form(kinds["aide-morale"], territories["Lyon 8"])
    data.update(overrides)
    response = client.post(URL, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Intervention.objects.exists()


def test_a_territory_the_mediator_does_not_work_in_is_refused(staff, kinds, territories):
    client = client_for(staff["mediator_lyon8"])
    response = client.post(URL, form(kinds["aide-morale"], territories["Lyon 9"]))
    assert response.status_code == 400
    assert not Intervention.objects.exists()


def test_the_author_edits_the_same_day_only(staff, kinds, territories):
    mediator = staff["mediator_lyon8"]
    client = client_for(mediator)
    client.post(URL, form(kinds["aide-morale"], territories["Lyon 8"]))
    row = Intervention.objects.get()
    edit = reverse("staff_interventions:edit", args=[row.pk])
    assert client.get(edit).status_code == 200
    data = form(kinds["aide-physique"], territories["Lyon 8"], people=4, client_key="")
    assert client.post(edit, data).status_code == 302
    row.refresh_from_db()
    assert (row.kind.code, row.people) == ("aide-physique", 4)

    assert client_for(staff["mediator_lyon9"]).get(edit).status_code == 404
    assert client_for(staff["manager"]).get(edit).status_code == 404  # the author's own list

    Intervention.objects.filter(pk=row.pk).update(created_at=timezone.now() - dt.timedelta(days=1))
    late = client.post(edit, form(kinds["aide-morale"], territories["Lyon 8"], people=9))
    assert late.status_code == 302
    row.refresh_from_db()
    assert row.people == 4
    client.post(reverse("staff_interventions:delete", args=[row.pk]))
    assert Intervention.objects.filter(pk=row.pk).exists()


def test_the_author_deletes_a_mistake_the_same_day(staff, kinds, territories):
    client = client_for(staff["mediator_lyon8"])
    client.post(URL, form(kinds["aide-morale"], territories["Lyon 8"]))
    row = Intervention.objects.get()
    assert client.post(reverse("staff_interventions:delete", args=[row.pk])).status_code == 302
    assert not Intervention.objects.exists()


def test_who_may_open_the_log(staff):
    assert Client().get(URL).status_code == 302
    assert client_for(staff["communication"]).get(URL).status_code == 403
    assert client_for(staff["manager"]).get(URL).status_code == 200
