"""The phone-only path: what a resident with only a phone is told, what the mediator reads out,
and the call list (one card per person, "no answer" kept for a retry, treated calls naming the
event); the email after a resident cancels."""

import re

from django.core import mail
from django.urls import reverse

import pytest

from community import roles
from events.models.outbox import OutboxMessage
from events.outbox import delivery
from events.signup import rules as signup
from tests.events.signup_helpers import contact, register
from tests.factories import EventFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lyon8(territories):
    territory = territories["Lyon 8"]
    territory.phone = "+33472522380"
    territory.save()
    return territory


@pytest.fixture
def mediator(lyon8):
    return StaffFactory(role=roles.MEDIATOR, territories=[lyon8], first_name="Nadia")


def _cards(page: str) -> list[str]:
    return re.findall(
        r'<li class="call" id="personne-[^"]+">(.*?)</li>\s*<!-- /call -->', page, re.S
    )


def test_the_call_list_has_one_card_per_person_keeps_no_answer_and_names_the_event(
    client, mediator, lyon8
):
    cafe = EventFactory(territory=lyon8, title="Café médiation")
    atelier = EventFactory(territory=lyon8, title="Atelier mémoire")
    rachid = contact(first_name="Rachid", last_name="Benali", email="", phone="0611223344")
    register(cafe, contact=rachid)
    register(atelier, contact=rachid)
    register(
        cafe, contact=contact(first_name="Lina", last_name="Haddad", email="", phone="0622334455")
    )
    client.force_login(mediator)

    page = client.get(reverse("staff:calls")).content.decode()
    cards = _cards(page)
    assert len(cards) == 2  # Rachid's two messages on one card
    rachid_card = next(c for c in cards if "Rachid Benali" in c)
    assert "Café médiation" in rachid_card and "Atelier mémoire" in rachid_card
    assert rachid_card.count('href="tel:+33611223344"') == 1

    ids = list(
        OutboxMessage.objects.filter(person__last_name="Benali").values_list("pk", flat=True)
    )
    answer = {"state": "no_answer", "ids": ids, "seen": 0}
    for _ in range(2):  # a repeated tap counts one attempt
        client.post(reverse("staff:call_mark", args=[ids[0]]), answer)
    rows = OutboxMessage.objects.filter(pk__in=ids)
    assert {(m.state, m.attempts) for m in rows} == {("no_answer", 1)}
    page = client.get(reverse("staff:calls")).content.decode()
    rachid_card = next(c for c in _cards(page) if "Rachid Benali" in c)  # still to call
    assert "1 appel sans réponse" in rachid_card

    client.post(reverse("staff:call_mark", args=[ids[0]]), {"state": "called", "ids": ids})
    assert {m.state for m in OutboxMessage.objects.filter(pk__in=ids)} == {"called"}
    page = client.get(reverse("staff:calls")).content.decode()
    assert [c for c in _cards(page) if "Rachid" in c] == []
    treated = page.split("Déjà traités", 1)[1]
    assert "Rachid Benali" in treated
    assert "Café médiation" in treated and "Atelier mémoire" in treated


def test_a_call_script_is_written_to_be_spoken_with_a_short_code(client, mediator, lyon8):
    event = EventFactory(territory=lyon8, title="Café médiation")
    registration = register(
        event, contact=contact(first_name="Rachid", email="", phone="0611223344")
    )
    client.force_login(mediator)
    page = client.get(reverse("staff:calls")).content.decode()
    script = page.split('class="call__script"', 1)[1].split("</div>", 1)[0]
    assert "pièce jointe" not in script and "http" not in script
    assert signup.short_code(registration.booking) in script
    assert "04 72 52 23 80" in script  # the team's number, to cancel


def test_a_mediator_phone_signup_queues_no_call_to_confirm(client, mediator, lyon8):
    event = EventFactory(territory=lyon8, title="Café médiation")
    client.force_login(mediator)
    response = client.post(
        reverse("staff:signup", args=[event.pk]),
        {
            "first_name": "Rachid",
            "last_name": "Benali",
            "phone": "06 11 22 33 44",
            "participates": "on",
            "age_band": "60+",
            "accept_waitlist": "on",
            "source": "phone",
            "consent": "on",
            "submission_key": "cle-1",
        },
    )
    assert response.status_code == 302
    # Told on the phone by the mediator who signed them up: recorded as said, not to call.
    message = OutboxMessage.objects.get()
    assert (message.state, message.handled_by) == ("called", mediator)
    page = client.get(reverse("staff:calls")).content.decode()
    assert _cards(page) == []


def test_the_answer_page_tells_a_phone_only_resident_a_mediator_will_call(client, lyon8, home_page):
    event = EventFactory(territory=lyon8, title="Café médiation")
    response = client.get(reverse("events:received", args=["inscription", event.pk]) + "?tel=1")
    page = response.content.decode()
    assert "Un médiateur de l'équipe Lyon 8 va vous appeler" in page
    assert 'href="tel:+33472522380"' in page and "04 72 52 23 80" in page
    assert "Confirmée" not in page


def test_a_resident_who_cancels_gets_an_email(client, lyon8):
    event = EventFactory(territory=lyon8, title="Café médiation")
    registration = register(event, contact=contact(email="amina@exemple.fr"))
    delivery.send_due()
    mail.outbox.clear()
    path = signup.manage_url(registration.booking)
    token = path.rstrip("/").split("/")[-1]
    client.post(reverse("events:cancel", args=[token, registration.pk]))
    delivery.send_due()
    [email] = mail.outbox
    assert email.to == ["amina@exemple.fr"]
    assert email.subject == "Inscription annulée : Café médiation"
    assert "Votre inscription est annulée" in email.body
