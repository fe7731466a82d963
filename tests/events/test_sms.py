"""Texts for residents with a mobile phone: the SMS backends, the outbox's SMS channel (a refused
or failed text falls back to the mediators' call list), the short signed link and the provider's
STOP reports. The provider backend is tested against a local server that speaks Brevo's
documented transactional SMS API."""

import datetime as dt
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import timezone

import pytest

from community import roles, sms
from events.attendance import rules as attendance
from events.models.bookings import Booking
from events.models.outbox import OutboxMessage, SmsOptOut
from events.outbox import delivery
from tests.events.signup_helpers import contact, register
from tests.factories import EventFactory, StaffFactory

pytestmark = pytest.mark.django_db


class FakeBrevo:
    """POST /v3/transactionalSMS/send as Brevo documents it: JSON {sender, recipient, content,
    type}, the key in an `api-key` header; 201 {"messageId": n} when accepted, 400 {"code",
    "message"} when refused. Each request takes the next answer of `plan` ("accept", "refuse"
    or "hang": no answer until the test ends, so the client times out)."""

    def __init__(self, plan):
        self.plan = list(plan)
        self.requests = []
        self.release = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(
                    {
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        **body,
                    }
                )
                answer = fake.plan.pop(0)
                if answer == "hang":
                    fake.release.wait(10)
                    return
                if answer == "accept":
                    status, reply = 201, {"messageId": 1511882900176220 + len(fake.requests)}
                else:
                    status, reply = 400, {"code": "invalid_parameter", "message": "Invalid number"}
                data = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/v3/transactionalSMS/send"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def brevo_settings(settings):
    settings.SMS_BACKEND = "community.sms.backends.BrevoBackend"
    settings.SMS_BREVO_API_KEY = "cle-de-test"
    settings.SMS_SENDER = "VivreEns"
    settings.SMS_TIMEOUT = 0.3
    settings.SMS_MAX_ATTEMPTS = 2
    return settings


def texted(phone: str, event, **kwargs):
    return register(event, contact=contact(phone=phone), sms_consent=True, **kwargs)


def test_the_provider_backend_sends_and_a_refused_or_silent_provider_leads_to_the_call_list(
    brevo_settings,
):
    event = EventFactory(capacity=10, title="Café médiation de la Duchère")
    accepted = texted("06 12 34 56 78", event)
    refused = texted("06 22 33 44 55", event)
    silent = texted("07 81 22 33 44", event)
    with FakeBrevo(["accept", "refuse", "hang", "hang"]) as brevo:
        brevo_settings.SMS_BREVO_URL = brevo.url
        assert delivery.send_due_sms() == 1
        sent = OutboxMessage.objects.get(registration=accepted)
        assert (sent.channel, sent.state) == (OutboxMessage.Channel.SMS, OutboxMessage.State.SENT)
        request = brevo.requests[0]
        assert request["path"] == "/v3/transactionalSMS/send"
        assert request["headers"]["api-key"] == "cle-de-test"
        assert (request["sender"], request["recipient"]) == ("VivreEns", "33612345678")
        assert request["type"] == "transactional"
        assert request["content"] == sent.body_text and len(sent.body_text) <= 160
        assert "Café médiation de la Duchère" in sent.body_text
        assert re.search(r"https?://\S+/s/[0-9a-z]+-[\w-]+", sent.body_text)

        refusal = OutboxMessage.objects.get(registration=refused)
        assert (refusal.channel, refusal.state) == ("call", "pending")
        assert "invalid_parameter" in refusal.last_error

        waiting = OutboxMessage.objects.get(registration=silent)
        assert (waiting.channel, waiting.state, waiting.attempts) == ("sms", "pending", 1)
        OutboxMessage.objects.filter(pk=waiting.pk).update(due_at=timezone.now())
        assert delivery.send_due_sms() == 0
        waiting.refresh_from_db()
        assert (waiting.channel, waiting.state, waiting.attempts) == ("call", "pending", 2)
        assert len(brevo.requests) == 4
    # Both fallen-back texts are ordinary rows of the call list, with what to say rendered.
    calls = attendance.call_messages(OutboxMessage.objects.all())
    assert {m.pk for m in calls} == {refusal.pk, waiting.pk}
    assert all(m.subject and m.body_text for m in calls)


def form_data(**overrides):
    data = {
        "first_name": "Maimouna",
        "last_name": "Traoré",
        "email": "",
        "phone": "06 12 34 56 78",
        "sms_consent": "on",
        "participates": "on",
        "age_band": "25-59",
        "accept_waitlist": "on",
        "consent": "on",
        "submission_key": "cle-sms-1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_phone_only_sign_up_is_texted_its_link_opens_the_booking_and_a_refusal_is_a_call(
    client, brevo_settings
):
    event = EventFactory(capacity=10)
    url = reverse("events:signup", args=[event.pk])
    with FakeBrevo(["accept", "refuse"]) as brevo:
        brevo_settings.SMS_BREVO_URL = brevo.url
        assert client.post(url, form_data()).status_code == 302
        assert delivery.send_due_sms() == 1
        text = brevo.requests[0]["content"]
        assert brevo.requests[0]["recipient"] == "33612345678"
        assert "inscrit" in text and len(text) <= 160
        link = urlsplit(re.search(r"https?://\S+", text).group()).path
        booking = Booking.objects.get()
        assert booking.sms_consent_at is not None
        page = client.get(link, follow=True)
        assert page.status_code == 200 and page.redirect_chain
        assert "Confirmée" in page.content.decode()
        code = link.rstrip("/").rsplit("/", 1)[1]
        guessed = code[:-2] + ("aa" if not code.endswith("aa") else "bb")
        assert client.get(link.replace(code, guessed)).status_code == 404  # leads nowhere

        refused = form_data(phone="07 98 76 54 32", first_name="Issa", submission_key="cle-sms-2")
        assert client.post(url, refused).status_code == 302
        assert delivery.send_due_sms() == 0
    call = OutboxMessage.objects.get(to_phone="+33798765432")
    assert (call.channel, call.state) == ("call", "pending")
    assert call in attendance.call_messages(OutboxMessage.objects.all())
    # Without the SMS consent a phone-only resident stays on the call list, as before.
    plain = form_data(phone="06 55 44 33 22", sms_consent=None, submission_key="cle-sms-3")
    assert client.post(url, plain).status_code == 302
    assert OutboxMessage.objects.get(to_phone="+33655443322").channel == "call"
    assert len(brevo.requests) == 2


def test_sms_consent_needs_a_mobile_number(client):
    event = EventFactory(capacity=10)
    url = reverse("events:signup", args=[event.pk])
    landline = client.post(url, form_data(phone="04 78 00 00 00"))
    assert landline.status_code == 400
    assert "pas un numéro de portable" in landline.content.decode()
    nothing = client.post(url, form_data(phone="", email="a@exemple.fr"))
    assert nothing.status_code == 400
    assert "numéro de portable" in nothing.content.decode()
    assert not Booking.objects.exists()


def test_stop_reports_record_the_opt_out_and_send_the_next_messages_to_the_call_list(
    client, settings
):
    settings.SMS_WEBHOOK_SECRET = "secret-des-rapports"
    event = EventFactory(capacity=10)
    registration = texted("06 12 34 56 78", event)
    pending = OutboxMessage.objects.get(registration=registration)
    assert pending.channel == "sms"
    url = reverse("events:sms_report")
    report = [{"to": "33612345678", "msg_status": "replied", "reply": "Stop", "messageId": 1}]
    body = json.dumps(report)
    wrong = client.post(url, body, "application/json", HTTP_AUTHORIZATION="Bearer devine")
    assert wrong.status_code == 403 and not SmsOptOut.objects.exists()
    right = client.post(
        url, body, "application/json", HTTP_AUTHORIZATION="Bearer secret-des-rapports"
    )
    assert right.status_code == 200
    assert SmsOptOut.objects.get().phone == "+33612345678"
    pending.refresh_from_db()
    assert (pending.channel, pending.state) == ("call", "pending")
    # A delivery report is not an opt-out; a malformed body is refused without a 500.
    other = json.dumps({"to": "33622334455", "msg_status": "delivered"})
    client.post(url, other, "application/json", HTTP_AUTHORIZATION="Bearer secret-des-rapports")
    assert SmsOptOut.objects.count() == 1
    bad = client.post(url, "{", "application/json", HTTP_AUTHORIZATION="Bearer secret-des-rapports")
    assert bad.status_code == 400
    later = texted("06 12 34 56 78", EventFactory(capacity=10))
    assert OutboxMessage.objects.get(registration=later).channel == "call"


def test_every_sms_kind_fits_one_gsm_message_and_the_local_backends_keep_it(settings, tmp_path):
    long_title = "Atelier intergénérationnel « Fête des voisins » : préparer ensemble " * 3
    event = EventFactory(capacity=1, title=long_title[:200], venue_name="Maison pour tous " * 6)
    first = texted("06 12 34 56 78", event)
    second = texted("06 22 33 44 55", event)  # on the waitlist
    for kind in ("confirmation", "promoted", "reminder", "changed", "cancelled"):
        delivery.queue_message(
            kind=kind, person=first.person, registration=first, dedup_key=f"t:{kind}"
        )
    rows = OutboxMessage.objects.filter(channel="sms")
    assert {m.kind for m in rows} >= {"confirmation", "waitlisted", "promoted", "reminder"}
    for message in rows:
        text = delivery.render_sms(message).body_text
        assert len(text) <= 160, text
        assert sms.is_gsm(text), text
    assert second.status == "waitlisted"

    settings.SMS_FILE_PATH = tmp_path / "sms"
    settings.SMS_BACKEND = "community.sms.backends.FileBackend"
    sms.SmsMessage(to="+33612345678", body="Bonjour").send()
    (written,) = (tmp_path / "sms").iterdir()
    assert "+33612345678" in written.read_text() and "Bonjour" in written.read_text()
    settings.SMS_BACKEND = "community.sms.backends.LocmemBackend"
    sms.outbox.clear()
    sms.SmsMessage(to="+33612345678", body="Bonjour").send()
    assert [m.body for m in sms.outbox] == ["Bonjour"]


def test_sms_rows_are_recovered_like_emails(settings):
    settings.SMS_BACKEND = "community.sms.backends.LocmemBackend"
    sms.outbox.clear()
    registration = texted("06 12 34 56 78", EventFactory(capacity=10))
    message = OutboxMessage.objects.get(registration=registration)
    # A worker claimed it and died: after the lease the row is given back and sent once.
    OutboxMessage.objects.filter(pk=message.pk).update(
        state="sending", claimed_at=timezone.now() - dt.timedelta(hours=1), attempts=1
    )
    assert delivery.send_due_sms() == 0
    assert delivery.recover_stale() == 1
    assert delivery.send_due_sms() == 1
    assert [m.to for m in sms.outbox] == ["+33612345678"]


def test_a_mediator_records_the_sms_consent_read_out_on_the_phone(client, territories):
    mediator = StaffFactory(role=roles.MEDIATOR, territories=[territories["Lyon 8"]])
    event = EventFactory(territory=territories["Lyon 8"], capacity=5)
    client.force_login(mediator)
    data = {
        "first_name": "Rachid",
        "last_name": "Benali",
        "phone": "06 11 22 33 44",
        "sms_consent": "on",
        "participates": "on",
        "age_band": "60+",
        "accept_waitlist": "on",
        "source": "phone",
        "consent": "on",
        "submission_key": "cle-sms-staff",
    }
    form = client.get(reverse("staff:signup", args=[event.pk])).content.decode()
    assert 'name="sms_consent"' in form
    response = client.post(reverse("staff:signup", args=[event.pk]), data, follow=True)
    assert "La confirmation part par SMS." in response.content.decode()
    message = OutboxMessage.objects.get()
    assert (message.channel, message.to_phone) == ("sms", "+33611223344")
    assert Booking.objects.get().sms_consent_at is not None
