"""The newsletter's checks before sending: preview and test send show the saved draft (and say
when it differs from the published issue); the audience honours "Aucun coché : tous"."""

import json

from django.core import mail
from django.urls import reverse

import pytest

from cms.models import Campaign, NewsletterTopic
from cms.newsletter import rules as newsletter
from tests.cms.newsletter_helpers import active_subscriber, issue_page
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

DRAFT_WARNING = "brouillon enregistré, pas encore publié"


@pytest.fixture
def editor(db):
    return StaffFactory(email="redaction@vivre-ensemble.localhost", is_superuser=True)


@pytest.fixture
def issue_with_draft(home_page, territories, editor):
    issue = issue_page(home_page)
    draft = issue.specific
    draft.title = "La lettre n° 1 (corrigée)"
    draft.body = json.dumps(
        [
            {
                "type": "editorial",
                "value": {"heading": "Le mot corrigé", "text": "<p>Texte du brouillon</p>"},
            }
        ]
    )
    draft.save_revision(user=editor)
    return issue


def test_preview_shows_the_saved_draft_and_says_it_is_not_published(
    client, issue_with_draft, editor
):
    client.force_login(editor)
    page = client.get(reverse("cms_newsletter:issue", args=[issue_with_draft.pk]))
    assert DRAFT_WARNING in page.content.decode()
    preview = client.get(reverse("cms_newsletter:preview", args=[issue_with_draft.pk]))
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Texte du brouillon" in html and "Bonjour à tous" not in html
    assert DRAFT_WARNING in html


def test_test_send_sends_the_saved_draft_to_the_editor_only(client, issue_with_draft, editor):
    active_subscriber("abonne@exemple.fr")
    client.force_login(editor)
    response = client.post(reverse("cms_newsletter:test", args=[issue_with_draft.pk]), follow=True)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([editor.email], "[Test] La lettre n° 1 (corrigée)")
    ]
    assert "Texte du brouillon" in mail.outbox[0].body
    assert "Bonjour à tous" not in mail.outbox[0].body
    assert DRAFT_WARNING in response.content.decode()


def test_preview_of_a_published_issue_without_draft_carries_no_warning(
    client, home_page, territories, editor
):
    issue = issue_page(home_page)
    client.force_login(editor)
    page = client.get(reverse("cms_newsletter:issue", args=[issue.pk]))
    assert DRAFT_WARNING not in page.content.decode()
    preview = client.get(reverse("cms_newsletter:preview", args=[issue.pk]))
    assert "Bonjour à tous" in preview.content.decode()
    assert DRAFT_WARNING not in preview.content.decode()


def test_a_subscriber_who_ticked_no_territory_or_topic_receives_every_targeted_issue(
    home_page, territories
):
    lyon8, lyon9 = territories["Lyon 8"], territories["Lyon 9"]
    tri = NewsletterTopic.objects.create(name="Tri")
    jeunesse = NewsletterTopic.objects.create(name="Jeunesse")
    active_subscriber("tout@exemple.fr")  # no territory, no topic ticked: everything
    active_subscriber("tri@exemple.fr", topics=[tri])  # every territory, sorting only
    active_subscriber("lyon8@exemple.fr", territories=[lyon8])  # Lyon 8, every topic
    active_subscriber("lyon9@exemple.fr", territories=[lyon9])  # not Lyon 8
    active_subscriber("jeunesse@exemple.fr", topics=[jeunesse])  # not sorting
    campaign = Campaign.objects.create(page=issue_page(home_page), audience_all=False)
    campaign.territories.set([lyon8])
    campaign.topics.set([tri])
    reached = sorted(newsletter.audience(campaign).values_list("person__email", flat=True))
    assert reached == ["lyon8@exemple.fr", "tout@exemple.fr", "tri@exemple.fr"]
