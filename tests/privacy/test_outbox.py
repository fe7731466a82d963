"""Outbox rows hold an address or a phone and a rendered text with a manage link: they are part of
the person's export, blanked by their erasure and by the retention run once finished, while the
rows (kind, state, registration) stay for the survey figures and the call list."""

import datetime as dt
import zoneinfo

from django.utils import timezone

import pytest
import time_machine

from community import services
from community.registries import retention
from events.models.outbox import OutboxMessage
from events.outbox import delivery
from tests import factories
from tests.privacy.conftest import figures, sign_up

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 6, 15, 3, 0, tzinfo=PARIS)


def rendered(registration) -> OutboxMessage:
    message = OutboxMessage.objects.get(registration=registration)
    return delivery.render(message)


def test_a_persons_export_holds_their_outbox_rows_and_nobody_elses(territories):
    event = factories.EventFactory(territory=territories["Lyon 8"])
    mine = sign_up(event, email="moi@exemple.fr", first_name="Moi")
    other = sign_up(event, email="autre@exemple.fr", first_name="Autre")
    phone_only = sign_up(event, phone="0612345678", first_name="Tel")
    for registration in (mine, other, phone_only):
        rendered(registration)

    data = services.export_person_data(mine.person)["events.outbox"]
    assert [row["to_email"] for row in data] == ["moi@exemple.fr"]
    assert "autre@exemple.fr" not in str(data)
    assert data[0]["kind"] == OutboxMessage.Kind.CONFIRMATION
    assert data[0]["body_text"] == OutboxMessage.objects.get(registration=mine).body_text
    assert data[0]["body_text"]  # the rendered text, as sent

    calls = services.export_person_data(phone_only.person)["events.outbox"]
    assert [(row["channel"], row["to_phone"]) for row in calls] == [("call", "+33612345678")]


def test_anonymising_a_person_blanks_their_outbox_rows_only(territories):
    event = factories.EventFactory(territory=territories["Lyon 8"])
    mine = sign_up(event, email="moi@exemple.fr")
    other = sign_up(event, email="autre@exemple.fr")
    for registration in (mine, other):
        rendered(registration)

    assert services.anonymise_person(mine.person_id)

    row = OutboxMessage.objects.get(registration=mine)
    assert (row.to_email, row.to_phone, row.body_text, row.body_html, row.attachments) == (
        "",
        "",
        "",
        "",
        [],
    )
    # Not sent to nobody: a message still waiting is stopped.
    assert row.state == OutboxMessage.State.FAILED
    kept = OutboxMessage.objects.get(registration=other)
    assert kept.to_email == "autre@exemple.fr" and kept.body_text


def test_retention_blanks_old_finished_rows_and_keeps_recent_and_pending_ones(
    territories, settings
):
    settings.RETENTION_OUTBOX_DAYS = 90
    lyon8 = territories["Lyon 8"]
    event = factories.EventFactory(territory=lyon8)
    with time_machine.travel(dt.datetime(2026, 1, 10, tzinfo=PARIS), tick=False):
        old_sent = sign_up(event, email="ancien@exemple.fr")
        old_called = sign_up(event, phone="0611111111")
        old_pending = sign_up(event, email="attente@exemple.fr")
        for registration in (old_sent, old_called, old_pending):
            rendered(registration)
        OutboxMessage.objects.filter(registration=old_sent).update(
            state=OutboxMessage.State.SENT, sent_at=timezone.now()
        )
        OutboxMessage.objects.filter(registration=old_called).update(
            state=OutboxMessage.State.CALLED, sent_at=timezone.now()
        )
    with time_machine.travel(dt.datetime(2026, 6, 1, tzinfo=PARIS), tick=False):
        recent = sign_up(event, email="recent@exemple.fr")
        rendered(recent)
        OutboxMessage.objects.filter(registration=recent).update(
            state=OutboxMessage.State.SENT, sent_at=timezone.now()
        )
    before = figures()
    rows_before = sorted(OutboxMessage.objects.values_list("pk", "kind", "state"))
    rule = retention.get("events.outbox")
    assert (rule.setting, rule.unit, rule.duration) == ("RETENTION_OUTBOX_DAYS", "days", 90)

    with time_machine.travel(NOW, tick=False):
        assert rule.preview(timezone.now()) == 2
        assert rule.run(timezone.now()) == 2
        assert rule.run(timezone.now()) == 0  # safe to run twice

    for registration in (old_sent, old_called):
        row = OutboxMessage.objects.get(registration=registration)
        assert (row.to_email, row.to_phone, row.body_text, row.body_html) == ("", "", "", "")
    waiting = OutboxMessage.objects.get(registration=old_pending)
    assert waiting.to_email == "attente@exemple.fr" and waiting.body_text
    assert OutboxMessage.objects.get(registration=recent).to_email == "recent@exemple.fr"
    # Rows, kinds and states stay for the survey response rate and the call list.
    assert sorted(OutboxMessage.objects.values_list("pk", "kind", "state")) == rows_before
    assert figures() == before
