"""A resident builds a programme of three sessions of the mediation day on a phone, one of
them full: the two others are confirmed, the full one waitlisted, and one email carries the
whole programme with one calendar file. The day's pages have no axe violation."""

import icalendar
import pytest
from playwright.sync_api import expect

from cms.demo import site as cms_demo
from cms.models import MediationDayIndexPage, MediationDayPage
from community.demo import records as community_demo
from events.models import Event
from events.models.bookings import Registration
from tests.cms.mediation_day_helpers import make_day_page
from tests.events.programme_helpers import add_session
from tests.events.signup_helpers import register
from tests.support.browser import assert_no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_resident_builds_a_programme_of_three_sessions_one_full(
    page, live_server, home_page, smtp_sink, settings
):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    day = make_day_page(home_page, banner_from=None, map_alt="")
    programme = day.programme
    add_session(programme, "Table ronde : bailleurs et habitants", "10:00", "11:00")
    add_session(programme, "Atelier jeunesse", "10:30", "11:30", track=1)
    full = add_session(programme, "Forum des bailleurs", "14:00", "15:00", capacity=1)
    add_session(programme, "Atelier du soir", "15:00", "16:00", track=1)
    register(full)

    page.goto(day.get_parent().url)
    assert_no_axe_violations(page)
    page.get_by_role("link", name=day.title).click()
    expect(page.get_by_text("complet : liste d'attente")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Composer mon programme et m'inscrire").click()
    assert_no_axe_violations(page)

    # First try: two sessions at the same time are refused, the choices are kept.
    page.get_by_label("Table ronde : bailleurs et habitants").check()
    page.get_by_label("Atelier jeunesse").check()
    page.get_by_label("Forum des bailleurs").check()
    page.get_by_role("textbox", name="Prénom", exact=True).fill("Hawa")
    page.get_by_role("textbox", name="Nom", exact=True).fill("Camara")
    page.get_by_label("Adresse électronique", exact=True).fill("hawa@exemple.fr")
    page.get_by_label("Ma tranche d'âge").select_option("25-59")
    page.get_by_label("J'accepte que Vivre Ensemble enregistre").check()
    page.get_by_role("button", name="Envoyer mon programme").click()
    expect(page.get_by_text("ont lieu en même temps")).to_be_visible()
    expect(page.get_by_label("Forum des bailleurs")).to_be_checked()
    expect(page.get_by_label("Table ronde : bailleurs et habitants")).to_be_checked()
    assert_no_axe_violations(page)

    page.get_by_label("Atelier jeunesse").uncheck()
    page.get_by_label("Atelier du soir").check()
    page.get_by_label("J'accepte que Vivre Ensemble enregistre").check()
    page.get_by_role("button", name="Envoyer mon programme").click()

    # The answer names no one: the statuses and the link come by email.
    expect(page.get_by_role("heading", name="Merci, votre demande est bien reçue")).to_be_visible()
    assert "liste d'attente" not in page.content()
    assert_no_axe_violations(page)

    statuses = dict(
        Registration.objects.filter(person__email="hawa@exemple.fr").values_list(
            "event__title", "status"
        )
    )
    assert statuses == {
        "Table ronde : bailleurs et habitants": "confirmed",
        "Forum des bailleurs": "waitlisted",
        "Atelier du soir": "confirmed",
    }
    [email] = smtp_sink.to("hawa@exemple.fr")
    assert email.subject.startswith("Votre programme : Journée de la médiation sociale")
    assert "Forum des bailleurs (Habiter ensemble) : liste d'attente, rang 1" in email.text()
    [ics] = [
        part
        for part in email.message.iter_attachments()
        if part.get_content_type() == "text/calendar"
    ]
    summaries = {
        str(v["summary"]) for v in icalendar.Calendar.from_ical(ics.get_content()).walk("VEVENT")
    }
    assert summaries == set(statuses)
    assert Event.objects.get(title="Atelier jeunesse").registrations.count() == 0


def test_a_partner_asks_for_a_stand_on_a_phone(page, live_server, home_page):
    day = make_day_page(home_page)
    page.goto(day.url)
    page.get_by_role("link", name="Vous êtes un partenaire ? Demandez un stand").click()
    assert_no_axe_violations(page)
    page.get_by_label("Nom de l'organisation, si elle n'est pas dans la liste").fill(
        "Association des locataires de Mermoz"
    )
    page.get_by_label("Personne à contacter").fill("Karen Martin")
    page.get_by_label("Nous avons besoin d'une table").check()
    page.get_by_label("J'accepte que Vivre Ensemble enregistre").check()
    page.get_by_role("button", name="Envoyer la demande").click()
    # No email nor phone: a clear message, what was typed is kept.
    expect(page.get_by_text("Indiquez une adresse électronique ou un téléphone")).to_be_visible()
    expect(page.get_by_label("Personne à contacter")).to_have_value("Karen Martin")
    assert_no_axe_violations(page)
    page.get_by_label("Téléphone").fill("04 72 52 23 80")
    page.get_by_label("J'accepte que Vivre Ensemble enregistre").check()
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_text("Merci : votre demande de stand est enregistrée.")).to_be_visible()
    assert_no_axe_violations(page)
    from cms.models import StandRequest

    stand = StandRequest.objects.get()
    assert (stand.organisation_name, stand.contact_phone, stand.needs_table) == (
        "Association des locataires de Mermoz",
        "+33472522380",
        True,
    )


@pytest.fixture
def demo_days(transactional_db):
    community_demo.seed("mot-de-passe-demo-1")
    return cms_demo.seed()


def test_every_page_of_the_demo_days_works_with_the_keyboard_on_a_phone(page, demo_days):
    """The timeline and the report's table at 360 px: whatever scrolls sideways can be reached
    and scrolled with the keyboard, and is named (axe `scrollable-region-focusable`)."""
    index = MediationDayIndexPage.objects.get()
    days = list(MediationDayPage.objects.live().child_of(index))
    assert len(days) == 2
    urls = [index.url] + [day.url for day in days] + [days[0].url + "programme/"]
    for url in urls:
        page.goto(url)
        assert_no_axe_violations(page)
        scrollers = page.evaluate(
            """() => [...document.querySelectorAll('main *')].filter(el => {
                 const style = getComputedStyle(el);
                 return ['auto', 'scroll'].includes(style.overflowX)
                   && el.scrollWidth > el.clientWidth;
               }).map(el => [el.tabIndex, el.getAttribute('role'), el.getAttribute('aria-label')
                   || el.getAttribute('aria-labelledby')])"""
        )
        for tab_index, role, name in scrollers:
            assert (tab_index, role) == (0, "region") and name, f"{url}: {scrollers}"
