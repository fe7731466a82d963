"""On a phone (360 × 740), an event page opens on what a resident needs to decide: the date,
the place, the seats left and the sign-up button, all in the first screen, before the details."""

import pytest

from community.models import Organisation, Territory
from events.models import AccessFeature
from tests.factories import EventFactory, StaffFactory
from tests.support.browser import assert_no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

DESCRIPTION = "".join(
    f"<p>Paragraphe {n} : nous parlerons du bruit, des parties communes, du tri, des enfants "
    "qui jouent dans la cour et de ce que chacun peut faire pour que la résidence reste "
    "agréable à vivre.</p>"
    for n in range(1, 6)
)


@pytest.fixture
def demo(transactional_db):
    from cms.demo import site as demo
    from community.demo import records as community_demo

    community_demo.seed("mot-de-passe-demo-1")
    return demo.seed()


def in_first_screen(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 740


def test_on_a_phone_the_sign_up_and_seats_left_are_in_the_first_screen(page, demo):
    event = EventFactory(
        title="Café médiation des États-Unis : bien vivre ensemble dans la résidence",
        territory=Territory.objects.get(slug="lyon-8"),
        venue_name="Salle associative des États-Unis",
        venue_address="12 boulevard des États-Unis, 69008 Lyon",
        summary="Un moment convivial pour parler de la vie de la résidence avec vos voisins.",
        description=DESCRIPTION,
        capacity=12,
        access_features=[AccessFeature.STEP_FREE, AccessFeature.HEARING_LOOP],
        access_notes="Tram T4, arrêt États-Unis – Viviani. Interphone « Médiation ».",
    )
    event.organisers.add(
        StaffFactory(first_name="Karen", last_name="Martin"),
        StaffFactory(first_name="Quentin", last_name="Roux"),
    )
    event.partners.add(*Organisation.objects.all()[:3])

    page.goto(event.get_absolute_url())

    button = page.get_by_role("link", name="M'inscrire", exact=True)
    seats = page.get_by_text("Il reste 12 places.")
    when = page.locator(".event__when")
    place = page.get_by_text("Salle associative des États-Unis").first
    for name, locator in [("button", button), ("seats", seats), ("date", when), ("place", place)]:
        assert in_first_screen(page, locator), f"{name} is not in the first screen"
    # The details follow the sign-up.
    description = page.locator(".event__description")
    assert description.bounding_box()["y"] > button.bounding_box()["y"]
    assert_no_axe_violations(page)
