"""The newsletter's sending flow as communications staff walk it: a new issue or a copy of the
last one from "Envoyer la lettre", the recipients counted and confirmed before anything goes,
the progress counting the audience from the first second, the finished state with its date and
audience, the archive listing only issues that went out, and emails that read well on a phone
in the same colours as every other email."""

import re

from django.core import mail
from django.urls import reverse

import pytest

from cms.models import Campaign, NewsletterIssuePage, Subscription
from cms.newsletter import rules as newsletter
from tests.cms.newsletter_helpers import active_subscriber, issue_page
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_run_at_once(monkeypatch):
    """The test's transaction never commits: run the tasks queued "on commit" right away."""
    from cms import tasks

    for task in (tasks.newsletter_confirmation, tasks.newsletter_start, tasks.newsletter_send):
        monkeypatch.setattr(task, "delay_on_commit", task.delay)


@pytest.fixture
def editor(db):
    return StaffFactory(email="redaction@vivre-ensemble.localhost", is_superuser=True)


def test_send_flow_from_new_issue_to_the_finished_state(
    client, home_page, territories, editor, monkeypatch
):
    issue = issue_page(home_page)
    lyon8 = territories["Lyon 8"]
    active_subscriber("a@exemple.fr", territories=[lyon8])
    active_subscriber("b@exemple.fr")
    active_subscriber("c@exemple.fr", territories=[territories["Lyon 7"]])
    client.force_login(editor)

    # "Envoyer la lettre" starts a new issue or a copy of the last one; paper sign-ups are aside.
    overview = client.get(reverse("cms_newsletter:overview")).content.decode()
    index = issue.get_parent()
    assert f'href="/admin/pages/add/cms/newsletterissuepage/{index.pk}/"' in overview
    assert "Nouvelle lettre" in overview and "Dupliquer la dernière" in overview
    primary = re.search(r'<a class="button"[^>]*>([^<]+)</a>', overview).group(1)
    assert primary.strip() == "Nouvelle lettre"

    response = client.post(reverse("cms_newsletter:duplicate"))
    copy = NewsletterIssuePage.objects.exclude(pk=issue.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[copy.pk])
    assert not copy.live
    assert [b.block_type for b in copy.body] == [b.block_type for b in issue.body]
    assert copy.slug != issue.slug

    # The issue not sent yet is not in the public archive, even published.
    archive = client.get(index.url).content.decode()
    assert issue.title not in archive

    # Choosing the audience shows how many will receive it and asks before sending.
    url = reverse("cms_newsletter:issue", args=[issue.pk])
    page = client.get(url).content.decode()
    assert "3 abonnés confirmés en tout" in page
    asked = client.post(url, {"audience": "some", "territories": [lyon8.pk]})
    assert asked.status_code == 200
    assert "Envoyer à 2 abonnés ?" in asked.content.decode()
    assert not Campaign.objects.exists() and not mail.outbox

    # Confirmed: the campaign is recorded; before the worker starts, progress counts the audience.
    monkeypatch.setattr(newsletter.queue, "after_commit", lambda *args: None)
    done = client.post(url, {"audience": "some", "territories": [lyon8.pk], "confirmed": "1"})
    assert done.status_code == 302
    campaign = Campaign.objects.get()
    data = client.get(reverse("cms_newsletter:progress", args=[campaign.pk])).json()
    assert (data["total"], data["waiting"], data["state_label"]) == (2, 2, "En préparation")
    page = client.get(url).content.decode()
    assert '(sur <span data-field="total">2</span>)' in page
    assert 'href="' + url + '"' in page  # a refresh link that works without JavaScript

    # The worker sends; the finished state says when and to whom.
    newsletter.start(campaign.pk)
    newsletter.send_pending(campaign.pk)
    newsletter.finish_if_complete(campaign.pk)
    campaign.refresh_from_db()
    assert sorted(m.to[0] for m in mail.outbox) == ["a@exemple.fr", "b@exemple.fr"]
    page = client.get(url).content.decode()
    finished = campaign.finished_at.astimezone().strftime("%d/%m/%Y")
    assert re.search(r"Envoyé le " + finished, page), page
    assert "à 2 abonnés (territoires : Lyon 8)" in page
    overview = client.get(reverse("cms_newsletter:overview")).content.decode()
    assert "Envoyé le " + finished in overview

    # Once sent, the issue appears in the archive.
    assert issue.title in client.get(index.url).content.decode()


def test_emails_are_fluid_with_a_viewport_and_the_common_colours(client, home_page, territories):
    issue = issue_page(home_page)
    editor = StaffFactory(email="redaction@vivre-ensemble.localhost", is_superuser=True)
    html = newsletter.preview_html(issue, editor)
    assert 'width="600"' not in html and not re.search(r"(?<!max-)width: ?600px", html)
    assert "max-width:600px" in html.replace(" ", "")
    assert "#c0392b" not in html and "#0b4f8a" in html

    client.post(
        reverse("cms:newsletter_subscribe"),
        {"email": "nouvelle@exemple.fr", "consent": "on"},
    )
    assert Subscription.objects.filter(state=Subscription.State.PENDING).exists()
    [message] = mail.outbox
    confirm = message.alternatives[0][0]
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in confirm
    assert "#c0392b" not in confirm and "#0b4f8a" in confirm
    assert 'width="600"' not in confirm
