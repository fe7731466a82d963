"""No email exists only as a task message: a newsletter opt-in, a stand decision or a form
submission whose task never ran (Redis down when it was queued) is emailed by the periodic
recovery (cms.recover_unsent_emails), once, however often it runs."""

import datetime as dt

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine

from cms import services, tasks
from cms.mediation_day import stands
from cms.models import FormPage, StandRequest, Submission, Subscription
from cms.newsletter import rules as newsletter
from tests.cms.mediation_day_helpers import make_day_page

LATER = dt.timedelta(minutes=10)  # past the grace left to the regular task


def recover_twice_later():
    with time_machine.travel(timezone.now() + LATER):
        tasks.recover_unsent_emails()
        tasks.recover_unsent_emails()


@pytest.mark.django_db(transaction=True)
def test_an_opt_in_requested_while_redis_is_down_is_emailed_by_recovery(
    client, home_page, fault_broker
):
    fault_broker.stop()
    response = client.post(
        reverse("cms:newsletter_subscribe"), {"email": "panne@exemple.fr", "consent": "on"}
    )
    assert response.status_code == 302
    assert Subscription.objects.get().state == Subscription.State.PENDING
    assert mail.outbox == []

    tasks.recover_unsent_emails()  # within the grace: the regular task may still be on its way
    assert mail.outbox == []
    recover_twice_later()
    [message] = mail.outbox
    assert message.to == ["panne@exemple.fr"]
    assert "/lettre/confirmer/" in message.body


@pytest.mark.django_db
def test_a_confirmation_the_task_sent_is_not_sent_again(
    home_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.subscribe("normal@exemple.fr")
    assert [m.to for m in mail.outbox] == [["normal@exemple.fr"]]
    recover_twice_later()
    assert len(mail.outbox) == 1
    # The task delivered twice (a redelivery) sends nothing more either.
    assert newsletter.send_confirmation(Subscription.objects.get().pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_an_already_subscribed_notice_whose_task_was_lost_is_sent_by_recovery(home_page):
    subscription = newsletter.subscribe("fidele@exemple.fr")
    newsletter.confirm(subscription)
    mail.outbox.clear()
    assert newsletter.subscribe("fidele@exemple.fr") is None  # its task message is lost
    recover_twice_later()
    [notice] = mail.outbox
    assert notice.to == ["fidele@exemple.fr"]
    assert "déjà abonné" in notice.subject


@pytest.mark.django_db
def test_a_stand_decision_whose_task_was_lost_is_sent_by_recovery(home_page):
    day = make_day_page(home_page)
    stand = StandRequest.objects.create(
        page=day,
        organisation_name="Association des locataires",
        contact_name="Karen",
        contact_email="karen@asso.example",
        consent_text="J'accepte.",
    )
    stands.decide(stand.pk, "accepted")  # the test's transaction never commits: no task runs
    assert mail.outbox == []
    recover_twice_later()
    [message] = mail.outbox
    assert message.to == ["karen@asso.example"]
    assert message.subject.startswith("Votre stand est accepté")


@pytest.mark.django_db
def test_a_submission_whose_task_was_lost_is_sent_by_recovery(demo_site):
    page = FormPage.objects.get(kind=FormPage.Kind.CONTACT)
    submission = Submission.objects.create(page=page, form_data={"votre_message": "Bonjour"})
    recover_twice_later()
    assert [m.to for m in mail.outbox] == [["contact@vivre-ensemble.localhost"]]
    submission.refresh_from_db()
    assert submission.emailed_at is not None
    assert services.email_submission(submission.pk) is False
