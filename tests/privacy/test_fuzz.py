"""Every public form fuzzed with Hypothesis: no 500, no row from invalid input, nothing a
person typed comes back unescaped, and at least one submission accepted per form."""

from django.core.cache import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from community import services
from community.models import AgeBand
from tests import factories
from tests.accounts.helpers import resident
from tests.factories import PASSWORD
from tests.privacy.fuzz import FUZZ, check_post, form_fields, post_strategy, valid_submission

pytestmark = pytest.mark.django_db


def fuzz_form(client, url, examples=None, valid=None) -> None:
    """Post the form at `url` filled in as a person would (plus `valid`), then fuzz it; fail
    unless at least one of its submissions was accepted."""
    fields = form_fields(client.get(url).content.decode())
    accepted = [check_post(client, url, valid_submission(fields, valid))]
    cache.clear()

    @(examples or FUZZ)
    @given(data=st.data())
    def run(data):
        accepted.append(check_post(client, url, data.draw(post_strategy(fields))))
        cache.clear()  # rate limits would otherwise answer every later example

    run()
    assert any(accepted), f"{url}: no submission accepted"


def test_voice_form(client, territories):
    fuzz_form(client, "/votre-voix/")


def test_working_group_join_form(client, territories):
    group = factories.WorkingGroupFactory(territory=territories["Lyon 8"], theme="Propreté")
    fuzz_form(client, group.get_absolute_url())


def test_event_signup_form(client, territories):
    event = factories.EventFactory(territory=territories["Lyon 8"], capacity=5)
    # A child is signed up by an adult: the person filling the form in is one.
    fuzz_form(client, f"/evenements/{event.pk}/inscription/", valid={"age_band": AgeBand.ADULT})


def test_account_profile_form(client, territories):
    user = resident(email="fuzz@exemple.fr")
    services.link_person_to_user(user)
    client.force_login(user)
    fuzz_form(client, "/compte/")


def test_login_and_signup_forms(client, territories):
    account = resident(email="inscrite@exemple.fr")
    strong = "Vivre-Ensemble-2026!"
    for url, valid in (
        ("/accounts/login/", {"login": account.email, "password": PASSWORD}),
        ("/accounts/signup/", {"password1": strong, "password2": strong}),
        ("/accounts/password/reset/", None),
    ):
        fuzz_form(client, url, valid=valid)
        client.logout()


def test_site_forms_contact_newcomer_and_services(client, demo_site):
    from cms.models import FormPage, ServicePage

    pages = [*FormPage.objects.live(), *ServicePage.objects.live()[:1]]
    assert len(pages) >= 3
    for page in pages:
        fuzz_form(client, page.url, settings(FUZZ, max_examples=5))
