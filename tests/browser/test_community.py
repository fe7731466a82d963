"""At 360 px: a mediator records a follow-up and a voice after a door-to-door round, and a
resident asks to join a working group from its public page. No axe violation on the way."""

from django.conf import settings
from django.test import Client

import pytest
from playwright.sync_api import expect

from community import roles
from community.models import FollowUp, JoinRequest, Voice
from tests import factories
from tests.support.browser import assert_no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_a_mediator_records_a_follow_up_and_a_voice_from_a_phone(page, live_server, territories):
    lyon8 = territories["Lyon 8"]
    residence = factories.ResidenceFactory(name="Mermoz Nord", territory=lyon8)
    tenant = factories.ReferenceTenantFactory(
        residence=residence, person=factories.PersonFactory(first_name="Fatima", last_name="Benali")
    )
    factories.ReferenceTenantFactory(
        residence=factories.ResidenceFactory(name="Le Château", territory=territories["Lyon 9"])
    )
    factories.VoiceThemeFactory(name="Propreté et tri")
    mediator = factories.StaffFactory(role=roles.MEDIATOR, territories=[lyon8])
    _sign_in(page, live_server, mediator)
    # Wagtail's messages slide in; axe must read their colours at rest, not mid-transition.
    page.emulate_media(reduced_motion="reduce")

    page.goto("/admin/snippets/community/followup/add/")
    options = page.locator("#id_reference_tenant option").all_inner_texts()
    assert "Fatima Benali (Mermoz Nord)" in options
    assert not any("Le Château" in option for option in options)
    page.select_option("#id_reference_tenant", label="Fatima Benali (Mermoz Nord)")
    page.select_option("#id_kind", "meeting")
    page.fill("#id_note", "Porte-à-porte : parle des encombrants du 3e étage.")
    page.get_by_role("button", name="Enregistrer").first.click()
    page.wait_for_url("**/admin/snippets/community/followup/")
    follow_up = FollowUp.objects.get()
    assert (follow_up.reference_tenant_id, follow_up.mediator_id) == (tenant.pk, mediator.pk)

    page.goto("/admin/snippets/community/voice/add/")
    page.fill("#id_text", "Les encombrants restent des semaines au pied de l'immeuble.")
    page.select_option("#id_territory", label="Lyon 8")
    page.select_option("#id_residence", label="Mermoz Nord")
    page.select_option("#id_theme", label="Propreté et tri")
    page.select_option("#id_age_band", "60+")
    page.select_option("#id_source", "door")
    page.get_by_role("button", name="Enregistrer").first.click()
    page.wait_for_url("**/admin/snippets/community/voice/")
    voice = Voice.objects.get()
    assert (voice.territory_id, voice.source, voice.recorded_by_id) == (
        lyon8.pk,
        "door",
        mediator.pk,
    )
    assert_no_axe_violations(page)


def test_a_resident_asks_to_join_a_working_group_from_a_phone(page, home_page, territories):
    residence = factories.ResidenceFactory(name="Mermoz Nord", territory=territories["Lyon 8"])
    group = factories.WorkingGroupFactory(
        theme="Tri et encombrants à Mermoz",
        territory=territories["Lyon 8"],
        residence=residence,
        description="Des habitants s'organisent contre les encombrants.",
    )
    factories.StaffFactory(
        email="med8@exemple.fr", role=roles.MEDIATOR, territories=[territories["Lyon 8"]]
    )
    page.goto(group.get_absolute_url())
    expect(page.locator("h1")).to_have_text("Tri et encombrants à Mermoz")
    assert_no_axe_violations(page)

    page.get_by_label("Votre nom").fill("Fatou")
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.locator(".form__errors")).to_be_visible()
    expect(page.get_by_text("Laissez une adresse électronique ou un numéro")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_label("Téléphone").fill("06 11 22 33 44")
    page.get_by_label("J'accepte que l'équipe de médiation me recontacte").check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_text("Votre demande est transmise").first).to_be_visible()
    assert JoinRequest.objects.get().phone == "+33611223344"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_no_axe_violations(page)
