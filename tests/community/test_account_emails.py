"""The account emails allauth sends for the site (password reset, address confirmation, security
notices) are rows before they are messages: a request answers normally while the broker and the
SMTP server are away, and recovery (community.recover_unsent_emails) delivers each one once."""

import datetime as dt

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine

from community import tasks
from community.models import AccountEmail
from tests.factories import UserFactory

LATER = dt.timedelta(minutes=10)  # past the grace left to the regular task


@pytest.mark.django_db(transaction=True)
def test_a_password_reset_asked_while_redis_and_smtp_are_down_is_emailed_by_recovery(
    client, fault_broker, monkeypatch
):
    user = UserFactory(email="oubli@exemple.fr")
    fault_broker.stop()
    with monkeypatch.context() as outage:

        def refused(self, messages):
            raise ConnectionRefusedError("SMTP server away")

        outage.setattr(EmailBackend, "send_messages", refused)
        response = client.post(reverse("account_reset_password"), {"email": user.email})

    assert response.status_code == 302
    assert mail.outbox == []
    row = AccountEmail.objects.get()
    assert (row.to_email, row.sent_at) == ("oubli@exemple.fr", None)

    fault_broker.start()
    tasks.recover_unsent_emails()  # within the grace: the regular task may still be on its way
    assert mail.outbox == []
    with time_machine.travel(timezone.now() + LATER):
        tasks.recover_unsent_emails()
        tasks.recover_unsent_emails()
    [message] = mail.outbox
    assert message.to == ["oubli@exemple.fr"]
    assert "/accounts/password/reset/key/" in message.body
    # A redelivered task message sends nothing more; the sent row keeps no reset link.
    assert tasks.send_account_email(row.pk) is False
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.sent_at is not None
    assert "/accounts/password/reset/key/" not in row.body + row.html_body
