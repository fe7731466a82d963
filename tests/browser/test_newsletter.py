"""An editor starts a new issue from "Envoyer la lettre", writes it in the Wagtail admin,
previews it as an email (no wider than a 360 px phone), sends a test to themselves, confirms
"Envoyer à N abonnés ?" and watches the progress reach the finished state with its date and
audience (a real worker on Redis sends); the archive lists the issue only once sent;
a reader subscribes on a phone (360 px) and confirms from the email. No axe violation on the
public pages."""

import json
import tempfile
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.utils import timezone

import pytest
from playwright.sync_api import expect

from cms.models import Campaign, NewsletterIndexPage, NewsletterIssuePage, Subscription
from config.celery_app import app as celery_app
from tests.cms.newsletter_helpers import bulk_subscribers, link_in
from tests.factories import StaffFactory
from tests.support.browser import assert_no_axe_violations
from tests.support.smtp import SmtpSink
from tests.support.worker import CeleryWorker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.serial]

SUBSCRIBERS = 150
SHOTS = Path(tempfile.gettempdir())  # screenshots to look at, never in the repository


def _sign_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.fixture
def slow_sink(settings):
    sink = SmtpSink(delay=0.01).start()  # 10 ms a message: the progress bar has time to move
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_USE_TLS = False
    yield sink
    sink.stop()


@pytest.fixture
def worker(redis_url, slow_sink, live_server):
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    previous = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = redis_url
    worker = CeleryWorker(
        redis_url,
        extra_env={
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(slow_sink.port),
            "NEWSLETTER_RATE_PER_SECOND": "0",
            "NEWSLETTER_BATCH_SIZE": "10",
            "WAGTAILADMIN_BASE_URL": live_server.url,
        },
    ).start()
    yield worker
    worker.discard()
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = previous


def test_editor_writes_previews_tests_and_sends_an_issue(
    browser, live_server, home_page, slow_sink, worker, settings
):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    index = NewsletterIndexPage(title="La lettre", slug="lettre")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    bulk_subscribers(SUBSCRIBERS)
    editor = StaffFactory(email="redaction@vivre-ensemble.localhost", is_superuser=True)

    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="fr-FR", base_url=live_server.url
    )
    _sign_in(context, live_server, editor)
    admin = context.new_page()
    admin.set_default_timeout(20_000)

    # "Envoyer la lettre" starts the journey: its main button is "Nouvelle lettre".
    admin.goto("/admin/lettre/")
    assert_no_axe_violations(admin)
    admin.get_by_role("link", name="Nouvelle lettre").click()
    admin.wait_for_url(f"**/admin/pages/add/cms/newsletterissuepage/{index.pk}/")

    # Write the issue in the page editor and publish it.
    admin.locator("#id_title").fill("La lettre d'automne")
    admin.locator("#id_summary").fill("La journée annuelle de la médiation sociale approche.")
    admin.get_by_role("button", name="Insérer un bloc").first.click()
    admin.get_by_role("option", name="Éditorial").click()
    text = admin.locator(".public-DraftEditor-content").first
    text.click()
    text.press_sequentially("Chers voisins, voici les nouvelles du trimestre.", delay=5)
    admin.get_by_text("Chers voisins, voici les nouvelles du trimestre.").wait_for()
    admin.locator("#id_summary").click()  # leave the editor: Draftail saves its state
    admin.wait_for_timeout(600)
    admin.get_by_role("button", name="Plus d'actions").click()
    admin.get_by_role("button", name="Publier").click()
    try:
        admin.wait_for_url(f"**/admin/pages/{index.pk}/")
    finally:
        admin.screenshot(path=SHOTS / "i10-admin-published.png")
    issue = NewsletterIssuePage.objects.get()
    assert issue.live
    assert issue.body[0].block_type == "editorial"
    assert "Chers voisins" in issue.body[0].value["text"].source

    # Published but not sent: not in the public archive yet.
    reader = context.new_page()
    reader.goto(index.url)
    expect(reader.get_by_role("link", name="La lettre d'automne")).to_have_count(0)

    # The send screen: preview as email, send a test to myself.
    admin.goto("/admin/lettre/")
    admin.get_by_role("link", name="La lettre d'automne").click()
    expect(admin.get_by_text(f"{SUBSCRIBERS} abonnés confirmés en tout.")).to_be_visible()
    assert_no_axe_violations(admin)
    with context.expect_page() as preview_tab:
        admin.get_by_role("link", name="Aperçu du courriel").click()
    preview = preview_tab.value
    preview.wait_for_load_state()
    preview.screenshot(path=SHOTS / "i10-email-preview.png", full_page=True)
    expect(preview.get_by_text("Chers voisins, voici les nouvelles du trimestre.")).to_be_visible()
    expect(preview.get_by_role("link", name="Se désabonner en un clic")).to_be_visible()
    preview.set_viewport_size({"width": 360, "height": 800})
    assert preview.evaluate("document.documentElement.scrollWidth") <= 360
    preview.close()

    admin.get_by_role("button", name="M'envoyer un test").click()
    expect(admin.get_by_text("Un envoi de test est parti vers")).to_be_visible()
    [test_message] = slow_sink.to(editor.email)
    assert test_message.subject.startswith("[Test]")

    # Send to every subscriber: the screen asks "Envoyer à N abonnés ?" first.
    admin.get_by_role("button", name="Envoyer (ou programmer)").click()
    expect(admin.get_by_role("heading", name=f"Envoyer à {SUBSCRIBERS} abonnés ?")).to_be_visible()
    assert not Campaign.objects.exists()
    assert_no_axe_violations(admin)
    admin.get_by_role("button", name=f"Oui, envoyer à {SUBSCRIBERS} abonnés").click()
    expect(admin.get_by_text("L'envoi a commencé.")).to_be_visible()
    expect(admin.locator('[data-field="total"]')).to_have_text(str(SUBSCRIBERS))
    # No screenshot here: the progress page reloads itself, and a screenshot taken during a
    # reload waits for a page that is being replaced.

    # The progress refreshes itself, then the page shows the finished state.
    expect(admin.locator("#campaign-finished")).to_contain_text(
        f"à {SUBSCRIBERS} abonnés (tous les abonnés)", timeout=90_000
    )
    expect(admin.locator("#campaign-finished")).to_contain_text("Envoyé le ")
    assert admin.locator("#campaign-progress").evaluate("bar => bar.value") == 100
    expect(admin.locator('[data-field="sent"]')).to_have_text(str(SUBSCRIBERS))
    expect(admin.locator("#campaign-state")).to_have_text("Terminé")
    assert_no_axe_violations(admin)
    admin.screenshot(path=SHOTS / "i10-progress-done.png")
    campaign = Campaign.objects.get()
    assert campaign.state == Campaign.State.DONE
    assert len({m.message_id for m in slow_sink.messages}) == SUBSCRIBERS + 1

    # Sent: the archive lists it.
    reader.goto(index.url)
    expect(reader.get_by_role("link", name="La lettre d'automne")).to_be_visible()
    context.close()


def test_reader_subscribes_on_a_phone_and_confirms_from_the_email(
    page, live_server, home_page, smtp_sink, settings, territories
):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    settings.CELERY_TASK_ALWAYS_EAGER = True
    index = NewsletterIndexPage(title="La lettre", slug="lettre")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    issue = NewsletterIssuePage(
        title="La lettre n° 1",
        slug="n1",
        summary="Le Café Médiation et la fête du tri.",
        body=json.dumps(
            [{"type": "editorial", "value": {"heading": "Édito", "text": "<p>Bonne lecture</p>"}}]
        ),
    )
    index.add_child(instance=issue)
    issue.save_revision().publish()
    Campaign.objects.create(page=issue, state=Campaign.State.DONE, finished_at=timezone.now())

    page.goto("/")
    assert_no_axe_violations(page)
    page.goto(index.url)
    expect(page.get_by_role("link", name="La lettre n° 1")).to_be_visible()
    assert_no_axe_violations(page)
    page.goto(issue.url)
    assert_no_axe_violations(page)

    # The footer's short form (a GET: the page carries no cookie) opens the full form, filled in.
    footer = page.get_by_role("contentinfo")
    footer.get_by_role("textbox", name="Votre adresse électronique").fill("amina@exemple.fr")
    footer.get_by_role("checkbox", name="J'accepte de recevoir la lettre").check()
    footer.get_by_role("button", name="M'abonner").click()
    main = page.get_by_role("main")
    expect(main.get_by_role("textbox", name="Votre adresse électronique")).to_have_value(
        "amina@exemple.fr"
    )
    assert not Subscription.objects.exists()  # nothing written until the full form is sent
    main.get_by_role("textbox", name="Votre adresse électronique").fill("pas-une-adresse")
    main.get_by_role("button", name="M'abonner").click()
    expect(main.get_by_text("Saisissez une adresse électronique valide.")).to_be_visible()
    assert_no_axe_violations(page)
    main.get_by_role("textbox", name="Votre adresse électronique").fill("amina@exemple.fr")
    main.get_by_role("textbox", name="Votre prénom").fill("Amina")
    main.get_by_role("checkbox", name="Lyon 8").check()
    main.get_by_role("checkbox", name="J'accepte de recevoir la lettre").check()
    page.screenshot(path=SHOTS / "i10-subscribe-360.png", full_page=True)
    main.get_by_role("button", name="M'abonner").click()
    expect(page.get_by_role("heading", name="Vérifiez votre boîte de réception")).to_be_visible()
    assert_no_axe_violations(page)

    [message] = smtp_sink.to("amina@exemple.fr")
    page.goto(link_in(message.text(), "/lettre/confirmer/"))
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Je confirme mon abonnement").click()
    expect(page.get_by_role("heading", name="Abonnement confirmé")).to_be_visible()
    assert_no_axe_violations(page)
    subscription = Subscription.objects.get(person__email="amina@exemple.fr")
    assert subscription.state == Subscription.State.ACTIVE
    assert [t.name for t in subscription.territories.all()] == ["Lyon 8"]
