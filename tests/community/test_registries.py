import datetime

from django.utils import timezone

import pytest

from community.registries import Indicator, IndicatorRegistry, Period, indicators
from tests.factories import PersonFactory


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="end before it starts"):
        Period(datetime.date(2025, 2, 1), datetime.date(2025, 1, 1))


def test_an_indicator_key_is_registered_once():
    registry = IndicatorRegistry()
    indicator = Indicator("x", "X", "Définition.", lambda period, ids: 0)
    registry.register(indicator)
    with pytest.raises(ValueError, match="already registered"):
        registry.register(indicator)


@pytest.mark.django_db
def test_new_persons_indicator_counts_by_period_and_territory(territories):
    PersonFactory.create_batch(3, territory=territories["Lyon 8"])
    PersonFactory(territory=territories["Lyon 9"])
    today = timezone.localdate()
    period = Period(today.replace(day=1), today)
    assert indicators.compute("community.new_persons", period) == 4
    assert indicators.compute("community.new_persons", period, [territories["Lyon 8"].pk]) == 3
    last_year = Period(
        today.replace(year=today.year - 1, day=1), today.replace(year=today.year - 1)
    )
    assert indicators.compute("community.new_persons", last_year) == 0


@pytest.mark.django_db
def test_a_persons_export_holds_their_community_records_and_erasing_anonymises(territories):
    from community import services
    from community.models import FollowUp, JoinRequest, ReferenceTenant, Voice
    from tests import factories

    person = PersonFactory(
        email="amina@exemple.fr", email_verified=True, territory=territories["Lyon 8"]
    )
    residence = factories.ResidenceFactory(name="Albert Laurent", territory=territories["Lyon 8"])
    tenant = factories.ReferenceTenantFactory(person=person, residence=residence)
    factories.FollowUpFactory(reference_tenant=tenant, note="Parle de la cage d'escalier")
    group = factories.WorkingGroupFactory(theme="Tri", territory=territories["Lyon 8"])
    group.members.add(person)
    factories.JoinRequestFactory(working_group=group, email="amina@exemple.fr")
    factories.JoinRequestFactory(working_group=group, email="autre@exemple.fr")
    factories.VoiceFactory(
        territory=territories["Lyon 8"],
        text="Un banc",
        contact_consent=True,
        contact_email="amina@exemple.fr",
        contact_name="Amina",
    )
    factories.VoiceFactory(territory=territories["Lyon 8"], text="Anonyme")

    export = services.export_person_data(person)
    assert [t["residence"] for t in export["community.reference_tenancies"]] == ["Albert Laurent"]
    assert export["community.reference_tenancies"][0]["follow_ups"][0]["note"] == (
        "Parle de la cage d'escalier"
    )
    assert [v["text"] for v in export["community.voices"]] == ["Un banc"]
    assert export["community.working_groups"]["member_of"] == ["Tri"]
    assert len(export["community.working_groups"]["join_requests"]) == 1

    assert services.anonymise_person(person.pk)
    assert FollowUp.objects.get().note == ""
    assert ReferenceTenant.objects.get().status == "stopped"
    assert not group.members.exists()
    assert list(JoinRequest.objects.values_list("email", flat=True)) == ["autre@exemple.fr"]
    kept = Voice.objects.get(text="Un banc")
    assert (kept.contact_email, kept.contact_name, kept.territory_id) == (
        "",
        "",
        territories["Lyon 8"].pk,
    )
