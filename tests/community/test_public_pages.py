"""The working group's public page and its join form, the voice form, the emails they send to
the territory's mediators, and the query counts of those pages."""

import datetime

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine

from community import registries, roles, services
from community.models import JoinRequest, Voice
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(territories):
    residence = factories.ResidenceFactory(name="Mermoz Nord", territory=territories["Lyon 8"])
    group = factories.WorkingGroupFactory(
        theme="Tri et encombrants", territory=territories["Lyon 8"], residence=residence
    )
    tenant = factories.ReferenceTenantFactory(residence=residence)
    group.facilitators.add(tenant)
    group.members.add(factories.PersonFactory(first_name="Secret", last_name="Membre"))
    factories.StaffFactory(
        email="med8@exemple.fr", role=roles.MEDIATOR, territories=[territories["Lyon 8"]]
    )
    factories.StaffFactory(
        email="med9@exemple.fr", role=roles.MEDIATOR, territories=[territories["Lyon 9"]]
    )
    return group


def test_the_group_page_shows_theme_place_and_nothing_personal(client, group):
    response = client.get(group.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert '<h1 lang="fr">Tri et encombrants</h1>' in body
    assert "Résidence Mermoz Nord, Lyon 8" in body
    tenant = group.facilitators.get()
    for secret in ("Secret", "Membre", tenant.person.first_name, tenant.person.email):
        assert secret not in body
    assert "Pas de réunion annoncée" in body


def test_the_group_page_lists_the_meetings_the_events_app_reports(client, group, monkeypatch):
    start = datetime.datetime(2026, 12, 3, 18, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(
        registries.working_group_meetings,
        "provider",
        lambda ids, limit: {group.pk: [registries.Meeting("Réunion du groupe", start, "/e/1/")]},
    )
    body = client.get(group.get_absolute_url()).content.decode()
    assert "Réunion du groupe" in body
    assert 'href="/e/1/"' in body


def test_a_wrong_slug_redirects_and_a_finished_group_is_gone(client, group):
    response = client.get(reverse("community:working_group", args=[group.pk, "autre"]))
    assert response.status_code == 301
    assert response["Location"] == group.get_absolute_url()
    group.status = "finished"
    group.save()
    assert client.get(group.get_absolute_url()).status_code == 404


def test_a_resident_asks_to_join_and_the_groups_mediators_are_told(
    client, group, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            group.get_absolute_url(),
            {
                "name": "Fatou",
                "phone": "06 11 22 33 44",
                "message": "Le mardi soir",
                "consent": "on",
            },
        )
    assert response.status_code == 302
    join_request = JoinRequest.objects.get()
    assert (join_request.name, join_request.phone, join_request.email) == (
        "Fatou",
        "+33611223344",
        "",
    )
    assert join_request.notified_at is not None
    assert [message.to for message in mail.outbox] == [["med8@exemple.fr"]]
    assert "Tri et encombrants" in mail.outbox[0].subject
    assert "+33611223344" in mail.outbox[0].body
    # The task run again sends nothing more.
    assert services.notify_join_request(join_request.pk) == []
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Fatou", "consent": "on"}, "Laissez une adresse électronique ou un numéro"),
        ({"name": "Fatou", "email": "fatou@exemple.fr"}, "Cochez cette case"),
        ({"name": "Fatou", "phone": "12", "consent": "on"}, "pas valide"),
        ({"email": "fatou@exemple.fr", "consent": "on"}, "Champ requis."),
    ],
)
def test_a_join_request_without_contact_or_consent_gets_a_message(client, group, data, message):
    response = client.post(group.get_absolute_url(), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not JoinRequest.objects.exists()
    assert mail.outbox == []


def test_a_resident_sends_a_voice_and_the_territorys_mediators_are_told(
    client, group, territories, django_capture_on_commit_callbacks
):
    theme = factories.VoiceThemeFactory(name="Cadre de vie")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("community:voice"),
            {
                "text": "Il faudrait un composteur au pied de la tour.",
                "territory": territories["Lyon 8"].pk,
                "theme": theme.pk,
                "age_band": "60+",
            },
        )
    assert response.status_code == 302
    voice = Voice.objects.get()
    assert (voice.source, voice.status, voice.territory, voice.age_band) == (
        "form",
        "new",
        territories["Lyon 8"],
        "60+",
    )
    assert (voice.contact_name, voice.contact_email, voice.contact_consent) == ("", "", False)
    assert [message.to for message in mail.outbox] == [["med8@exemple.fr"]]
    assert "composteur" in mail.outbox[0].body


def test_a_voice_whose_task_was_lost_is_sent_to_the_mediators_by_recovery(
    client, group, territories
):
    from community import tasks

    client.post(
        reverse("community:voice"),
        {"text": "Un banc près de l'arrêt.", "territory": territories["Lyon 8"].pk},
    )  # the test's transaction never commits: the notification task never runs
    assert Voice.objects.get().notified_at is None and mail.outbox == []
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=10)):
        tasks.recover_unsent_emails()
        tasks.recover_unsent_emails()
    assert [message.to for message in mail.outbox] == [["med8@exemple.fr"]]
    assert "banc" in mail.outbox[0].body


def test_a_voice_with_contact_but_no_consent_gets_a_message(client, territories):
    response = client.post(
        reverse("community:voice"),
        {
            "text": "Trop de bruit le soir.",
            "territory": territories["Lyon 9"].pk,
            "wants_contact": "on",
            "contact_name": "Marc",
            "contact_email": "marc@exemple.fr",
        },
    )
    assert response.status_code == 200
    assert "Cochez cette case pour que nous gardions vos coordonnées" in response.content.decode()
    assert not Voice.objects.exists()
    response = client.post(
        reverse("community:voice"),
        {"text": "Trop de bruit.", "territory": territories["Lyon 9"].pk, "wants_contact": "on",
         "consent": "on"},
    )  # fmt: skip
    assert "laissez une adresse électronique ou un téléphone" in response.content.decode()
    assert not Voice.objects.exists()


def test_a_voice_with_contact_and_consent_keeps_the_contact(client, territories):
    client.post(
        reverse("community:voice"),
        {"text": "Un atelier vélo ?", "territory": territories["Lyon 9"].pk, "wants_contact": "on",
         "contact_name": "Marc", "contact_phone": "06 99 88 77 66", "consent": "on"},
    )  # fmt: skip
    voice = Voice.objects.get()
    assert (voice.contact_name, voice.contact_phone, voice.contact_consent) == (
        "Marc",
        "+33699887766",
        True,
    )


def test_a_mediator_cannot_record_a_voice_outside_their_territories(territories):
    mediator = factories.StaffFactory(role=roles.MEDIATOR, territories=[territories["Lyon 9"]])
    with pytest.raises(services.NotAllowed):
        services.record_voice(mediator, text="Parole", territory=territories["Lyon 8"])
    tenant = factories.ReferenceTenantFactory(
        residence=factories.ResidenceFactory(territory=territories["Lyon 8"])
    )
    with pytest.raises(services.NotAllowed):
        services.record_follow_up(mediator, tenant, kind="phone")
    assert not Voice.objects.exists()


def _populate(territories, size):
    lyon8 = territories["Lyon 8"]
    for _index in range(size):
        residence = factories.ResidenceFactory(territory=lyon8)
        tenant = factories.ReferenceTenantFactory(residence=residence)
        factories.FollowUpFactory(reference_tenant=tenant)
        group = factories.WorkingGroupFactory(territory=lyon8, residence=residence)
        group.members.add(tenant.person)
        factories.JoinRequestFactory(working_group=group)
        factories.ResidenceDiagnosisFactory(residence=residence)
        factories.VoiceFactory(territory=lyon8, theme=factories.VoiceThemeFactory())


def _count_queries(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


ADMIN_LISTS = [
    "residence",
    "referencetenant",
    "followup",
    "workinggroup",
    "joinrequest",
    "residencediagnosis",
    "voice",
]


def test_query_counts_do_not_grow_with_the_records(client, territories, group):
    mediator = factories.StaffFactory(role=roles.MEDIATOR, territories=[territories["Lyon 8"]])
    client.force_login(mediator)
    urls = [reverse(f"wagtailsnippets_community_{model}:list") for model in ADMIN_LISTS]
    urls += [group.get_absolute_url(), reverse("community:working_groups")]

    def counts():
        return [_count_queries(client, url, None) for url in urls]

    _populate(territories, 2)
    counts()  # warm the caches (content types, permissions)
    small = counts()
    _populate(territories, 12)
    large = counts()
    assert large == small, list(zip(urls, small, large, strict=True))


def test_join_requests_and_voices_posted_too_often_are_refused_and_nothing_is_written(
    client, group, territories, settings
):
    settings.PUBLIC_RATE_LIMITS = {
        **settings.PUBLIC_RATE_LIMITS,
        "join_request": {"ip": (5, 600), "address": (1, 600)},
        "voice": {"ip": (1, 600)},
    }
    join = {"name": "Fatou", "phone": "06 11 22 33 44", "message": "Mardi", "consent": "on"}
    assert client.post(group.get_absolute_url(), join).status_code == 302
    same_phone = dict(join, phone="+33 6 11 22 33 44")
    refused = client.post(group.get_absolute_url(), same_phone, REMOTE_ADDR="10.3.3.3")
    assert refused.status_code == 429
    assert "Trop de demandes en peu de temps." in refused.content.decode()
    assert JoinRequest.objects.count() == 1

    theme = factories.VoiceThemeFactory(name="Cadre de vie")
    voice = {"text": "Un composteur.", "territory": territories["Lyon 8"].pk, "theme": theme.pk}
    voice["age_band"] = "60+"
    assert client.post(reverse("community:voice"), voice).status_code == 302
    assert client.post(reverse("community:voice"), voice).status_code == 429
    assert Voice.objects.count() == 1
