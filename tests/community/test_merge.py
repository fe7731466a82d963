"""The duplicates screen and the merge of two persons."""

from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest

from community.merging import rules as merging
from community.models import Person, ReferenceTenant
from events.models.bookings import Registration
from events.models.outbox import OutboxMessage
from tests.events.signup_helpers import contact, register
from tests.factories import (
    EventFactory,
    PersonFactory,
    ReferenceTenantFactory,
    StaffFactory,
    TerritoryFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lyon8():
    return TerritoryFactory(name="Lyon 8", slug="lyon-8")


@pytest.fixture
def lyon9():
    return TerritoryFactory(name="Lyon 9", slug="lyon-9")


def test_the_screen_lists_same_phone_email_or_name_of_my_territories_only(client, lyon8, lyon9):
    mediator = StaffFactory(territories=[lyon8])
    a = PersonFactory(
        first_name="Fatou", last_name="Diallo", email=None, phone="+33612345678", territory=lyon8
    )
    b = PersonFactory(first_name="FATOU", last_name="Diallô", email="f@exemple.fr", territory=lyon8)
    elsewhere = PersonFactory(first_name="Fatou", last_name="Diallo", territory=lyon9)
    client.force_login(mediator)
    response = client.get(reverse("community_duplicates:list"))
    assert response.status_code == 200
    assert [sorted(p.pk for p in g) for g in response.context["groups"]] == [sorted([a.pk, b.pk])]
    assert f"n° {elsewhere.pk}" not in response.content.decode()


def test_merge_moves_every_row_keeps_one_registration_and_is_in_the_history(client, lyon8):
    mediator = StaffFactory(territories=[lyon8])
    keep = PersonFactory(email="fatou@exemple.fr", phone=None, territory=lyon8)
    merged = PersonFactory(email=None, phone="+33612345678", territory=lyon8)
    both = EventFactory(capacity=20)
    kept_registration = register(both, contact=contact(email="fatou@exemple.fr"))
    register(both, contact=contact(email="", phone="+33612345678"))
    only_merged = register(EventFactory(), contact=contact(email="", phone="+33612345678"))
    ReferenceTenantFactory(person=merged)
    client.force_login(mediator)
    url = reverse("community_duplicates:merge", args=[keep.pk, merged.pk])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    keep.refresh_from_db()
    assert keep.phone == "+33612345678" and keep.email == "fatou@exemple.fr"
    assert not Person.objects.filter(pk=merged.pk, anonymised_at__isnull=True).exists()
    assert Registration.objects.get(pk=only_merged.pk).person_id == keep.pk
    assert list(Registration.objects.filter(person=keep, event=both)) == [kept_registration]
    assert ReferenceTenant.objects.get().person_id == keep.pk
    assert OutboxMessage.objects.filter(person=keep).count() == 3
    entry = ModelLogEntry.objects.get(action=merging.MERGE_ACTION)
    assert entry.object_id == str(keep.pk) and entry.user_id == mediator.pk


def test_a_person_of_another_territory_answers_404(client, lyon8, lyon9):
    mediator = StaffFactory(territories=[lyon8])
    mine = PersonFactory(territory=lyon8)
    theirs = PersonFactory(territory=lyon9)
    client.force_login(mediator)
    url = reverse("community_duplicates:merge", args=[mine.pk, theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Person.objects.filter(pk=theirs.pk, anonymised_at__isnull=True).exists()


def test_communication_cannot_merge(client, lyon8):
    from community import roles

    staff = StaffFactory(territories=[lyon8], role=roles.COMMUNICATION)
    a, b = PersonFactory(territory=lyon8), PersonFactory(territory=lyon8)
    client.force_login(staff)
    # Wagtail answers a refused admin view by a redirect to the dashboard with a message.
    listing = client.get(reverse("community_duplicates:list"))
    assert listing.status_code == 302 and "groups" not in (listing.context or {})
    refused = client.post(reverse("community_duplicates:merge", args=[a.pk, b.pk]))
    assert refused.status_code == 302
    assert Person.objects.filter(pk__in=[a.pk, b.pk], anonymised_at__isnull=True).count() == 2


def test_a_manager_sees_and_merges_every_territory(lyon8, lyon9):
    from community import roles

    manager = StaffFactory(role=roles.MANAGER)
    a = PersonFactory(first_name="Awa", last_name="Ba", territory=lyon8)
    b = PersonFactory(first_name="awa", last_name="BA", territory=lyon9)
    assert [sorted(p.pk for p in g) for g in merging.duplicate_groups(manager)] == [
        sorted([a.pk, b.pk])
    ]
    merging.merge(manager, keep_id=a.pk, merged_id=b.pk)
    assert not Person.objects.filter(pk=b.pk, anonymised_at__isnull=True).exists()
