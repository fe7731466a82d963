"""Admin scoping by construction: every Wagtail view of a territory-bound record (bulk actions,
choosers, form submissions, the site history report, listing exports) and the assisted sign-up's
person search show a Lyon 8 mediator nothing of Lyon 9."""

import io

from django.contrib.auth.models import Permission
from django.urls import reverse

from wagtail.log_actions import log

import pytest

from cms.models import FormPage, Submission, Subscription
from community import services
from community.models import Voice
from events.models import EventKind, SeatGroup
from tests import factories
from tests.events.series_helpers import make_series
from tests.permissions.harness import (
    COMMUNICATION,
    MANAGER,
    MEDIATOR_LYON_8,
    build_world,
    login_as,
)

pytestmark = pytest.mark.django_db

FOREIGN_NAME = "Zéphyrine Neuvième"
FOREIGN_VOICE = "Parole du Château à ne pas lire"


@pytest.fixture
def world(home_page):
    from cms.demo import site as demo

    world = build_world()
    demo.seed()  # with territories, the site gains its form pages (contact, newcomer welcome)
    lyon8, lyon9 = world.territories["Lyon 8"], world.territories["Lyon 9"]
    chateau = world.objects["Résidence Le Château"]
    objects = world.objects
    objects["own voice"] = factories.VoiceFactory(territory=lyon8, text="Parole de Mermoz")
    objects["voice"] = factories.VoiceFactory(territory=lyon9, text=FOREIGN_VOICE)
    objects["referencetenant"] = factories.ReferenceTenantFactory(
        residence=chateau,
        person=factories.PersonFactory(
            first_name="Zéphyrine", last_name="Neuvième", territory=lyon9
        ),
    )
    objects["followup"] = factories.FollowUpFactory(reference_tenant=objects["referencetenant"])
    objects["workinggroup"] = factories.WorkingGroupFactory(
        territory=lyon9, theme="Groupe du Château"
    )
    objects["joinrequest"] = factories.JoinRequestFactory(
        working_group=objects["workinggroup"], name="Demandeuse Neuvième"
    )
    objects["residencediagnosis"] = factories.ResidenceDiagnosisFactory(
        residence=chateau, needs="Besoins du Château"
    )
    objects["cafeseries"] = make_series(lyon9, title="Café du Château")
    objects["event"] = factories.EventFactory(
        territory=lyon9, title="Atelier du Château", kind=EventKind.INTERGENERATIONAL
    )
    objects["seatgroup"] = SeatGroup.objects.create(
        event=objects["event"], label="Places du Château", age_bands=["60+"], capacity=4
    )
    for text in (
        FOREIGN_NAME,
        FOREIGN_VOICE,
        "Groupe du Château",
        "Demandeuse Neuvième",
        "Besoins du Château",
        "Café du Château",
        "Atelier du Château",
        "Places du Château",
    ):
        world.add_marker("Lyon 9", text)
    return world


def foreign_labels(world):
    return [text for text in world.markers["Lyon 9"] if text != "Lyon 9"]


def assert_hides(response, world, extra=()):
    body = response.content.decode()
    leaked = [text for text in [*foreign_labels(world), *extra] if text in body]
    assert not leaked, f"{response.request['PATH_INFO']} shows {leaked}"


# -- finding 4: bulk actions --------------------------------------------------------------------

BULK_MODELS = [
    ("community", "voice"),
    ("community", "referencetenant"),
    ("community", "followup"),
    ("community", "workinggroup"),
    ("community", "joinrequest"),
    ("community", "residencediagnosis"),
    ("events", "cafeseries"),
    ("events", "seatgroup"),
    ("events", "event"),
]


@pytest.mark.parametrize("app_label,model_name", BULK_MODELS, ids=[m[1] for m in BULK_MODELS])
def test_bulk_delete_of_a_foreign_record_is_refused_and_shows_nothing(
    client, world, app_label, model_name
):
    login_as(client, world, MEDIATOR_LYON_8)
    target = world.objects[model_name]
    model = type(target)
    url = f"/admin/bulk/{app_label}/{model_name}/delete/?id={target.pk}"
    response = client.get(url)
    assert response.status_code in (403, 404)
    assert_hides(response, world)
    response = client.post(url)
    assert response.status_code in (403, 404)
    assert_hides(response, world)
    assert model.objects.filter(pk=target.pk).exists()


def test_bulk_delete_mixing_own_and_foreign_voices_deletes_nothing(client, world):
    login_as(client, world, MEDIATOR_LYON_8)
    own, foreign = world.objects["own voice"], world.objects["voice"]
    url = f"/admin/bulk/community/voice/delete/?id={own.pk}&id={foreign.pk}"
    response = client.get(url)
    assert response.status_code in (403, 404)
    assert_hides(response, world)
    response = client.post(url)
    assert response.status_code in (403, 404)
    assert set(Voice.objects.filter(pk__in=[own.pk, foreign.pk]).values_list("pk", flat=True)) == {
        own.pk,
        foreign.pk,
    }


def test_bulk_delete_of_own_voice_still_works(client, world):
    login_as(client, world, MEDIATOR_LYON_8)
    own = world.objects["own voice"]
    url = f"/admin/bulk/community/voice/delete/?id={own.pk}"
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    assert not Voice.objects.filter(pk=own.pk).exists()


def test_bulk_delete_of_subscribers_is_refused_without_a_permission_on_them(client, world):
    person = factories.PersonFactory(first_name="Abonnée", last_name="Secrète")
    subscription = Subscription.objects.create(person=person)
    login_as(client, world, MEDIATOR_LYON_8)
    url = f"/admin/bulk/cms/subscription/delete/?id={subscription.pk}"
    response = client.get(url)
    assert response.status_code in (403, 404)
    assert "Secrète" not in response.content.decode()
    assert client.post(url).status_code in (403, 404)
    assert Subscription.objects.filter(pk=subscription.pk).exists()


# -- finding 5: form submissions ----------------------------------------------------------------


def newcomer_submission(world, territory="Lyon 9", name="Jean Nouveau-Neuvième"):
    page = FormPage.objects.get(kind=FormPage.Kind.NEWCOMER)
    return Submission.objects.create(
        page=page,
        territory=world.territories[territory],
        form_data={"nom_et_prenom": name, "telephone": "06 12 34 56 78"},
    )


def test_inspect_of_a_foreign_territory_submission_answers_404(client, world):
    submission = newcomer_submission(world)
    login_as(client, world, MEDIATOR_LYON_8)
    response = client.get(f"/admin/snippets/cms/submission/inspect/{submission.pk}/")
    assert response.status_code == 404
    assert "Neuvième" not in response.content.decode()


def test_mediator_reads_own_territory_submission(client, world):
    submission = newcomer_submission(world, territory="Lyon 8", name="Jean Huitième")
    login_as(client, world, MEDIATOR_LYON_8)
    response = client.get(f"/admin/snippets/cms/submission/inspect/{submission.pk}/")
    assert response.status_code == 200
    assert "Jean Huitième" in response.content.decode()


def test_communication_cannot_read_newcomer_requests(client, world):
    submission = newcomer_submission(world)
    page_id = submission.page_id
    login_as(client, world, COMMUNICATION)
    for url in (
        "/admin/snippets/cms/submission/",
        f"/admin/snippets/cms/submission/inspect/{submission.pk}/",
        f"/admin/forms/submissions/{page_id}/",
        f"/admin/forms/submissions/{page_id}/?export=csv",
        f"/admin/forms/submissions/{page_id}/?export=xlsx",
    ):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code in (302, 403, 404), url
        assert "Neuvième".encode() not in body, url
    response = client.get("/admin/forms/")
    assert "Neuvième" not in response.content.decode()
    assert f"/admin/forms/submissions/{page_id}/" not in response.content.decode()


def test_manager_reads_every_submission_through_wagtail_forms(client, world):
    submission = newcomer_submission(world)
    login_as(client, world, MANAGER)
    response = client.get(f"/admin/snippets/cms/submission/inspect/{submission.pk}/")
    assert response.status_code == 200
    assert "Neuvième" in response.content.decode()


# -- finding 8: the assisted sign-up's person search ---------------------------------------------


def test_person_search_finds_no_one_of_another_territory(client, world):
    lyon8 = world.territories["Lyon 8"]
    event = factories.EventFactory(territory=lyon8)
    own = factories.PersonFactory(first_name="Zéphyrine", last_name="Huitième", territory=lyon8)
    foreign = world.objects["referencetenant"].person
    login_as(client, world, MEDIATOR_LYON_8)
    url = reverse("staff:signup", args=[event.pk])
    response = client.get(url, {"q": "Zéphyrine"})
    body = response.content.decode()
    assert response.status_code == 200
    assert own.last_name in body
    assert foreign.last_name not in body
    response = client.get(url, {"q": foreign.email})
    # The search box repeats the query; what follows the search form must not hold the address.
    after_search = response.content.decode().split('id="id_q"', 1)[-1].split("</form>", 1)[-1]
    assert foreign.email not in after_search
    response = client.get(url, {"personne": str(foreign.pk)})
    body = response.content.decode()
    assert foreign.last_name not in body and foreign.email not in body
    response = client.get(url, {"personne": str(own.pk)})
    assert own.email in response.content.decode()


def test_person_search_finds_a_person_booked_on_the_territorys_events(client, world):
    """Someone with no territory recorded, already booked on a Lyon 8 event, is found."""
    from events.signup import rules as signup

    lyon8 = world.territories["Lyon 8"]
    event = factories.EventFactory(territory=lyon8)
    other = factories.EventFactory(territory=lyon8)
    outcome = signup.register(
        event_id=other.pk,
        contact=signup.Contact(
            first_name="Octave", last_name="Sansterritoire", email="octave@exemple.fr", phone=""
        ),
        participants=[signup.ParticipantData(first_name="Octave", age_band="25-59")],
        consent_text="ok",
    )
    person = outcome.registration.person
    person.territory = None
    person.save(update_fields=["territory"])
    login_as(client, world, MEDIATOR_LYON_8)
    response = client.get(reverse("staff:signup", args=[event.pk]), {"q": "Sansterritoire"})
    assert f"?personne={person.pk}#" in response.content.decode()
    login_as(client, world, "mediator_lyon_9")
    event9 = factories.EventFactory(territory=world.territories["Lyon 9"])
    response = client.get(reverse("staff:signup", args=[event9.pk]), {"q": "Sansterritoire"})
    assert f"?personne={person.pk}#" not in response.content.decode()


# -- finding 9: choosers and the site history report ---------------------------------------------

CHOOSERS = [
    ("community", "voice"),
    ("community", "referencetenant"),
    ("community", "followup"),
    ("community", "workinggroup"),
    ("community", "joinrequest"),
    ("community", "residencediagnosis"),
    ("community", "residence"),
    ("community", "territory"),
    ("events", "event"),
    ("events", "cafeseries"),
    ("events", "seatgroup"),
    ("cms", "submission"),
]


@pytest.mark.parametrize("app_label,model_name", CHOOSERS, ids=[c[1] for c in CHOOSERS])
def test_choosers_list_no_foreign_label(client, world, app_label, model_name):
    newcomer_submission(world)
    login_as(client, world, MEDIATOR_LYON_8)
    namespace = f"wagtailsnippetchoosers_{app_label}_{model_name}"
    for name in ("choose", "choose_results"):
        response = client.get(reverse(f"{namespace}:{name}"))
        assert response.status_code in (200, 403), name
        assert_hides(response, world, extra=["Lyon 9", "Neuvième"])
    target = world.objects.get(model_name)
    if target is not None:
        response = client.get(reverse(f"{namespace}:chosen", args=[target.pk]))
        assert response.status_code in (403, 404)
        response = client.get(reverse(f"{namespace}:chosen_multiple"), {"id": [target.pk]})
        assert_hides(response, world)


def test_subscribers_chooser_shows_no_name_to_a_mediator(client, world):
    person = factories.PersonFactory(first_name="Abonnée", last_name="Secrète")
    Subscription.objects.create(person=person)
    login_as(client, world, MEDIATOR_LYON_8)
    response = client.get(reverse("wagtailsnippetchoosers_cms_subscription:choose"))
    assert "Secrète" not in response.content.decode()


def test_site_history_shows_no_foreign_object(client, world):
    manager = world.users[MANAGER]
    for key in ("voice", "referencetenant", "followup", "workinggroup", "joinrequest"):
        log(instance=world.objects[key], action="wagtail.edit", user=manager)
    log(instance=world.objects["followup"], action=services.FOLLOW_UP_VIEW_ACTION, user=manager)
    log(instance=world.objects["own voice"], action="wagtail.edit", user=manager)
    login_as(client, world, MEDIATOR_LYON_8)
    for url in ("/admin/reports/site-history/", "/admin/reports/site-history/results/"):
        response = client.get(url)
        assert response.status_code == 200
        assert_hides(response, world)
    assert "Parole de Mermoz" in client.get("/admin/reports/site-history/").content.decode()
    response = client.get("/admin/reports/site-history/?export=csv")
    body = b"".join(response.streaming_content).decode()
    assert FOREIGN_VOICE not in body and "Parole de Mermoz" in body
    login_as(client, world, MANAGER)
    assert FOREIGN_VOICE in client.get("/admin/reports/site-history/").content.decode()


def test_usage_of_a_shared_landlord_names_no_foreign_residence(client, world):
    landlord = factories.LandlordFactory(name="Bailleur commun")
    chateau = world.objects["Résidence Le Château"]
    chateau.landlord = landlord
    chateau.save()
    from wagtail.models import ReferenceIndex

    ReferenceIndex.create_or_update_for_object(chateau)
    # A mediator allowed to edit organisations opens the landlord's usage page.
    world.users[MEDIATOR_LYON_8].user_permissions.add(
        Permission.objects.get(content_type__app_label="community", codename="change_organisation")
    )
    login_as(client, world, MEDIATOR_LYON_8)
    response = client.get(f"/admin/snippets/community/organisation/usage/{landlord.pk}/")
    assert response.status_code == 200
    assert "Résidence Le Château" not in response.content.decode()


# -- finding 10: listing exports -----------------------------------------------------------------

FORMULA = '=HYPERLINK("http://exemple.invalid","cliquez")'


def test_voice_listing_export_neutralises_formulas_in_csv_and_xlsx(client, world):
    from openpyxl import load_workbook

    factories.VoiceFactory(territory=world.territories["Lyon 8"], text=FORMULA)
    login_as(client, world, MANAGER)
    response = client.get("/admin/snippets/community/voice/?export=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert "'" + FORMULA.replace('"', '""') in body
    assert ',"=HYPERLINK' not in body and ",=HYPERLINK" not in body
    response = client.get("/admin/snippets/community/voice/?export=xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [cell.value for row in workbook.active.iter_rows() for cell in row]
    assert "'" + FORMULA in values
    assert FORMULA not in values


@pytest.mark.parametrize(
    "path,make",
    [
        (
            "/admin/snippets/community/joinrequest/",
            lambda w: factories.JoinRequestFactory(
                working_group=factories.WorkingGroupFactory(territory=w.territories["Lyon 8"]),
                name=FORMULA,
            ),
        ),
        (
            "/admin/snippets/events/event/",
            lambda w: factories.EventFactory(territory=w.territories["Lyon 8"], title=FORMULA),
        ),
    ],
    ids=["joinrequest", "event"],
)
def test_other_listing_exports_neutralise_formulas(client, world, path, make):
    make(world)
    login_as(client, world, MANAGER)
    response = client.get(path + "?export=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert "'" + FORMULA.replace('"', '""') in body
