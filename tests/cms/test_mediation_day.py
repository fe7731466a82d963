"""The mediation day's pages: the index, the day's page, the booking form, stand requests
and their review emails, the home-page banner, the report, the registries, the demo."""

import datetime as dt
import urllib.parse

from django.core import mail
from django.utils import timezone

import pytest

from cms.mediation_day import stands
from cms.models import (
    MediationDayPartner,
    MediationDayPhoto,
    StandRequest,
)
from community.models import Person
from community.registries import Period, indicators, personal_data
from events.models.attendance import WalkIn
from events.models.bookings import Registration
from events.models.programme import Programme
from tests.cms.mediation_day_helpers import make_day_page
from tests.cms.test_query_counts import picture
from tests.events.programme_helpers import add_session, make_programme
from tests.events.signup_helpers import register
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

R = Registration.Status
DAY_PAGE_MAX_QUERIES = 24  # the base template, the page, its language and translations, the day


@pytest.fixture
def day(home_page):
    page = make_day_page(home_page)
    programme = page.programme
    add_session(programme, "Table ronde", "10:00", "11:00")
    add_session(programme, "Atelier jeunesse", "10:30", "11:30", track=1)
    add_session(programme, "Forum des bailleurs", "14:00", "15:00", capacity=1)
    return page


def booking_data(day, *titles, **extra):
    from events.models import Event

    ids = [str(Event.objects.get(title=t).pk) for t in titles]
    data = {
        "sessions": ids,
        "first_name": "Hawa",
        "last_name": "Camara",
        "email": "hawa@exemple.fr",
        "phone": "",
        "participates": "on",
        "age_band": "25-59",
        "accept_waitlist": "on",
        "consent": "on",
        "submission_key": "cle-1",
    }
    data.update(extra)
    return data


def test_the_day_page_shows_the_timeline_with_seats_left(client, day):
    from events.models import Event

    register(Event.objects.get(title="Forum des bailleurs"))
    html = client.get(day.url).content.decode()
    assert "Table ronde" in html and "Atelier jeunesse" in html
    assert "20 places restantes" in html
    assert "complet : liste d&#x27;attente" in html or "complet : liste d'attente" in html
    assert "Composer mon programme" in html


def test_the_index_shows_the_coming_day_first_and_the_archive(client, home_page):
    coming = make_day_page(home_page)
    past = make_day_page(home_page, make_programme(year=coming.programme.year - 1, days_ahead=-335))
    response = client.get(coming.get_parent().url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(coming.title) < html.index("Les journées passées") < html.index(past.title)


def test_booking_three_sessions_one_full_from_the_page(
    client, day, django_capture_on_commit_callbacks
):
    from events.models import Event

    forum = Event.objects.get(title="Forum des bailleurs")
    register(forum)
    add_session(day.programme, "Atelier du soir", "16:00", "17:00", track=1)
    url = day.url + "programme/"
    assert client.get(url).status_code == 200
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, booking_data(day, "Table ronde", "Forum des bailleurs", "Atelier du soir")
        )
    assert response.status_code == 302
    statuses = dict(
        Registration.objects.filter(person__email="hawa@exemple.fr").values_list(
            "event__title", "status"
        )
    )
    assert statuses == {
        "Table ronde": R.CONFIRMED,
        "Forum des bailleurs": R.WAITLISTED,
        "Atelier du soir": R.CONFIRMED,
    }
    [email] = [m for m in mail.outbox if m.to == ["hawa@exemple.fr"]]
    assert email.subject.startswith("Votre programme")
    # The answer names no booking; the email carries the link and what was confirmed.
    page = client.get(response["Location"]).content.decode()
    assert response["Location"] == day.url + "programme/demande-recue/"
    assert "/inscriptions/" not in page and day.url in page
    link = next(w for w in email.body.split() if "/evenements/inscriptions/" in w)
    booking_page = client.get(urllib.parse.urlsplit(link).path).content.decode()
    assert "Table ronde" in booking_page and "Atelier du soir" in booking_page


def test_overlapping_choice_is_refused_on_the_form_and_the_choices_are_kept(client, day):
    response = client.post(
        day.url + "programme/",
        booking_data(day, "Table ronde", "Atelier jeunesse", "Forum des bailleurs"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "ont lieu en même temps" in html
    assert html.count(" checked") >= 3  # the three ticked sessions stay ticked
    assert 'value="Hawa"' in html
    assert not Registration.objects.exists()


def test_no_session_chosen_is_a_clear_message(client, day):
    data = booking_data(day)
    response = client.post(day.url + "programme/", data)
    assert response.status_code == 400
    assert "Choisissez au moins une séance." in response.content.decode()


def test_a_full_session_without_the_waitlist_is_a_clear_message(client, day):
    from events.models import Event

    register(Event.objects.get(title="Forum des bailleurs"))
    data = booking_data(day, "Table ronde", "Forum des bailleurs")
    del data["accept_waitlist"]
    response = client.post(day.url + "programme/", data)
    assert response.status_code == 400
    assert "« Forum des bailleurs » : Il reste 0 place(s)" in response.content.decode()
    assert Registration.objects.filter(person__email="hawa@exemple.fr").count() == 0


def stand_data(**extra):
    data = {
        "organisation": "",
        "organisation_name": "Association des locataires",
        "contact_name": "Karen Martin",
        "contact_email": "karen@asso.example",
        "contact_phone": "",
        "needs_table": "on",
        "consent": "on",
    }
    data.update(extra)
    return data


def test_a_stand_request_without_contact_is_refused_with_a_message(client, day):
    response = client.post(day.url + "stand/", stand_data(contact_email=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Indiquez une adresse électronique ou un téléphone" in html
    assert 'value="Association des locataires"' in html
    assert not StandRequest.objects.exists()


def test_stand_request_then_each_decision_emails_the_contact_once(
    client, day, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory(name="ADSEA")
    response = client.post(
        day.url + "stand/", stand_data(organisation=organisation.pk, organisation_name="")
    )
    assert response.status_code == 302
    stand = StandRequest.objects.get()
    assert (stand.organisation, stand.organisation_name, stand.status) == (
        organisation,
        "ADSEA",
        "pending",
    )
    mail.outbox.clear()
    for status, subject in [
        ("waitlisted", "Votre demande de stand est en liste d'attente"),
        ("accepted", "Votre stand est accepté"),
        ("refused", "Votre demande de stand"),
    ]:
        with django_capture_on_commit_callbacks(execute=True):
            stands.decide(stand.pk, status)
        assert mail.outbox[-1].to == ["karen@asso.example"]
        assert mail.outbox[-1].subject.startswith(subject)
    assert len(mail.outbox) == 3
    # The same decision again, or the task run again: no second email.
    with django_capture_on_commit_callbacks(execute=True):
        stands.decide(stand.pk, "refused")
    assert stands.email_decision(stand.pk) is False
    assert len(mail.outbox) == 3
    with pytest.raises(stands.StandError):
        stands.decide(stand.pk, "maybe")


def test_accepted_stands_only_are_listed_on_the_page(client, day):
    for name, status in [("ADSEA", "accepted"), ("LMH", "refused"), ("CAF du Rhône", "pending")]:
        StandRequest.objects.create(
            page=day,
            organisation_name=name,
            contact_email="a@b.example",
            consent_text="ok",
            status=status,
        )
    html = client.get(day.url).content.decode()
    assert "ADSEA" in html and "LMH" not in html and "CAF du Rhône" not in html


def test_stand_review_in_the_admin(client, day, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import Group

    from community import roles
    from tests.factories import UserFactory

    roles.sync_roles()
    staff = UserFactory(is_staff=True)
    staff.groups.add(Group.objects.get(name=roles.COMMUNICATION))
    client.force_login(staff)
    stand = StandRequest.objects.create(
        page=day, organisation_name="ADSEA", contact_email="a@b.example", consent_text="ok"
    )
    url = f"/admin/snippets/cms/standrequest/decide/{stand.pk}/"
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"status": "accepted"})
    assert response.status_code == 302
    stand.refresh_from_db()
    assert (stand.status, stand.decided_by) == ("accepted", staff)
    assert [m.to for m in mail.outbox] == [["a@b.example"]]
    listing = client.get("/admin/snippets/cms/standrequest/")
    assert listing.status_code == 200 and "ADSEA" in listing.content.decode()


def test_home_banner_shows_in_the_weeks_before_the_day(client, home_page):
    page = make_day_page(home_page)
    date = page.programme.date
    for banner_from, shown in [
        (None, False),
        (date - dt.timedelta(days=60), True),
        (date - dt.timedelta(days=5), False),
    ]:
        page.banner_from = banner_from
        page.save_revision().publish()
        html = client.get("/").content.decode()
        assert (
            "Découvrir le programme et s&#x27;inscrire" in html
            or "Découvrir le programme et s'inscrire" in html
        ) is shown, banner_from
    Programme.objects.filter(pk=page.programme_id).update(
        date=timezone.localdate() - dt.timedelta(days=1)
    )
    page.banner_from = timezone.localdate() - dt.timedelta(days=30)
    page.save_revision().publish()
    assert "Découvrir le programme" not in client.get("/").content.decode()


def test_the_report_shows_attendance_per_session_and_photos_with_alt(client, home_page):
    programme = make_programme(year=2020, days_ahead=-400)
    session = add_session(programme, "Table ronde", "10:00", "11:00")
    WalkIn.objects.create(event=session, count=7, age_band="25-59", client_key="k")
    page = make_day_page(home_page, programme, report_text="<p>Une belle journée.</p>")
    MediationDayPhoto.objects.create(page=page, image=picture(1), alt="La table ronde en cercle")
    html = client.get(page.url).content.decode()
    assert "Le bilan de la journée" not in html
    page.report_published = True
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "Une belle journée." in html
    assert "Participation par séance (7 présences en tout)" in html
    assert 'alt="La table ronde en cercle"' in html


def day_page_queries(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # renditions are made on the first view
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def grow(page, n):
    programme = page.programme
    for i in range(n):
        add_session(
            programme, f"Séance {i}", f"{9 + i % 8:02d}:00", f"{9 + i % 8:02d}:45", track=i % 2
        )
        organisation = OrganisationFactory(name=f"Partenaire {page.pk}-{i}", logo=picture(i))
        MediationDayPartner.objects.create(page=page, organisation=organisation, sort_order=i)
        StandRequest.objects.create(
            page=page,
            organisation=organisation,
            organisation_name=organisation.name,
            contact_email="a@b.example",
            consent_text="ok",
            status="accepted",
        )


@pytest.mark.parametrize("url_suffix", ["", "programme/"])
def test_day_page_queries_do_not_grow_with_sessions_and_partners(
    client, home_page, url_suffix, django_assert_max_num_queries
):
    small = make_day_page(home_page, report_published=True)
    grow(small, 1)
    big = make_day_page(home_page, make_programme(year=2031), report_published=True)
    grow(big, 12)
    small_count = day_page_queries(client, small.url + url_suffix, django_assert_max_num_queries)
    big_count = day_page_queries(client, big.url + url_suffix, django_assert_max_num_queries)
    assert small_count == big_count, (small_count, big_count)
    assert big_count <= DAY_PAGE_MAX_QUERIES


def test_stand_contacts_in_the_registries(day):
    StandRequest.objects.create(
        page=day,
        organisation_name="ADSEA",
        contact_name="Karen",
        contact_email="karen@asso.example",
        consent_text="ok",
        status="accepted",
    )
    person = Person.objects.create(
        first_name="Karen", last_name="M", email="karen@asso.example", email_verified=True
    )
    exported = personal_data.export(person)["cms.stand_requests"]
    assert [row["organisation"] for row in exported] == ["ADSEA"]
    personal_data.handlers["cms.stand_requests"].erase(person)
    stand = StandRequest.objects.get()
    assert (stand.contact_name, stand.contact_email, stand.organisation_name) == ("", "", "ADSEA")
    date = day.programme.date
    period = Period(date.replace(month=1, day=1), date.replace(month=12, day=31))
    assert indicators.compute("cms.stands_held", period) == 1
    assert indicators.compute("cms.stands_held", period, [day.programme.territory_id + 1000]) == 0


def test_stands_held_count_only_accepted_stands(day):
    """Accepted: Avenir Santé and the Bibliothèque Duchère. Not held: a refused stand, one
    waiting to be examined and one on the waiting list."""
    for name, status in (
        ("Avenir Santé", "accepted"),
        ("Bibliothèque Duchère", "accepted"),
        ("Piscines de Lyon", "refused"),
        ("Festival d'Art et d'Air", "pending"),
        ("Entreprise d'énergie", "waitlisted"),
    ):
        StandRequest.objects.create(
            page=day,
            organisation_name=name,
            contact_name="Contact",
            contact_email=f"{len(name)}@asso.example",
            consent_text="ok",
            status=status,
        )
    date = day.programme.date
    period = Period(date.replace(month=1, day=1), date.replace(month=12, day=31))
    assert indicators.compute("cms.stands_held", period) == 2
    assert indicators.compute("cms.stands_held", period, [day.programme.territory_id]) == 2
    assert indicators.compute("cms.stands_held", period, [day.programme.territory_id + 1000]) == 0
    next_year = Period(
        period.start.replace(year=date.year + 1), period.end.replace(year=date.year + 1)
    )
    assert indicators.compute("cms.stands_held", next_year) == 0


def test_the_admin_screens_of_the_day_open_for_a_manager(client, day):
    from django.contrib.auth.models import Group

    from community import roles
    from tests.factories import UserFactory

    roles.sync_roles()
    manager = UserFactory(is_staff=True)
    manager.groups.add(Group.objects.get(name=roles.MANAGER))
    client.force_login(manager)
    programme = day.programme
    session = programme.tracks.first().sessions.first()
    for url in [
        "/admin/snippets/events/programme/",
        "/admin/snippets/events/programme/add/",
        f"/admin/snippets/events/programme/edit/{programme.pk}/",
        f"/admin/snippets/events/event/edit/{session.pk}/",
        "/admin/snippets/cms/standrequest/",
    ]:
        assert client.get(url).status_code == 200, url
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(f"/admin/pages/{day.pk}/edit/").status_code == 200


def test_the_days_pages_and_forms_are_valid_html(client, day, tmp_path):
    import json
    import shutil
    import subprocess

    from tests.cms.test_html_validity import VNU

    pages = {
        "index": client.get(day.get_parent().url),
        "day": client.get(day.url),
        "booking": client.get(day.url + "programme/"),
        "booking-errors": client.post(
            day.url + "programme/", booking_data(day, "Table ronde", "Atelier jeunesse")
        ),
        "stand": client.get(day.url + "stand/"),
        "stand-errors": client.post(day.url + "stand/", stand_data(contact_email="")),
    }
    files = []
    for name, response in pages.items():
        assert response.status_code in (200, 400), name
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    result = subprocess.run(
        [shutil.which("java"), "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [f"{m.get('url')}: {m['message']}" for m in messages if m.get("type") == "error"]
    assert not errors, "\n".join(errors)
