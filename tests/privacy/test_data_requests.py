"""The managers' data-request page: find a person, record the request, export, anonymise, the
answer logged; and the audit list of personal-data access."""

import json

from django.core.exceptions import PermissionDenied

from wagtail.models import ModelLogEntry

import pytest

from community import services
from community.models import DataRequest, Person
from community.privacy import rules as privacy
from tests import factories
from tests.privacy.conftest import sign_up

pytestmark = pytest.mark.django_db


def test_a_manager_answers_a_request_made_at_the_desk(client, territories, manager, mediator):
    lyon8 = territories["Lyon 8"]
    event = factories.EventFactory(territory=lyon8, title="Atelier tri")
    registration = sign_up(event, phone="0611223344", first_name="Fatou")
    other = sign_up(event, email="autre@exemple.fr", first_name="Autre")
    person = registration.person
    client.force_login(manager)

    found = client.get("/admin/confidentialite/", {"q": "0611223344"})
    assert found.status_code == 200
    assert [p.pk for p in found.context["persons"]] == [person.pk]

    response = client.post(
        f"/admin/confidentialite/personnes/{person.pk}/demande/",
        {
            "kind": "access",
            "channel": "desk",
            "received_on": "2026-11-20",
            "details": "Pièce d'identité vue à l'accueil",
        },
    )
    data_request = DataRequest.objects.get()
    assert response.status_code == 302
    assert (data_request.person, data_request.created_by) == (person, manager)

    export = client.post(f"/admin/confidentialite/demandes/{data_request.pk}/export.json")
    assert export.status_code == 200
    document = json.loads(export.content)
    assert document["person_id"] == person.pk
    text = json.dumps(document, ensure_ascii=False)
    assert "Atelier tri" in text and "Autre" not in text
    # A guessed GET exports nothing.
    assert (
        client.get(f"/admin/confidentialite/demandes/{data_request.pk}/export.json").status_code
        == 405
    )

    refused = client.post(
        f"/admin/confidentialite/demandes/{data_request.pk}/",
        {"outcome": "anonymised", "answer": "Effacement demandé"},
    )
    assert refused.status_code == 200 and Person.objects.get(pk=person.pk).anonymised_at is None
    answered = client.post(
        f"/admin/confidentialite/demandes/{data_request.pk}/",
        {"outcome": "anonymised", "answer": "Effacement fait", "confirm": "on"},
    )
    assert answered.status_code == 302
    data_request.refresh_from_db()
    assert (data_request.outcome, data_request.answered_by) == ("anonymised", manager)
    assert Person.objects.get(pk=person.pk).phone is None
    assert Person.objects.get(pk=other.person_id).anonymised_at is None

    actions = list(ModelLogEntry.objects.order_by("pk").values_list("action", "user_id"))
    assert actions == [
        (privacy.DATA_REQUEST_ACTION, manager.pk),
        (privacy.EXPORT_ACTION, manager.pk),
        (privacy.ANONYMISE_ACTION, manager.pk),
        (privacy.DATA_REQUEST_ANSWER_ACTION, manager.pk),
    ]
    assert not ModelLogEntry.objects.filter(label__icontains="Fatou").exists()

    audit = client.get("/admin/confidentialite/journal/")
    assert audit.status_code == 200
    body = audit.content.decode()
    assert "Données exportées" in body and "Personne anonymisée" in body
    assert "Demande répondue" in body


def test_opening_a_follow_up_note_is_in_the_audit_list(client, territories, manager):
    follow_up = factories.FollowUpFactory(
        reference_tenant__residence=factories.ResidenceFactory(territory=territories["Lyon 8"])
    )
    services.log_follow_up_opened(follow_up, manager)
    client.force_login(manager)
    body = client.get("/admin/confidentialite/journal/").content.decode()
    assert "Note de suivi consultée" in body


def test_a_mediator_may_not_answer_nor_export(client, territories, mediator, manager):
    person = factories.PersonFactory()
    data_request = privacy.record_request(manager, person=person, kind="access", channel="letter")
    client.force_login(mediator)
    for url in (
        "/admin/confidentialite/",
        f"/admin/confidentialite/demandes/{data_request.pk}/",
        "/admin/confidentialite/journal/",
        "/admin/confidentialite/conservation/",
    ):
        assert client.get(url).status_code in (302, 403), url
    assert client.post(
        f"/admin/confidentialite/demandes/{data_request.pk}/export.json"
    ).status_code in (302, 403)
    assert not ModelLogEntry.objects.filter(action=privacy.EXPORT_ACTION).exists()
    with pytest.raises(PermissionDenied):
        privacy.answer_request(mediator, data_request.pk, outcome="anonymised")
    assert Person.objects.get(pk=person.pk).anonymised_at is None


def test_an_over_long_or_scripted_request_is_refused_or_escaped(client, manager):
    person = factories.PersonFactory(first_name="<script>alert(1)</script>")
    client.force_login(manager)
    response = client.post(
        f"/admin/confidentialite/personnes/{person.pk}/demande/",
        {"kind": "access", "channel": "desk", "received_on": "2026-11-20", "details": "x" * 5000},
    )
    assert response.status_code == 200 and not DataRequest.objects.exists()
    page = client.get("/admin/confidentialite/", {"q": "script"}).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    bad = client.post(
        f"/admin/confidentialite/personnes/{person.pk}/demande/",
        {"kind": "nonsense", "channel": "desk", "received_on": "pas une date"},
    )
    assert bad.status_code == 200 and not DataRequest.objects.exists()
    assert client.get("/admin/confidentialite/personnes/999999/demande/").status_code == 404
