import pytest

from events.models import Event
from tests.factories import EventFactory, ResidenceFactory, StaffFactory

pytestmark = pytest.mark.django_db

URL = "wagtailsnippets_events_event"


@pytest.fixture
def lyon8_event(territories):
    return EventFactory(territory=territories["Lyon 8"], title="Café Lyon 8")


@pytest.fixture
def lyon9_mediator(client, territories):
    user = StaffFactory(territories=[territories["Lyon 9"]])
    client.force_login(user)
    return user


def test_lyon9_mediator_cannot_open_or_edit_a_lyon8_event(client, lyon9_mediator, lyon8_event):
    from django.urls import reverse

    pk = lyon8_event.pk
    for name in (
        "edit",
        "delete",
        "history",
        "usage",
        "copy",
        "unpublish",
        "lock",
        "cancel",
    ):
        url = reverse(f"{URL}:{name}", args=[pk])
        assert client.get(url).status_code in (403, 404), name
        assert client.post(url, {"title": "Piraté", "reason": "x"}).status_code in (403, 404), name
    event = Event.objects.get(pk=pk)
    assert event.title == "Café Lyon 8"
    assert event.cancelled_at is None
    assert event.live


def test_lyon9_mediator_lists_only_lyon9_events(client, lyon9_mediator, lyon8_event, territories):
    from django.urls import reverse

    EventFactory(territory=territories["Lyon 9"], title="Atelier Lyon 9")
    html = client.get(reverse(f"{URL}:list")).content.decode()
    assert "Atelier Lyon 9" in html
    assert "Café Lyon 8" not in html


def test_mediator_edits_own_territory_event(client, territories):
    from django.urls import reverse

    user = StaffFactory(territories=[territories["Lyon 8"]])
    client.force_login(user)
    event = EventFactory(territory=territories["Lyon 8"])
    assert client.get(reverse(f"{URL}:edit", args=[event.pk])).status_code == 200


def test_forms_offer_only_visible_territories_and_residences(client, lyon9_mediator, territories):
    from django.urls import reverse

    ResidenceFactory(name="Le Château", territory=territories["Lyon 9"])
    ResidenceFactory(name="Albert Laurent", territory=territories["Lyon 8"])
    response = client.get(reverse(f"{URL}:add"))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["territory"].queryset) == [territories["Lyon 9"]]
    assert [r.name for r in form.fields["residence"].queryset] == ["Le Château"]


def test_posting_a_hidden_territory_is_refused(client, lyon9_mediator, territories):
    from django.urls import reverse

    response = client.post(
        reverse(f"{URL}:add"),
        {
            "title": "Intrusion",
            "kind": "other",
            "audience": "everyone",
            "territory": territories["Lyon 8"].pk,
            "venue_name": "Ailleurs",
            "start": "2027-01-10 18:00",
            "end": "2027-01-10 20:00",
        },
    )
    assert response.status_code == 200
    assert not Event.objects.filter(title="Intrusion").exists()


def test_admin_list_filters_by_territory_kind_date_and_state(client, territories):
    from django.urls import reverse

    manager = StaffFactory(role="Manager")
    client.force_login(manager)
    EventFactory(territory=territories["Lyon 8"], title="Publié Lyon 8", kind="awareness")
    EventFactory(territory=territories["Lyon 9"], title="Brouillon Lyon 9", live=False)
    url = reverse(f"{URL}:list")
    html = client.get(url, {"territory": territories["Lyon 9"].pk}).content.decode()
    assert "Brouillon Lyon 9" in html and "Publié Lyon 8" not in html
    html = client.get(url, {"kind": "awareness"}).content.decode()
    assert "Publié Lyon 8" in html and "Brouillon Lyon 9" not in html
    html = client.get(url, {"state": "draft"}).content.decode()
    assert "Brouillon Lyon 9" in html and "Publié Lyon 8" not in html
    html = client.get(url, {"start_from": "2000-01-01", "start_to": "2000-01-02"}).content.decode()
    assert "Brouillon Lyon 9" not in html and "Publié Lyon 8" not in html


def test_cancel_view_goes_through_the_service(client, territories):
    from django.urls import reverse

    user = StaffFactory(territories=[territories["Lyon 8"]])
    client.force_login(user)
    event = EventFactory(territory=territories["Lyon 8"])
    url = reverse(f"{URL}:cancel", args=[event.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert Event.objects.get(pk=event.pk).cancelled_at is None
    response = client.post(url, {"reason": "Salle fermée"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.is_cancelled and event.cancellation_reason == "Salle fermée"
    client.post(url)
    assert not Event.objects.get(pk=event.pk).is_cancelled


def test_roles_hold_the_event_permissions(territories):
    mediator = StaffFactory(territories=[territories["Lyon 8"]])
    communication = StaffFactory(role="Communication")
    for action in ("add", "change", "delete", "view", "publish", "lock"):
        assert mediator.has_perm(f"events.{action}_event")
    assert communication.has_perm("events.view_event")
    assert not communication.has_perm("events.change_event")


def test_editor_previews_an_event_before_publishing(client, territories):
    from django.urls import reverse

    user = StaffFactory(territories=[territories["Lyon 8"]])
    client.force_login(user)
    event = EventFactory(territory=territories["Lyon 8"], live=False, title="Avant-première")
    edit = client.get(reverse(f"{URL}:edit", args=[event.pk]))
    assert edit.status_code == 200
    assert "Annuler l&#x27;événement" in edit.content.decode()
    url = reverse(f"{URL}:preview_on_edit", args=[event.pk])
    data = {
        "title": "Avant-première modifiée",
        "kind": "cafe_mediation",
        "audience": "everyone",
        "territory": territories["Lyon 8"].pk,
        "venue_name": "Salle",
        "reminder_hours": 48,
        "start": "2027-01-10 18:00",
        "end": "2027-01-10 20:00",
    }
    assert client.post(url, data).json()["is_valid"] is True
    preview = client.get(url)
    assert preview.status_code == 200
    assert "Avant-première modifiée" in preview.content.decode()
    assert Event.objects.get(pk=event.pk).title == "Avant-première"


def test_bulk_delete_refuses_events_of_other_territories(client, lyon9_mediator, lyon8_event):
    response = client.post(
        f"/admin/bulk/events/event/delete/?id={lyon8_event.pk}", {"next": "/admin/"}
    )
    assert response.status_code in (403, 404)
    assert Event.objects.filter(pk=lyon8_event.pk).exists()


def test_bulk_delete_works_within_own_territory(client, territories):
    user = StaffFactory(territories=[territories["Lyon 8"]])
    client.force_login(user)
    event = EventFactory(territory=territories["Lyon 8"])
    response = client.post(f"/admin/bulk/events/event/delete/?id={event.pk}", {"next": "/admin/"})
    assert response.status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize("how", ["single", "bulk"])
def test_deleting_an_event_with_registrations_is_refused_with_a_message(client, territories, how):
    from django.contrib.messages import get_messages
    from django.urls import reverse

    from tests.events.signup_helpers import register

    user = StaffFactory(territories=[territories["Lyon 8"]])
    client.force_login(user)
    event = EventFactory(territory=territories["Lyon 8"])
    register(event)
    url = (
        reverse(f"{URL}:delete", args=[event.pk])
        if how == "single"
        else f"/admin/bulk/events/event/delete/?id={event.pk}"
    )
    response = client.post(url, {"next": "/admin/"})
    assert response.status_code == 302
    assert Event.objects.filter(pk=event.pk).exists()
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("Suppression impossible : des fiches en dépendent (inscriptions")
