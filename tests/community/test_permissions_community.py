"""Every community admin URL (list, search, export, edit, delete, inspect, history, usage, copy,
chooser) for the six roles: a mediator reaches the records of their own territories only, a
Lyon 9 mediator gets 404 on Lyon 8's records whatever id is guessed, Communication and residents
get none of this personal data. (The integrator folds this table into tests/permissions/.)"""

from django.urls import reverse

import pytest

from community.models import FollowUp, Voice

pytestmark = pytest.mark.django_db

MODELS = [
    "residence",
    "referencetenant",
    "followup",
    "workinggroup",
    "joinrequest",
    "residencediagnosis",
    "voice",
]
OBJECT_VIEWS = ["edit", "delete", "inspect", "history", "history_results", "usage", "copy"]
ROLES = ["anonymous", "resident", "communication", "mediator_lyon8", "mediator_lyon9", "manager"]
SEES = {
    "anonymous": set(),
    "resident": set(),
    "communication": set(),
    "mediator_lyon8": {"Lyon 8"},
    "mediator_lyon9": {"Lyon 9"},
    "manager": {"Lyon 8", "Lyon 9"},
}
DENIED = {302, 403, 404}
# Mediators edit the residences of their territories; adding (hence copying) and deleting one is
# a manager's job.
# What names a territory's record in any export: its residence, its group, or its territory.
EXPORT_MARKERS = {
    "Lyon 8": ("Albert Laurent", "Groupe Lyon 8", ",Lyon 8,"),
    "Lyon 9": ("Le Château", "Groupe Lyon 9", ",Lyon 9,"),
}
MANAGER_ONLY = {("residence", "delete"), ("residence", "copy")}


def _client(client, world, role):
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def _edit_path(model, pk):
    return reverse(f"wagtailsnippets_community_{model}:edit", args=[pk])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", MODELS)
def test_object_views_answer_only_for_the_users_territories(client, world, role, model):
    client = _client(client, world, role)
    for territory in ("Lyon 8", "Lyon 9"):
        record = world.records[(model, territory)]
        for view in OBJECT_VIEWS:
            url = reverse(f"wagtailsnippets_community_{model}:{view}", args=[record.pk])
            response = client.get(url)
            if role.startswith("mediator") and (model, view) in MANAGER_ONLY:
                assert response.status_code in DENIED, (role, model, territory, view)
            elif territory in SEES[role]:
                assert response.status_code == 200, (role, model, territory, view)
            else:
                assert response.status_code in DENIED, (role, model, territory, view)
                if role.startswith("mediator"):
                    # Logged-in staff guessing an id of another territory: not found.
                    assert response.status_code == 404, (role, model, territory, view)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", MODELS)
def test_lists_search_and_chooser_show_only_the_users_territories(client, world, role, model):
    client = _client(client, world, role)
    urls = [
        reverse(f"wagtailsnippets_community_{model}:list"),
        reverse(f"wagtailsnippets_community_{model}:list_results") + "?q=",
        reverse(f"wagtailsnippets_community_{model}:list") + "?q=e",
        reverse(f"wagtailsnippetchoosers_community_{model}:choose"),
        reverse(f"wagtailsnippetchoosers_community_{model}:choose_results"),
    ]
    for url in urls:
        response = client.get(url)
        if not SEES[role]:
            assert response.status_code in DENIED, (role, model, url)
            continue
        assert response.status_code == 200, (role, model, url)
        body = response.content.decode()
        for territory in ("Lyon 8", "Lyon 9"):
            pk = world.records[(model, territory)].pk
            marker = (
                _edit_path(model, pk)
                if "choose" not in url
                else reverse(f"wagtailsnippetchoosers_community_{model}:chosen", args=[pk])
            )
            if "?q=e" in url:
                continue  # search narrows the list; checked below for what must not leak
            assert (marker in body) == (territory in SEES[role]), (role, model, url, territory)
        for territory in {"Lyon 8", "Lyon 9"} - SEES[role]:
            pk = world.records[(model, territory)].pk
            assert _edit_path(model, pk) not in body
            # Not even in the filters: no other territory's name, residence or group.
            for marker in (territory, *EXPORT_MARKERS[territory]):
                assert marker.strip(",") not in body, (role, model, url, marker)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", MODELS)
def test_chosen_answers_only_for_the_users_territories(client, world, role, model):
    client = _client(client, world, role)
    for territory in ("Lyon 8", "Lyon 9"):
        pk = world.records[(model, territory)].pk
        url = reverse(f"wagtailsnippetchoosers_community_{model}:chosen", args=[pk])
        response = client.get(url)
        if territory in SEES[role]:
            assert response.status_code == 200
        else:
            assert response.status_code in DENIED
            assert str(world.records[(model, territory)]) not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", MODELS)
def test_export_holds_only_the_users_territories(client, world, role, model):
    client = _client(client, world, role)
    response = client.get(reverse(f"wagtailsnippets_community_{model}:list") + "?export=csv")
    if not SEES[role]:
        assert response.status_code in DENIED
        return
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = body.strip().splitlines()[1:]
    assert len(rows) == len(SEES[role]), body
    for territory in ("Lyon 8", "Lyon 9"):
        found = any(marker in body for marker in EXPORT_MARKERS[territory])
        assert found == (territory in SEES[role]), (role, model, territory, body)


def test_lyon_9_mediator_cannot_post_an_edit_or_delete_to_a_lyon_8_voice(client, world):
    voice = world.records[("voice", "Lyon 8")]
    client.force_login(world.users["mediator_lyon9"])
    edit = client.post(
        reverse("wagtailsnippets_community_voice:edit", args=[voice.pk]),
        {"text": "Réécrit", "territory": world.territories["Lyon 9"].pk, "source": "door"},
    )
    delete = client.post(reverse("wagtailsnippets_community_voice:delete", args=[voice.pk]))
    assert (edit.status_code, delete.status_code) == (404, 404)
    voice.refresh_from_db()
    assert voice.text.startswith("Parole d'habitant")


def test_a_mediator_cannot_record_a_follow_up_or_voice_outside_their_territories(client, world):
    client.force_login(world.users["mediator_lyon9"])
    before = FollowUp.objects.count(), Voice.objects.count()
    follow_up = client.post(
        reverse("wagtailsnippets_community_followup:add"),
        {
            "reference_tenant": world.records[("referencetenant", "Lyon 8")].pk,
            "date": "2026-11-20",
            "kind": "phone",
            "mediator": world.users["mediator_lyon9"].pk,
            "note": "Appel",
        },
    )
    voice = client.post(
        reverse("wagtailsnippets_community_voice:add"),
        {
            "text": "Des bancs au pied de l'immeuble",
            "territory": world.territories["Lyon 8"].pk,
            "source": "door",
            "status": "new",
        },
    )
    assert follow_up.status_code == voice.status_code == 200  # the form again, with its errors
    assert "Sélectionnez un choix valide" in follow_up.content.decode()
    assert "Sélectionnez un choix valide" in voice.content.decode()
    assert (FollowUp.objects.count(), Voice.objects.count()) == before


def test_forms_offer_only_the_users_territories_and_residences(client, world):
    client.force_login(world.users["mediator_lyon8"])
    territories = client.get(reverse("wagtailsnippetchoosers_community_territory:choose_results"))
    residences = client.get(reverse("wagtailsnippetchoosers_community_residence:choose_results"))
    assert "Lyon 8" in territories.content.decode()
    assert "Lyon 9" not in territories.content.decode()
    assert "Albert Laurent" in residences.content.decode()
    assert "Le Château" not in residences.content.decode()
    tenants = client.get(
        reverse("wagtailsnippetchoosers_community_referencetenant:choose_results")
    ).content.decode()
    assert str(world.records[("referencetenant", "Lyon 8")].person) in tenants
    assert str(world.records[("referencetenant", "Lyon 9")].person) not in tenants


def test_a_mediator_records_a_follow_up_of_their_territory(client, world):
    mediator = world.users["mediator_lyon8"]
    tenant = world.records[("referencetenant", "Lyon 8")]
    client.force_login(mediator)
    response = client.post(
        reverse("wagtailsnippets_community_followup:add"),
        {
            "reference_tenant": tenant.pk,
            "date": "2026-11-20",
            "kind": "phone",
            "mediator": mediator.pk,
            "note": "Appel : point sur le tri",
        },
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get(note="Appel : point sur le tri")
    assert (follow_up.reference_tenant, follow_up.mediator, follow_up.kind) == (
        tenant,
        mediator,
        "phone",
    )


def test_opening_a_follow_up_writes_the_audit_log(client, world):
    from wagtail.models import ModelLogEntry

    follow_up = world.records[("followup", "Lyon 8")]
    client.force_login(world.users["mediator_lyon8"])
    client.get(reverse("wagtailsnippets_community_followup:edit", args=[follow_up.pk]))
    client.get(reverse("wagtailsnippets_community_followup:inspect", args=[follow_up.pk]))
    client.force_login(world.users["mediator_lyon9"])
    client.get(reverse("wagtailsnippets_community_followup:edit", args=[follow_up.pk]))
    entries = ModelLogEntry.objects.filter(action="community.followup.view")
    assert [(e.object_id, e.user_id) for e in entries] == [
        (str(follow_up.pk), world.users["mediator_lyon8"].pk)
    ] * 2


def test_communication_holds_no_permission_on_personal_records(world):
    communication = world.users["communication"]
    for model in MODELS[1:]:
        for action in ("view", "add", "change", "delete"):
            assert not communication.has_perm(f"community.{action}_{model}")
