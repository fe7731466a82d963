"""seed_demo, run twice: nothing doubles, and the second run leaves the whole demo in place
(the service plan, the community records, the site, the charts, the Café Médiation series,
the mediation day and the newsletter).

The seed takes seconds: it runs twice, once for the module, in a transaction of its own that
every test's transaction nests in and that is rolled back after the module; each test checks one
part of what it built.
"""

import datetime as dt
import io
import time
from dataclasses import dataclass

from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone, translation

from wagtail.models import GroupPagePermission, Page

import pytest

from cms.models import (
    AccessibilityStatementPage,
    FormPage,
    HomePage,
    MissionPage,
    NewsletterIssuePage,
    PrivacyPage,
    ServicePage,
    Subscription,
    TerritoryPage,
)
from cms.models import Testimonial as QuoteSnippet
from cms.models.mediation_day import MediationDayPage
from cms.newsletter import rules as newsletter
from community import roles
from community.models import (
    FollowUp,
    Intervention,
    Objective,
    Organisation,
    Person,
    PlanIndicator,
    ReferenceTenant,
    Residence,
    ResidenceDiagnosis,
    Territory,
    User,
    Voice,
    WorkingGroup,
)
from community.permissions import visible_territories
from community.registries import Period, indicators
from events.models import CafeSeries, Event, SeatGroup, SessionSummary, SurveyAnswer, Topic
from events.models.attendance import Attendance
from events.models.bookings import Registration
from events.models.outbox import OutboxMessage
from events.models.programme import Programme

# One worker runs the whole module (`--dist loadgroup` in scripts/test.sh): one seed, not one
# per worker the tests were spread over.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("seed_demo")]

PASSWORD = "mot-de-passe-demo-1"  # noqa: S105 -- the demo accounts of a throwaway database


def _counts() -> dict[str, int]:
    """What a second run must not double."""
    return {
        # The indicators' generated residents (@habitants.invalid) are counted apart.
        "people": Person.objects.exclude(email__endswith="@habitants.invalid").count(),
        "generated people": Person.objects.filter(email__endswith="@habitants.invalid").count(),
        **{
            model.__name__: model.objects.count()
            for model in (
                ReferenceTenant,
                FollowUp,
                WorkingGroup,
                ResidenceDiagnosis,
                Voice,
                Territory,
                Organisation,
                Residence,
                User,
                Intervention,
                Event,
                Registration,
                Page,
            )
        },
    }


@dataclass
class Seeded:
    first: dict[str, int]  # the counts after the first run
    second: dict[str, int]  # and after the second
    output: str  # what the two runs printed
    media_root: object
    private_root: object
    seconds: float


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("demo-media")
    private = tmp_path_factory.mktemp("demo-private")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PRIVATE_MEDIA_ROOT=private),
        translation.override("fr"),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            started = time.monotonic()
            output = io.StringIO()
            call_command("seed_demo", password=PASSWORD, stdout=output)
            first = _counts()
            call_command("seed_demo", password=PASSWORD, stdout=output)
            second = _counts()
            yield Seeded(
                first, second, output.getvalue(), media, private, time.monotonic() - started
            )
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def demo(seeded, settings):
    """The seeded demo, with the image files the seed wrote (each test gets its own media
    folder otherwise)."""
    settings.MEDIA_ROOT = seeded.media_root
    settings.PRIVATE_MEDIA_ROOT = seeded.private_root
    return seeded


def test_a_second_run_doubles_nothing(demo, capsys):
    with capsys.disabled():
        print(f"\n[seed_demo] two runs in {demo.seconds:.0f} s")
    assert demo.second == demo.first
    assert demo.first["generated people"] > 0 and demo.first["Intervention"] > 0


def test_seed_demo_loads_the_service_plan(demo):
    assert set(Territory.objects.values_list("name", flat=True)) == {
        "Lyon 7",
        "Lyon 8",
        "Lyon 9",
        "EMH",
    }
    landlords = Organisation.objects.filter(kind=Organisation.Kind.LANDLORD).values_list(
        "name", flat=True
    )
    assert {"GLH", "LMH", "Alliade Habitat", "SACVL", "OPAC"} <= set(landlords)
    assert {"Albert Laurent", "Le Château", "Cours Bayard", "Patel"} <= set(
        Residence.objects.values_list("name", flat=True)
    )
    assert "Admin login: admin@vivre-ensemble.localhost / password: mot-de-passe-demo-1" in (
        demo.output
    )
    admin = User.objects.get(email="admin@vivre-ensemble.localhost")
    assert admin.is_superuser and admin.check_password(PASSWORD)
    lyon8 = User.objects.get(email="mediatrice.lyon8@vivre-ensemble.localhost")
    assert [t.name for t in visible_territories(lyon8)] == ["Lyon 8"]
    # The whole service plan of the seed, once: 50 operational objectives, 46 indicators.
    assert (Objective.objects.count(), PlanIndicator.objects.count()) == (50, 46)


def test_the_demo_holds_the_service_plans_community_records_once(demo):
    first = [
        demo.first[key]
        for key in (
            "people",
            "ReferenceTenant",
            "FollowUp",
            "WorkingGroup",
            "ResidenceDiagnosis",
            "Voice",
        )
    ]
    # people: the 4 reference tenants, the 5 followers of the Café Médiation demo and
    # the 4 newsletter subscribers who are not also followers
    assert first == [13, 4, 5, 2, 1, 5]
    groups = {
        group.theme: group.residence.name
        for group in WorkingGroup.objects.select_related("residence")
    }
    assert groups == {
        "Tri et encombrants à Mermoz": "Mermoz Nord",
        "Projet de résidence au Château": "Le Château",
    }
    assert ResidenceDiagnosis.objects.get().residence.name == "Patel"
    assert set(Voice.objects.values_list("territory__name", flat=True)) == {
        "Lyon 7",
        "Lyon 8",
        "Lyon 9",
        "EMH",
    }
    assert all(f.mediator is not None for f in FollowUp.objects.all())


def test_seed_demo_builds_the_whole_site_once(demo):
    assert set(MissionPage.objects.values_list("title", flat=True)) == {
        "Gestion des conflits",
        "Mise en relation",
        "Assistance aux personnes",
        "Veille technique",
    }
    assert ServicePage.objects.count() == 6
    assert {p.territory.name for p in TerritoryPage.objects.select_related("territory")} == {
        "Lyon 7",
        "Lyon 8",
        "Lyon 9",
        "EMH",
    }
    assert {"Hibaaq", "Quentin", "Maimouna", "Karen"} <= set(
        QuoteSnippet.objects.values_list("first_name", flat=True)
    )
    # One privacy page, translated into English and Arabic.
    privacy = PrivacyPage.objects.live().filter(locale__language_code="fr")
    assert privacy.count() == 1
    assert {p.locale.language_code for p in privacy.get().get_translations()} == {"en", "ar"}
    assert AccessibilityStatementPage.objects.live().count() == 1
    assert set(FormPage.objects.values_list("kind", flat=True)) == {"contact", "newcomer"}
    home = HomePage.objects.get(locale__language_code="fr")
    assert home.testimonial_items.count() == 5
    assert home.partner_items.count() >= 3
    for page in MissionPage.objects.all():
        assert page.image is not None and page.image_alt
    # Given by community.roles on the root page (so on the whole tree), not by the demo.
    granted = set(
        GroupPagePermission.objects.filter(
            group__name=roles.COMMUNICATION, page=home.get_parent()
        ).values_list("permission__codename", flat=True)
    )
    assert {"add_page", "change_page", "publish_page"} <= granted


def test_seed_demo_fills_every_chart_once(demo):
    year_2015 = Period(dt.date(2015, 1, 1), dt.date(2015, 12, 31))
    assert (
        indicators.compute("community.interventions_by_kind", year_2015)["Mise en relation"] == 1070
    )
    last_year = timezone.localdate().year - 1
    period = Period(dt.date(last_year, 1, 1), dt.date(last_year, 12, 31))
    by_territory = indicators.items["events.participations"].by_territory(period, None)
    assert len(by_territory) == 4 and all(by_territory.values())
    by_month = indicators.items["community.interventions"].by_month(period, None)
    assert len(by_month) == 12 and all(by_month.values())
    assert indicators.compute("events.beneficiaries", period) > 0


def test_seed_demo_shows_the_series(demo, client):
    [cafe] = CafeSeries.objects.all()
    assert cafe.territory.name == "Lyon 8" and "États-Unis" in cafe.title
    sessions = Event.objects.filter(series_session__series=cafe)
    assert sessions.filter(start__lte=timezone.now()).count() == 4
    assert sessions.filter(start__gt=timezone.now()).count() >= 5
    assert Attendance.objects.filter(registration__event__in=sessions).exists()
    assert SessionSummary.objects.filter(event__in=sessions).count() == 3
    assert Topic.objects.filter(series=cafe, status="approved").count() == 3
    assert SurveyAnswer.objects.filter(event__in=sessions).count() >= 4
    assert cafe.follows.count() == 5
    assert (
        SeatGroup.objects.filter(event__title__startswith="Atelier intergénérationnel").count() == 2
    )
    page = client.get(cafe.get_absolute_url())
    assert page.status_code == 200
    assert "Créer un jardin partagé" in page.content.decode()


def test_seed_demo_shows_this_years_day_and_last_years_report(demo, client):
    coming, last = MediationDayPage.objects.order_by("-programme__date")
    assert coming.programme.tracks.count() == 2
    assert coming.stand_requests.filter(status="accepted").count() == 3
    assert last.report_published and last.photos.count() == 3
    assert Programme.objects.count() == 2
    html = client.get(coming.url).content.decode()
    assert "Table ronde : bailleurs et habitants" in html
    assert "CAF du Rhône" in html
    report = client.get(last.url).content.decode()
    assert "Participation par séance" in report
    assert "Découvrir le programme" in client.get("/").content.decode()
    assert (
        HomePage.objects.get(locale__language_code="fr")
        .get_children()
        .filter(slug="journee-de-la-mediation")
        .exists()
    )
    assert not OutboxMessage.objects.exists()


def test_the_demo_newsletter_issue_and_its_subscribers(demo):
    issue = NewsletterIssuePage.objects.get()
    assert "médiation" in issue.title.lower() or issue.body
    assert Subscription.objects.filter(state=Subscription.State.ACTIVE).count() == 5
    html = newsletter.render_issue(issue).html
    assert "journée annuelle de la médiation sociale" in html.lower()
    assert "Café Médiation" in html and "tri" in html.lower()
