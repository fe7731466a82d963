"""Every public form fuzzed with Hypothesis: no 500, no row from invalid input, nothing a
person typed comes back unescaped."""

from django.core.cache import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from community import services
from tests import factories
from tests.accounts.helpers import resident
from tests.privacy.fuzz import FUZZ, check_post, form_fields, post_strategy

pytestmark = pytest.mark.django_db


def fuzz_form(client, url, data):
    fields = form_fields(client.get(url).content.decode())
    strategy = post_strategy(fields)
    check_post(client, url, data.draw(strategy))
    cache.clear()  # rate limits would otherwise answer every later example


@FUZZ
@given(data=st.data())
def test_voice_form(client, territories, data):
    fuzz_form(client, "/votre-voix/", data)


@FUZZ
@given(data=st.data())
def test_working_group_join_form(client, territories, data):
    group = factories.WorkingGroupFactory(territory=territories["Lyon 8"], theme="Propreté")
    fuzz_form(client, group.get_absolute_url(), data)


@FUZZ
@given(data=st.data())
def test_event_signup_form(client, territories, data):
    event = factories.EventFactory(territory=territories["Lyon 8"], capacity=5)
    fuzz_form(client, f"/evenements/{event.pk}/inscription/", data)


@FUZZ
@given(data=st.data())
def test_account_profile_form(client, territories, data):
    user = resident(email="fuzz@exemple.fr")
    services.link_person_to_user(user)
    client.force_login(user)
    fuzz_form(client, "/compte/", data)


@FUZZ
@given(data=st.data())
def test_login_and_signup_forms(client, territories, data):
    for url in ("/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"):
        fuzz_form(client, url, data)


@settings(FUZZ, max_examples=5)
@given(data=st.data())
def test_site_forms_contact_newcomer_and_services(client, demo_site, data):
    from cms.models import FormPage, ServicePage

    pages = [*FormPage.objects.live(), *ServicePage.objects.live()[:1]]
    assert len(pages) >= 3
    for page in pages:
        fuzz_form(client, page.url, data)
