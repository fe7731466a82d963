"""The newsletter: double opt-in, the email as received by a real SMTP server, one-click
unsubscribe, audience selection, sending rules and failures, expiry, registries."""

import datetime as dt
import re
import urllib.parse

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine

from cms.models import Campaign, Delivery, NewsletterTopic, OptOut, Subscription
from cms.newsletter import rules as newsletter
from community.models import Person
from community.registries import Period, indicators, personal_data
from tests.cms.newsletter_helpers import active_subscriber, issue_page, link_in
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(home_page, territories):
    return home_page


@pytest.fixture
def issue(site):
    return issue_page(site)


@pytest.fixture
def editor(db):
    user = StaffFactory(email="redaction@vivre-ensemble.localhost", is_superuser=True)
    return user


@pytest.fixture(autouse=True)
def _tasks_run_at_once(monkeypatch):
    """The test's transaction never commits: run the tasks queued "on commit" right away."""
    from cms import tasks

    for task in (
        tasks.newsletter_confirmation,
        tasks.newsletter_already_subscribed,
        tasks.newsletter_start,
        tasks.newsletter_send,
    ):
        monkeypatch.setattr(task, "delay_on_commit", task.delay)


def _send_now(page, user, **audience):
    campaign = newsletter.request_send(page, user, **audience)
    campaign.refresh_from_db()
    return campaign


# --- Double opt-in ------------------------------------------------------------------------------


def test_double_opt_in_end_to_end(client, smtp_sink, site, territories):
    topic = NewsletterTopic.objects.create(name="Vie des résidences")
    response = client.post(
        reverse("cms:newsletter_subscribe"),
        {
            "email": "Nadia.Haddad@Exemple.fr",
            "first_name": "Nadia",
            "territories": [territories["Lyon 8"].pk],
            "topics": [topic.pk],
            "consent": "on",
        },
    )
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.state == Subscription.State.PENDING
    assert subscription.person.email == "nadia.haddad@exemple.fr"
    assert "newsletter" in subscription.consent_text or "lettre" in subscription.consent_text
    assert list(subscription.territories.all()) == [territories["Lyon 8"]]

    [message] = smtp_sink.to("nadia.haddad@exemple.fr")
    assert "Confirmez" in message.subject
    link = link_in(message.text(), "/lettre/confirmer/")
    assert link in message.html()
    path = urllib.parse.urlparse(link).path

    # A GET shows a button and changes nothing (a mail scanner following the link).
    assert client.get(path).status_code == 200
    subscription.refresh_from_db()
    assert subscription.state == Subscription.State.PENDING

    assert client.post(path).status_code == 200
    subscription.refresh_from_db()
    assert subscription.state == Subscription.State.ACTIVE
    assert subscription.confirmed_at is not None
    assert subscription.person.email_verified


def test_already_subscribed_and_new_get_the_same_neutral_answer(client, site):
    active_subscriber("deja@exemple.fr")
    mail.outbox.clear()
    known = client.post(
        reverse("cms:newsletter_subscribe"), {"email": "deja@exemple.fr", "consent": "on"}
    )
    new = client.post(
        reverse("cms:newsletter_subscribe"), {"email": "neuf@exemple.fr", "consent": "on"}
    )
    assert known.status_code == new.status_code == 302
    assert known["Location"] == new["Location"]
    # Each address hears about it; whoever typed it learns nothing.
    assert sorted(m.to[0] for m in mail.outbox) == ["deja@exemple.fr", "neuf@exemple.fr"]
    page = client.get(known["Location"])
    assert "Si cette adresse peut recevoir la lettre" in page.content.decode()


def test_a_subscription_posted_without_csrf_token_is_refused(site):
    forged = Client(enforce_csrf_checks=True)
    response = forged.post(
        reverse("cms:newsletter_subscribe"), {"email": "victime@exemple.fr", "consent": "on"}
    )
    assert response.status_code == 403
    assert not Subscription.objects.exists() and not mail.outbox


def test_the_footer_form_asks_with_get_and_the_visitor_confirms_on_the_subscribe_page(site):
    visitor = Client(enforce_csrf_checks=True)
    home = visitor.get(site.url)
    footer = re.search(r"<form[^>]*newsletter-form--compact[^>]*>", home.content.decode()).group(0)
    assert 'method="get"' in footer
    assert "csrftoken" not in home.cookies  # public pages stay cacheable, with no cookie

    # The footer's GET only fills in the full form: nothing written, nothing sent.
    page = visitor.get(
        reverse("cms:newsletter_subscribe"), {"email": "voisine@exemple.fr", "consent": "on"}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="voisine@exemple.fr"' in html
    assert not Subscription.objects.exists() and not mail.outbox
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    done = visitor.post(
        reverse("cms:newsletter_subscribe"),
        {"email": "voisine@exemple.fr", "consent": "on", "csrfmiddlewaretoken": token},
    )
    assert done.status_code == 302
    assert Subscription.objects.get().person.email == "voisine@exemple.fr"
    assert [m.to for m in mail.outbox] == [["voisine@exemple.fr"]]


def test_subscribing_is_rate_limited_per_address_and_per_client(client, site, settings):
    settings.PUBLIC_RATE_LIMITS = {
        **settings.PUBLIC_RATE_LIMITS,
        "newsletter": {"ip": (3, 600), "address": (1, 600)},
    }
    url = reverse("cms:newsletter_subscribe")
    assert client.post(url, {"email": "cible@exemple.fr", "consent": "on"}).status_code == 302
    again = client.post(url, {"email": "Cible@exemple.fr", "consent": "on"}, REMOTE_ADDR="10.9.9.9")
    assert again.status_code == 429
    assert "Trop de demandes en peu de temps." in again.content.decode()
    assert client.post(url, {"email": "b@exemple.fr", "consent": "on"}).status_code == 302
    assert client.post(url, {"email": "c@exemple.fr", "consent": "on"}).status_code == 302
    assert client.post(url, {"email": "d@exemple.fr", "consent": "on"}).status_code == 429
    assert sorted(m.to[0] for m in mail.outbox) == [
        "b@exemple.fr",
        "c@exemple.fr",
        "cible@exemple.fr",
    ]


def test_already_subscribed_gets_a_notice_with_the_unsubscribe_link_at_most_once_a_day(
    client, site
):
    subscription = active_subscriber("deja@exemple.fr")
    mail.outbox.clear()
    url = reverse("cms:newsletter_subscribe")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _twice in range(2):
            response = client.post(url, {"email": "deja@exemple.fr", "consent": "on"})
            assert response.status_code == 302
        [notice] = mail.outbox
        assert notice.to == ["deja@exemple.fr"]
        assert "déjà abonné" in notice.body
        html_part, mimetype = notice.alternatives[0]
        assert mimetype == "text/html" and "déjà abonné" in html_part
        unsubscribe = next(w for w in notice.body.split() if "/lettre/desabonnement/" in w)
        assert (
            newsletter.subscription_for_unsubscribe(
                urllib.parse.urlparse(unsubscribe).path.rstrip("/").rsplit("/", 1)[1]
            )
            == subscription
        )
        page = client.get(urllib.parse.urlparse(unsubscribe).path)
        assert page.status_code == 200 and "Me désabonner" in page.content.decode()
        traveller.shift(dt.timedelta(days=1, minutes=1))
        client.post(url, {"email": "deja@exemple.fr", "consent": "on"})
        assert [m.to for m in mail.outbox] == [["deja@exemple.fr"]] * 2
    subscription.refresh_from_db()
    assert subscription.state == Subscription.State.ACTIVE


def test_a_pending_subscription_gets_its_confirmation_again_at_most_once_a_day(client, site):
    url = reverse("cms:newsletter_subscribe")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _thrice in range(3):
            response = client.post(url, {"email": "attente@exemple.fr", "consent": "on"})
            assert response.status_code == 302
        [confirmation] = mail.outbox
        assert confirmation.to == ["attente@exemple.fr"]
        assert "/lettre/confirmer/" in confirmation.body
        traveller.shift(dt.timedelta(days=1, minutes=1))
        client.post(url, {"email": "attente@exemple.fr", "consent": "on"})
        assert [m.to for m in mail.outbox] == [["attente@exemple.fr"]] * 2
        assert mail.outbox[1].subject == confirmation.subject
    assert Subscription.objects.get().state == Subscription.State.PENDING


def test_invalid_email_or_missing_consent_says_why_and_writes_nothing(client, site):
    response = client.post(reverse("cms:newsletter_subscribe"), {"email": "pas-une-adresse"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Saisissez une adresse électronique valide." in html
    assert "Cochez cette case pour vous abonner." in html
    assert not Subscription.objects.exists() and not Person.objects.exists()


def test_tampered_or_expired_confirmation_link_changes_nothing(client, site):
    newsletter.subscribe("lent@exemple.fr")
    subscription = Subscription.objects.get()
    path = urllib.parse.urlparse(newsletter.confirm_url(subscription)).path
    tampered = path[:-3] + ("x" if path[-3] != "x" else "y") + path[-2:]
    response = client.post(tampered)
    assert response.status_code == 400
    assert "Ce lien n'est pas valable" in response.content.decode()
    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        response = client.post(path)
    assert response.status_code == 400
    subscription.refresh_from_db()
    assert subscription.state == Subscription.State.PENDING


def test_unconfirmed_subscriptions_expire_after_30_days(site):
    newsletter.subscribe("vieux@exemple.fr")
    with time_machine.travel(timezone.now() + dt.timedelta(days=29)):
        newsletter.subscribe("recent@exemple.fr")
    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        # The daily retention run deletes them; managers see it coming in its preview.
        from community.privacy import rules as privacy
        from community.registries import retention

        assert retention.get("cms.newsletter_unconfirmed").preview(timezone.now()) == 1
        assert privacy.run_retention()["cms.newsletter_unconfirmed"] == 1
        assert newsletter.expire_unconfirmed() == 0
    assert [s.person.email for s in Subscription.objects.all()] == ["recent@exemple.fr"]


def test_paper_signup_records_the_source_and_refuses_an_opted_out_address(client, site, editor):
    client.force_login(editor)
    url = reverse("cms_newsletter:paper")
    response = client.post(
        url, {"email": "stand@exemple.fr", "first_name": "Lina", "consent": "on"}
    )
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.source == Subscription.Source.PAPER
    assert subscription.entered_by == editor
    assert subscription.state == Subscription.State.PENDING  # confirmed by the person, by email
    assert mail.outbox[-1].to == ["stand@exemple.fr"]

    newsletter.unsubscribe(subscription)
    response = client.post(url, {"email": "stand@exemple.fr", "consent": "on"})
    assert response.status_code == 400
    assert "s&#x27;est désabonnée" in response.content.decode()
    assert not Subscription.objects.filter(state=Subscription.State.PENDING).exists()


def test_a_signed_in_resident_manages_their_subscription(client, site, territories):
    from allauth.account.models import EmailAddress

    from tests.factories import UserFactory

    user = UserFactory(email="habitante@exemple.fr", is_staff=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    person = Person.objects.create(email=user.email, user=user, email_verified=True)
    client.force_login(user)
    url = reverse("cms:newsletter_mine")
    assert client.get(url).status_code == 200
    client.post(url, {"action": "save", "territories": [territories["Lyon 9"].pk]})
    subscription = Subscription.objects.get(person=person)
    assert subscription.state == Subscription.State.ACTIVE
    assert subscription.source == Subscription.Source.ACCOUNT
    assert list(subscription.territories.all()) == [territories["Lyon 9"]]
    client.post(url, {"action": "unsubscribe"})
    subscription.refresh_from_db()
    assert subscription.state == Subscription.State.UNSUBSCRIBED


# --- The email as received -----------------------------------------------------------------------


def test_received_issue_has_list_headers_both_parts_absolute_links_and_one_click_unsubscribe(
    smtp_sink, issue, editor
):
    subscription = active_subscriber("lecteur@exemple.fr", first_name="Karim")
    campaign = _send_now(issue, editor)
    assert campaign.state == Campaign.State.DONE

    [message] = smtp_sink.to("lecteur@exemple.fr")
    delivery = Delivery.objects.get()
    assert message.message_id == delivery.message_id
    assert message.subject == issue.title
    assert message.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = "".join(str(message.message["List-Unsubscribe"]).split())
    unsubscribe = re.fullmatch(r"<(.+)>", header).group(1)
    assert unsubscribe.startswith("http://testserver/lettre/desabonnement/")

    html, text = message.html(), message.text()
    assert "Bonjour Karim," in html and "Bonjour Karim," in text
    assert unsubscribe in html and unsubscribe in text
    links = re.findall(r'(?:href|src)="([^"]+)"', html)
    assert links and all(link.startswith("http://testserver/") for link in links), links
    assert "http://testserver" + issue.url in links  # the "view in browser" link
    assert "style=" in html  # the CSS was inlined
    assert "Le mot de l'équipe" in text

    # A mail client's one-click POST: no cookies, no CSRF token, no login.
    anonymous = Client(enforce_csrf_checks=True)
    response = anonymous.post(
        urllib.parse.urlparse(unsubscribe).path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.state == Subscription.State.UNSUBSCRIBED
    assert subscription.person is None
    assert OptOut.objects.filter(email_hash=newsletter.email_hash("lecteur@exemple.fr")).exists()
    stored = " ".join(str(v) for v in OptOut.objects.values_list("email_hash", flat=True))
    assert "lecteur" not in stored


def test_unsubscribe_get_only_asks_and_a_bad_token_says_so(client, site):
    subscription = active_subscriber("prudent@exemple.fr")
    path = urllib.parse.urlparse(newsletter.unsubscribe_url(subscription)).path
    response = client.get(path)
    assert response.status_code == 200
    assert "Me désabonner" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.state == Subscription.State.ACTIVE
    response = client.post(path.replace("desabonnement/", "desabonnement/x"))
    assert response.status_code == 400
    assert "Rien n'a été changé" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.state == Subscription.State.ACTIVE


# --- Audience, sending rules ------------------------------------------------------------------


def test_audience_by_territory_and_topic_reaches_exactly_the_right_people(
    smtp_sink, issue, editor, territories
):
    lyon8, lyon9 = territories["Lyon 8"], territories["Lyon 9"]
    tri = NewsletterTopic.objects.create(name="Tri")
    jeunesse = NewsletterTopic.objects.create(name="Jeunesse")
    active_subscriber("a@exemple.fr", territories=[lyon8], topics=[tri])  # yes
    active_subscriber("b@exemple.fr", territory=lyon8, topics=[tri, jeunesse])  # lives there: yes
    active_subscriber("c@exemple.fr", territories=[lyon8], topics=[jeunesse])  # topic: no
    active_subscriber("d@exemple.fr", territories=[lyon9], topics=[tri])  # territory: no
    active_subscriber("e@exemple.fr")  # ticked nothing: "Aucun coché : tous", yes
    newsletter.subscribe("f@exemple.fr", territories=[lyon8], topics=[tri])  # unconfirmed: no
    smtp_sink.clear()

    _send_now(issue, editor, audience_all=False, territories=[lyon8], topics=[tri])
    assert sorted(r for m in smtp_sink.messages for r in m.rcpt_tos) == [
        "a@exemple.fr",
        "b@exemple.fr",
        "e@exemple.fr",
    ]


def test_territories_only_and_all(issue, editor, territories, site):
    lyon8 = territories["Lyon 8"]
    active_subscriber("a@exemple.fr", territories=[lyon8])
    active_subscriber("b@exemple.fr", territories=[territories["Lyon 9"]])
    campaign = _send_now(issue, editor, audience_all=False, territories=[lyon8])
    assert sorted(m.to[0] for m in mail.outbox) == ["a@exemple.fr"]
    other = issue_page(site, title="La lettre n° 2")
    mail.outbox.clear()
    _send_now(other, editor)
    assert sorted(m.to[0] for m in mail.outbox) == ["a@exemple.fr", "b@exemple.fr"]
    assert campaign.deliveries.count() == 1


def test_a_second_click_on_send_creates_no_second_campaign(client, issue, editor):
    active_subscriber("a@exemple.fr")
    client.force_login(editor)
    url = reverse("cms_newsletter:issue", args=[issue.pk])
    assert client.post(url, {"audience": "all", "confirmed": "1"}).status_code == 302
    assert client.post(url, {"audience": "all", "confirmed": "1"}).status_code == 302
    with pytest.raises(newsletter.NewsletterError):
        newsletter.request_send(issue, editor)
    assert Campaign.objects.count() == 1
    assert len(mail.outbox) == 1


def test_schedule_then_cancel_sends_nothing(issue, editor):
    active_subscriber("a@exemple.fr")
    later = timezone.now() + dt.timedelta(hours=2)
    campaign = newsletter.request_send(issue, editor, scheduled_at=later)
    assert campaign.state == Campaign.State.SCHEDULED
    assert newsletter.start_due() == 0
    assert newsletter.cancel(campaign)
    with time_machine.travel(later + dt.timedelta(minutes=1)):
        assert newsletter.start_due() == 0
    assert not Delivery.objects.exists() and not mail.outbox
    # Cancelled, the issue can be sent again.
    _send_now(issue, editor)
    assert len(mail.outbox) == 1


def test_a_scheduled_campaign_starts_when_due(issue, editor):
    active_subscriber("a@exemple.fr")
    later = timezone.now() + dt.timedelta(hours=2)
    campaign = newsletter.request_send(issue, editor, scheduled_at=later)
    with time_machine.travel(later + dt.timedelta(minutes=1)):
        assert newsletter.start_due() == 1
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.DONE
    assert len(mail.outbox) == 1


def test_someone_who_unsubscribes_during_a_send_receives_nothing_more(
    issue, editor, settings, monkeypatch
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    for n in range(6):
        active_subscriber(f"s{n}@exemple.fr")
    from cms import tasks

    # Start without sending: create the deliveries, then send one batch of 2.
    monkeypatch.setattr(tasks.newsletter_send, "delay_on_commit", lambda *a, **k: None)
    campaign = _send_now(issue, editor)
    settings.NEWSLETTER_BATCH_SIZE = 2
    newsletter.send_pending(campaign.pk, max_batches=1)
    assert len(mail.outbox) == 2
    leaving = Subscription.objects.get(person__email="s5@exemple.fr")
    newsletter.unsubscribe(leaving)
    newsletter.send_pending(campaign.pk)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == [f"s{n}@exemple.fr" for n in range(5)]
    figures = newsletter.progress(campaign)
    assert (figures["sent"], figures["skipped"], figures["percent"]) == (5, 1, 100)
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.DONE


def test_transient_refusals_are_retried_and_permanent_ones_fail_then_resend(
    smtp_sink, issue, editor, settings
):
    settings.NEWSLETTER_RETRY_BASE_SECONDS = 0
    for n in range(20):
        active_subscriber(f"r{n}@exemple.fr")
    active_subscriber("refuse@exemple.fr")

    def refuse(message, attempt):
        if "refuse@" in str(message["To"]):
            return "550 5.1.1 No such user"
        if int(re.search(r"r(\d+)@", str(message["To"])).group(1)) % 10 == 0 and attempt == 1:
            return "451 4.3.0 Try again later"
        return None

    smtp_sink.handler.refuse = refuse
    campaign = _send_now(issue, editor)
    newsletter.send_pending(campaign.pk)  # what the re-queued task does
    received = {m.rcpt_tos[0] for m in smtp_sink.messages}
    assert received == {f"r{n}@exemple.fr" for n in range(20)}
    failed = Delivery.objects.get(state=Delivery.State.FAILED)
    assert failed.person.email == "refuse@exemple.fr"
    assert "550" in failed.last_error
    retried = Delivery.objects.filter(attempts=2, state=Delivery.State.SENT)
    assert retried.count() == 2
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.DONE
    assert newsletter.progress(campaign)["failed"] == 1

    smtp_sink.handler.refuse = None
    assert newsletter.resend_failed(campaign) == 1
    assert "refuse@exemple.fr" in {m.rcpt_tos[0] for m in smtp_sink.messages}
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.DONE


def test_an_unreachable_server_leaves_every_delivery_waiting(issue, editor, settings):
    from tests.support.net import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    active_subscriber("a@exemple.fr")
    campaign = _send_now(issue, editor)
    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.State.PENDING and delivery.last_error
    assert delivery.due_at > timezone.now()
    assert campaign.state == Campaign.State.SENDING


def test_stale_claims_are_given_back(issue, editor):
    active_subscriber("a@exemple.fr")
    Delivery.objects.all()  # nothing yet
    campaign = Campaign.objects.create(page=issue, state=Campaign.State.SENDING)
    delivery = Delivery.objects.create(
        campaign=campaign,
        person=Person.objects.get(),
        subscription=Subscription.objects.get(),
        message_id="<x@y>",
        state=Delivery.State.SENDING,
        claimed_at=timezone.now() - dt.timedelta(hours=1),
    )
    assert newsletter.recover_stale() == 1
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.PENDING


def test_recovery_restarts_as_many_senders_as_configured(issue, editor, settings, monkeypatch):
    """A campaign whose senders died gets NEWSLETTER_SENDERS new ones, less those still holding
    a live lease."""
    from cms import tasks

    settings.NEWSLETTER_SENDERS = 3
    for n in range(10):
        active_subscriber(f"s{n}@exemple.fr")
    monkeypatch.setattr(tasks.newsletter_send, "delay_on_commit", lambda *a, **k: None)
    campaign = _send_now(issue, editor)  # deliveries written; the senders never ran
    queued = []
    monkeypatch.setattr(tasks.newsletter_send, "delay", lambda *args: queued.append(args))

    tasks.newsletter_recover()
    assert queued == [(campaign.pk,)] * 3

    queued.clear()
    newsletter.claim(campaign.pk, 4)  # one sender at work, its lease live
    tasks.newsletter_recover()
    assert queued == [(campaign.pk,)] * 2

    queued.clear()
    Delivery.objects.filter(state=Delivery.State.PENDING).update(
        due_at=timezone.now() + dt.timedelta(minutes=5)
    )
    tasks.newsletter_recover()  # nothing due: no sender to start
    assert queued == []


def test_batch_queries_do_not_grow_with_the_batch(
    issue, editor, django_assert_max_num_queries, settings, monkeypatch
):
    from cms import tasks

    for n in range(30):
        active_subscriber(f"q{n}@exemple.fr")
    monkeypatch.setattr(tasks.newsletter_send, "delay_on_commit", lambda *a, **k: None)
    campaign = _send_now(issue, editor)
    settings.NEWSLETTER_BATCH_SIZE = 30
    # claim (select + update + load), then one update per message sent
    with django_assert_max_num_queries(3 + 30 + 2):
        batch = newsletter.claim(campaign.pk, 30)
        assert newsletter.send_batch(campaign, batch) == 30


# --- Admin, registries, demo -------------------------------------------------------------------


def test_admin_preview_test_send_and_progress(client, issue, editor):
    client.force_login(editor)
    preview = client.get(reverse("cms_newsletter:preview", args=[issue.pk]))
    assert preview.status_code == 200 and "Voir dans le navigateur" in preview.content.decode()
    response = client.post(reverse("cms_newsletter:test", args=[issue.pk]))
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [editor.email] and message.subject.startswith("[Test]")
    active_subscriber("a@exemple.fr")
    campaign = _send_now(issue, editor)
    data = client.get(reverse("cms_newsletter:progress", args=[campaign.pk])).json()
    assert (data["sent"], data["waiting"], data["percent"], data["state"]) == (1, 0, 100, "done")


def test_staff_without_the_permission_cannot_send(client, issue):
    mediator = StaffFactory(email="mediateur@vivre-ensemble.localhost")
    client.force_login(mediator)
    assert client.get(reverse("cms_newsletter:issue", args=[issue.pk])).status_code in (302, 403)
    assert client.post(
        reverse("cms_newsletter:issue", args=[issue.pk]), {"audience": "all", "confirmed": "1"}
    ).status_code in (302, 403)
    assert not Campaign.objects.exists()


def test_indicators_and_personal_data(issue, editor, territories):
    lyon8 = territories["Lyon 8"]
    with time_machine.travel(dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC)):
        active_subscriber("a@exemple.fr", territories=[lyon8])
        active_subscriber("b@exemple.fr")
    with time_machine.travel(dt.datetime(2026, 2, 10, 12, tzinfo=dt.UTC)):
        leaving = active_subscriber("c@exemple.fr", territory=lyon8)
        _send_now(issue, editor)
    with time_machine.travel(dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)):
        newsletter.unsubscribe(leaving)
    q1 = Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    february = Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert indicators.compute("cms.newsletter_issues_sent", q1) == 1
    assert indicators.compute("cms.newsletter_issues_sent", q1, [territories["EMH"].pk]) == 0
    assert indicators.compute("cms.newsletter_issues_sent", q1, [lyon8.pk]) == 1
    assert indicators.compute("cms.newsletter_subscribers", february) == 3
    assert indicators.compute("cms.newsletter_subscribers", q1) == 2
    assert indicators.compute("cms.newsletter_subscribers", q1, [lyon8.pk]) == 1
    assert indicators.compute("cms.newsletter_growth", february) == 1
    assert indicators.compute("cms.newsletter_growth", q1) == 2

    person = Person.objects.get(email="a@exemple.fr")
    exported = personal_data.export(person)["cms.newsletter"]
    assert exported["subscription"]["territories"] == ["Lyon 8"]
    assert exported["deliveries"][0]["issue"] == issue.title
    from community.services import anonymise_person

    anonymise_person(person.pk)
    assert not Subscription.objects.filter(person=person).exists()
    assert OptOut.objects.filter(email_hash=newsletter.email_hash("a@exemple.fr")).exists()


def test_public_pages_show_the_subscription_forms(client, site, issue):
    home = client.get("/").content.decode()
    assert 'id="newsletter-home-email"' in home and 'id="newsletter-footer-email"' in home
    archive = client.get(issue.get_parent().url)
    assert archive.status_code == 200
    assert issue.title not in archive.content.decode()  # listed once sent
    Campaign.objects.create(page=issue, state=Campaign.State.DONE, finished_at=timezone.now())
    assert issue.title in client.get(issue.get_parent().url).content.decode()
    assert 'name="territories"' in archive.content.decode()
    page = client.get(issue.url)
    assert page.status_code == 200 and "Bonjour à tous" in page.content.decode()
