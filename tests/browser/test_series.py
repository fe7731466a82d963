"""At 360 px: a resident follows the États-Unis Café Médiation, proposes a topic, supports
another, and says "I can't come" from the reminder's link; a mediator publishes a session's
summary. 0 axe violations on each page."""

import datetime as dt

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from community import roles
from events.models import Event, SeriesFollow, SessionSummary, Topic
from events.models.bookings import Registration
from events.outbox import delivery
from events.series import rules as series
from events.signup import rules as signup
from tests.browser.test_checkin import sign_in
from tests.events.series_helpers import follower_contact, make_series
from tests.factories import PersonFactory, StaffFactory
from tests.support.browser import assert_no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def link_in(text: str, prefix: str) -> str:
    return next(word for word in text.split() if word.startswith(prefix))


def test_resident_follows_proposes_supports_and_cannot_come(
    page, live_server, home_page, territories, smtp_sink, settings
):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    cafe = make_series(territories["Lyon 8"], title="Café Médiation des États-Unis", capacity=1)
    series.sync_series(cafe.pk)
    topic = series.propose_topic(
        series_id=cafe.pk, person=PersonFactory(), text="Les encombrants au pied des immeubles"
    )
    series.moderate_topic(topic.pk, Topic.Status.APPROVED)
    waiting = series.follow(
        series_id=cafe.pk, contact=follower_contact(9), age_band="60+", consent_text="ok"
    )  # will wait: she comes second

    page.goto(cafe.get_absolute_url())
    expect(
        page.get_by_role("heading", name="Café Médiation des États-Unis", level=1)
    ).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("textbox", name="Prénom", exact=True).fill("Hawa")
    page.get_by_role("textbox", name="Nom", exact=True).fill("Camara")
    page.get_by_label("Adresse électronique", exact=True).fill("hawa@exemple.fr")
    page.get_by_label("Ma tranche d'âge").select_option("25-59")
    page.get_by_role("button", name="Suivre ce cycle").click()
    # Without consent, nothing is written.
    expect(page.get_by_text("Le formulaire contient des erreurs")).to_be_visible()
    assert_no_axe_violations(page)
    assert not SeriesFollow.objects.filter(person__email="hawa@exemple.fr").exists()
    page.get_by_label("J'accepte que Vivre Ensemble enregistre").check()
    page.get_by_role("button", name="Suivre ce cycle").click()

    # The answer is the same for every visitor and names no one: the follow page's link is
    # emailed to the address given.
    expect(page.get_by_role("heading", name="Merci, votre demande est bien reçue")).to_be_visible()
    assert_no_axe_violations(page)
    delivery.send_due()
    follow_link = link_in(
        "\n".join(m.text() for m in smtp_sink.to("hawa@exemple.fr")),
        live_server.url + "/evenements/cafes/suivi/",
    )
    page.goto(follow_link)
    expect(page.get_by_role("heading", name="Mon suivi")).to_be_visible()
    hawa = SeriesFollow.objects.get(person__email="hawa@exemple.fr")
    sessions = Event.objects.filter(series_session__series=cafe).count()
    # The first follower took every single seat; Hawa waits on each session.
    assert Registration.objects.waitlisted().filter(person=hawa.person).count() == sessions

    page.get_by_label("Le sujet que vous proposez").fill("Un jardin partagé avec les jeunes")
    page.get_by_role("button", name="Proposer ce sujet").click()
    expect(page.get_by_text("Merci ! Votre sujet sera affiché")).to_be_visible()
    assert Topic.objects.get(text="Un jardin partagé avec les jeunes").status == "pending"
    page.get_by_role("button", name="Je soutiens : Les encombrants au pied des immeubles").click()
    expect(page.get_by_text("Votre soutien est enregistré.")).to_be_visible()
    assert_no_axe_violations(page)
    assert topic.supports.filter(person=hawa.person).count() == 1

    # The first follower gets the reminder and cannot come: Hawa takes the seat.
    first_event = Event.objects.filter(series_session__series=cafe).order_by("start").first()
    signup.send_reminders(now=first_event.start - dt.timedelta(hours=24))
    delivery.send_due()
    [reminder] = [m for m in smtp_sink.to("voisin9@exemple.fr") if m.subject.startswith("Rappel")]
    page.goto(link_in(reminder.text(), live_server.url + "/evenements/inscriptions/"))
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Libérer ma place").click()
    expect(page.get_by_text("Votre place est libérée")).to_be_visible()
    assert_no_axe_violations(page)
    mine = Registration.objects.get(person=waiting.person, event=first_event)
    assert mine.status == Registration.Status.CANCELLED
    promoted = Registration.objects.get(person=hawa.person, event=first_event)
    assert promoted.status == Registration.Status.CONFIRMED
    assert Registration.objects.confirmed().filter(person=waiting.person).count() == sessions - 1
    delivery.send_due()
    assert any(
        "Place" in m.subject or "place" in m.subject for m in smtp_sink.to("hawa@exemple.fr")
    )


def test_mediator_publishes_a_summary(page, live_server, home_page, territories):
    mediator = StaffFactory(role=roles.MEDIATOR, territories=[territories["Lyon 8"]])
    begin = timezone.now() - dt.timedelta(days=10)
    cafe = make_series(
        territories["Lyon 8"],
        title="Café Médiation des États-Unis",
        start_date=timezone.localdate(begin),
        weekday=timezone.localdate(begin + dt.timedelta(days=1)).weekday(),
    )
    series.sync_series(cafe.pk, now=begin)
    past = Event.objects.filter(series_session__series=cafe, start__lte=timezone.now()).first()
    sign_in(page, live_server, mediator)

    page.goto("/equipe/cafes/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Café Médiation des États-Unis").click()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=f"rédiger : {past.start:%d/%m/%Y}").first.click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Publier le compte rendu").click()
    expect(page.get_by_text("Le formulaire contient des erreurs")).to_be_visible()
    page.get_by_label("Compte rendu de la séance").fill(
        "Douze voisins autour de la table ; le bruit dans les halls revient souvent."
    )
    page.get_by_role("button", name="Publier le compte rendu").click()
    expect(page.get_by_text("Le compte rendu est publié")).to_be_visible()
    expect(page.get_by_text("le bruit dans les halls revient souvent")).to_be_visible()
    assert_no_axe_violations(page)
    assert SessionSummary.objects.get(event=past).author == mediator
