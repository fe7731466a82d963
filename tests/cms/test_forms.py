"""Forms: a submission is stored with the consent text shown and emailed (through a real SMTP
server) to the right people; bad input re-renders in French with what was typed."""

import datetime

from django.utils import timezone

import pytest

from cms import services
from cms.models import FormPage, ServicePage, Submission
from community import roles
from tests.factories import StaffFactory

# One demo seed for the module (tests/cms/conftest.py), on one xdist worker.
SHARED_DEMO_SITE = True
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("cms_forms")]

CONTACT = {
    "nom_et_prenom": "Amina Diallo",
    "adresse_electronique": "amina@exemple.fr",
    "telephone": "",
    "votre_message": "Bonjour, une question sur le Café Médiation.",
    "consent": "on",
}


def post(client, page, data, capture):
    with capture(execute=True):
        return client.post(page.url, data)


def test_contact_form_stores_the_submission_and_emails_staff(
    client, demo_site, smtp_sink, django_capture_on_commit_callbacks
):
    page = FormPage.objects.get(kind=FormPage.Kind.CONTACT)
    response = post(client, page, CONTACT, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "Merci, votre demande est bien envoyée" in response.content.decode()
    submission = Submission.objects.get(page=page)
    assert submission.form_data["votre_message"] == CONTACT["votre_message"]
    assert submission.consent_text == page.consent_text and submission.consent_text
    assert submission.emailed_at is not None
    [message] = smtp_sink.messages
    assert message.rcpt_tos == ["contact@vivre-ensemble.localhost"]
    assert "Café Médiation" in message.text()
    assert message.message["Reply-To"] == "amina@exemple.fr"
    assert "Amina Diallo" in message.html()


def test_newcomer_request_reaches_only_that_territorys_mediators(
    client, demo_site, smtp_sink, django_capture_on_commit_callbacks
):
    from community.models import Territory

    lyon9 = Territory.objects.get(name="Lyon 9")
    second = StaffFactory(email="deuxieme.lyon9@exemple.fr", territories=[lyon9])
    StaffFactory(email="manager@exemple.fr", role=roles.MANAGER, territories=[lyon9])
    page = FormPage.objects.get(kind=FormPage.Kind.NEWCOMER)
    data = {
        "nom_et_prenom": "Jean Nouveau",
        "adresse_electronique": "",
        "telephone": "06 12 34 56 78",
        "votre_residence_ou_adresse": "Résidence Patel",
        "ce_que_vous_aimeriez_savoir": "",
        "territory": str(lyon9.pk),
        "consent": "on",
    }
    response = post(client, page, data, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    submission = Submission.objects.get(page=page)
    assert submission.territory == lyon9
    assert submission.consent_text == page.consent_text
    [message] = smtp_sink.messages
    assert sorted(message.rcpt_tos) == sorted(
        ["mediateur.lyon9@vivre-ensemble.localhost", second.email]
    )
    assert "Résidence Patel" in message.text()
    assert "Lyon 9" in message.text()
    assert submission_sent_to(submission) == sorted(message.rcpt_tos)


def submission_sent_to(submission):
    submission.refresh_from_db()
    return sorted(a.strip() for a in submission.recipients.split(","))


def test_service_request_form_emails_staff(
    client, demo_site, smtp_sink, django_capture_on_commit_callbacks
):
    page = ServicePage.objects.get(slug="mediation-energie")
    data = {
        "nom_et_prenom": "Luc Martin",
        "structure": "Énergie Rhône",
        "adresse_electronique": "luc@exemple.fr",
        "telephone": "",
        "votre_besoin": "Sensibiliser 200 ménages.",
        "consent": "on",
    }
    response = post(client, page, data, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert Submission.objects.filter(page=page).count() == 1
    [message] = smtp_sink.messages
    assert message.rcpt_tos == ["contact@vivre-ensemble.localhost"]
    assert message.subject.strip() == "Demande de prestation : Médiation « énergie »"


def test_invalid_form_re_renders_in_french_and_keeps_what_was_typed(
    client, demo_site, smtp_sink, django_capture_on_commit_callbacks
):
    page = FormPage.objects.get(kind=FormPage.Kind.NEWCOMER)
    data = {"nom_et_prenom": "Jean Nouveau", "adresse_electronique": "pas-une-adresse"}
    response = post(client, page, data, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Jean Nouveau"' in html
    assert 'value="pas-une-adresse"' in html
    assert "Saisissez une adresse de courriel valide." in html
    assert "Choisissez votre territoire." in html
    assert "Cochez cette case pour envoyer votre demande." in html
    assert "Champ requis." in html  # the residence
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_territory_helptext id_territory_erreur"' in html
    assert 'id="id_territory_erreur"' in html
    assert Submission.objects.count() == 0
    assert smtp_sink.messages == []


def test_emailing_twice_sends_once(demo_site, smtp_sink, django_capture_on_commit_callbacks):
    page = FormPage.objects.get(kind=FormPage.Kind.CONTACT)
    submission = Submission.objects.create(page=page, form_data={"votre_message": "Bonjour"})
    assert services.email_submission(submission.pk) is True
    assert services.email_submission(submission.pk) is False
    assert services.email_submission(999_999) is False
    assert len(smtp_sink.messages) == 1


def test_submissions_are_erased_after_the_retention_period(demo_site, settings):
    settings.RETENTION_MONTHS = 12
    page = FormPage.objects.get(kind=FormPage.Kind.CONTACT)
    old = Submission.objects.create(page=page, form_data={})
    recent = Submission.objects.create(page=page, form_data={})
    Submission.objects.filter(pk=old.pk).update(
        submit_time=timezone.now() - datetime.timedelta(days=400)
    )
    assert services.erase_expired_submissions() == 1
    assert list(Submission.objects.values_list("pk", flat=True)) == [recent.pk]


def test_mediators_see_the_requests_of_their_territories_only(client, demo_site):
    from community.models import Territory

    page = FormPage.objects.get(kind=FormPage.Kind.NEWCOMER)
    lyon8, lyon9 = Territory.objects.get(name="Lyon 8"), Territory.objects.get(name="Lyon 9")
    Submission.objects.create(
        page=page, territory=lyon8, form_data={"nom_et_prenom": "Habitant Huit"}
    )
    Submission.objects.create(
        page=page, territory=lyon9, form_data={"nom_et_prenom": "Habitant Neuf"}
    )
    mediator = StaffFactory(territories=[lyon8])
    client.force_login(mediator)
    response = client.get("/admin/snippets/cms/submission/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Habitant Huit" in html and "Habitant Neuf" not in html


def test_a_form_posted_too_often_is_refused_and_nothing_is_stored(
    client, demo_site, settings, django_capture_on_commit_callbacks
):
    settings.PUBLIC_RATE_LIMITS = {
        **settings.PUBLIC_RATE_LIMITS,
        "forms": {"ip": (5, 600), "address": (1, 600)},
    }
    page = FormPage.objects.get(kind=FormPage.Kind.CONTACT)
    assert post(client, page, CONTACT, django_capture_on_commit_callbacks).status_code == 200
    same_address = dict(CONTACT, adresse_electronique="AMINA@exemple.fr ")
    response = client.post(page.url, same_address, REMOTE_ADDR="10.2.2.2")
    assert response.status_code == 429
    assert "Trop de demandes en peu de temps." in response.content.decode()
    assert Submission.objects.filter(page=page).count() == 1
