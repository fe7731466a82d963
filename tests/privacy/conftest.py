"""Builders for the privacy tests: a resident with a verified account, registrations made online
and by a mediator, voices; and the figures that must survive erasure."""

import datetime

from django.db.models import Count, Sum
from django.utils import timezone

import pytest

from community import roles
from community.models import Voice
from community.registries import Period, indicators
from events.models.attendance import Attendance, WalkIn
from events.models.bookings import Booking, Participant, Registration
from tests import factories
from tests.accounts.helpers import resident
from tests.events.signup_helpers import contact, register


@pytest.fixture
def lyon8(territories):
    return territories["Lyon 8"]


@pytest.fixture
def mediator(lyon8):
    return factories.StaffFactory(
        email="mediatrice8@exemple.fr", role=roles.MEDIATOR, territories=[lyon8]
    )


@pytest.fixture
def manager(db):
    return factories.StaffFactory(email="direction@exemple.fr", role=roles.MANAGER)


def sign_up(event, *, email="", phone="", first_name="Amina", source=Booking.Source.ONLINE, **kw):
    return register(
        event,
        contact=contact(first_name=first_name, email=email or None, phone=phone),
        source=source,
        **kw,
    )


def figures() -> dict:
    """Every registered indicator over a wide period, and the aggregates indicators count."""
    today = timezone.localdate()
    period = Period(today - datetime.timedelta(days=3 * 365), today + datetime.timedelta(days=365))
    values = {indicator.key: indicator.compute(period, None) for indicator in indicators}
    values["registrations"] = sorted(
        Registration.objects.values_list("event_id", "status", "seats")
    )
    values["participants"] = sorted(
        Participant.objects.values("age_band").annotate(n=Count("pk")).values_list("age_band", "n")
    )
    values["attendance"] = sorted(Attendance.objects.values_list("registration_id", "status"))
    values["walk_ins"] = WalkIn.objects.aggregate(n=Sum("count"))["n"]
    values["voices"] = sorted(Voice.objects.values_list("territory_id", "age_band", "text"))
    values["persons"] = sorted(
        factories.Person.objects.values_list("territory_id", "age_band"), key=str
    )
    return values


__all__ = ["resident", "sign_up", "figures"]


@pytest.fixture
def demo_site(db):
    """The whole demo site (pages, forms, privacy page), built by seed_demo's builders."""
    from cms.demo import site as demo
    from community.demo import records as community_demo

    community_demo.seed("mot-de-passe-demo-1")
    return demo.seed()
