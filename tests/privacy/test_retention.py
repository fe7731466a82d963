"""Each retention rule removes exactly what is past its duration, on a frozen clock, and nothing
else; the registry, the daily task, the managers' preview and the privacy page agree."""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core import mail
from django.utils import timezone

from wagtail.models import Locale

import pytest
import time_machine

from cms.models import FormPage, Submission
from community import services
from community.models import FollowUp, Person, ReferenceTenant, User
from community.privacy import rules as privacy
from community.registries import RetentionRegistry, RetentionRule, retention
from events.attendance.rules import add_walk_in
from events.models.attendance import WalkIn
from events.models.bookings import Booking, Participant
from tests import factories
from tests.accounts.helpers import resident
from tests.privacy.conftest import figures, sign_up

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 6, 15, 3, 0, tzinfo=PARIS)


def event_on(day: dt.date, territory, **kwargs):
    start = dt.datetime.combine(day, dt.time(14, 0), tzinfo=PARIS)
    return factories.EventFactory(
        territory=territory, start=start, end=start + dt.timedelta(hours=2), **kwargs
    )


def test_every_rule_named_in_the_brief_is_registered_with_its_setting():
    settings_of = {rule.key: (rule.setting, rule.duration, rule.unit) for rule in retention}
    assert settings_of == {
        "events.registrations": ("RETENTION_MONTHS", 12, "months"),
        "events.access_needs": ("RETENTION_ACCESS_NEEDS_MONTHS", 1, "months"),
        "community.follow_up_notes": ("RETENTION_FOLLOW_UP_MONTHS", 24, "months"),
        "community.partner_follow_ups": ("RETENTION_FOLLOW_UP_MONTHS", 24, "months"),
        "cms.submissions": ("RETENTION_SUBMISSIONS_MONTHS", 12, "months"),
        "community.inactive_accounts": ("RETENTION_INACTIVE_ACCOUNT_MONTHS", 36, "months"),
        "community.inactive_accounts_deletion": (
            "RETENTION_INACTIVE_ACCOUNT_GRACE_DAYS",
            30,
            "days",
        ),
        "events.survey_comments": ("RETENTION_MONTHS", 12, "months"),
        "events.stopped_follows": ("RETENTION_MONTHS", 12, "months"),
        "cms.newsletter_unconfirmed": ("NEWSLETTER_CONFIRMATION_DAYS", 30, "days"),
        "community.import_files": ("RETENTION_IMPORT_DAYS", 7, "days"),
        "events.outbox": ("RETENTION_OUTBOX_DAYS", 90, "days"),
    }
    assert settings.CELERY_BEAT_SCHEDULE["community-run-retention"]["task"] == (
        "community.run_retention"
    )


def test_a_rule_key_is_registered_once_and_a_failing_rule_does_not_stop_the_others():
    registry = RetentionRegistry()
    rule = RetentionRule("x.a", "A", "RETENTION_MONTHS", lambda now: 0, lambda now: 1)
    registry.register(rule)
    with pytest.raises(ValueError, match="already registered"):
        registry.register(rule)

    def boom(now):
        raise RuntimeError("boom")

    registry.register(RetentionRule("x.b", "B", "RETENTION_MONTHS", lambda now: 0, boom))
    registry.register(RetentionRule("x.c", "C", "RETENTION_MONTHS", lambda now: 0, lambda n: 2))
    assert registry.run(NOW) == {"x.a": 1, "x.b": None, "x.c": 2}


def test_registrations_are_anonymised_twelve_months_after_the_event_and_no_sooner(
    territories, mediator
):
    lyon8 = territories["Lyon 8"]
    old = event_on(dt.date(2025, 6, 1), lyon8)  # ended 12 months + 2 weeks ago
    edge = event_on(dt.date(2025, 6, 20), lyon8)  # ends 12 months ago in 5 days
    recent = event_on(dt.date(2026, 3, 1), lyon8)
    with time_machine.travel(dt.datetime(2025, 5, 1, tzinfo=PARIS), tick=False):
        gone = sign_up(old, email="ancienne@exemple.fr", first_name="Ancienne", bands=("60+",))
        both = sign_up(old, email="fidele@exemple.fr", first_name="Fidele")
        sign_up(edge, email="limite@exemple.fr", first_name="Limite")
        member = sign_up(old, email="referente@exemple.fr", first_name="Referente")
        account = resident(email="compte@exemple.fr")
        services.link_person_to_user(account)
        with_account = sign_up(old, email="compte@exemple.fr", first_name="Compte")
        add_walk_in(
            event_id=old.pk,
            count=2,
            age_band="60+",
            client_key="k1",
            user=mediator,
            first_name="Passant",
            contact="0600000000",
            consent_text="J'accepte.",
        )
        add_walk_in(
            event_id=recent.pk,
            count=1,
            age_band="25-59",
            client_key="k2",
            user=mediator,
            first_name="Récent",
            contact="",
            consent_text="J'accepte.",
        )
    with time_machine.travel(dt.datetime(2026, 2, 1, tzinfo=PARIS), tick=False):
        sign_up(recent, email="fidele@exemple.fr", first_name="Fidele")
    factories.ReferenceTenantFactory(
        person=member.person, residence=factories.ResidenceFactory(territory=lyon8)
    )
    before = figures()
    rule = retention.get("events.registrations")

    with time_machine.travel(NOW, tick=False):
        # Old: 4 participants (gone, both, member, with_account) + 1 walk-in + 1 person (gone).
        assert rule.preview(timezone.now()) == 6
        assert privacy.run_retention()["events.registrations"] == 6
        assert rule.preview(timezone.now()) == 0
        assert rule.run(timezone.now()) == 0  # safe to run twice

    gone_person = Person.objects.get(pk=gone.person_id)
    assert gone_person.anonymised_at is not None and gone_person.email is None
    # Names of parties at the old event are blanked; people still in touch keep their row.
    assert set(
        Participant.objects.filter(registration__event=old).values_list("first_name", flat=True)
    ) == {""}
    for kept in (both, member, with_account):
        assert Person.objects.get(pk=kept.person_id).anonymised_at is None
    assert Person.objects.get(email="limite@exemple.fr").anonymised_at is None
    assert Participant.objects.get(registration__event=edge).first_name == "Participant0"
    assert Participant.objects.get(registration__event=recent).first_name == "Participant0"
    assert Booking.objects.get(registrations__event=old, person=gone.person).consent_text == ""
    walk_in_old = WalkIn.objects.get(event=old)
    assert (walk_in_old.first_name, walk_in_old.contact, walk_in_old.count) == ("", "", 2)
    assert WalkIn.objects.get(event=recent).first_name == "Récent"
    # The figures stay: every registered indicator, and the rows they count.
    assert figures() == before


def test_access_needs_are_erased_one_month_after_the_event(territories):
    lyon8 = territories["Lyon 8"]
    past = event_on(dt.date(2026, 5, 10), lyon8)
    last_week = event_on(dt.date(2026, 6, 8), lyon8)
    with time_machine.travel(dt.datetime(2026, 5, 1, tzinfo=PARIS), tick=False):
        a = sign_up(past, email="a@exemple.fr", access_needs="Fauteuil", access_needs_consent=True)
        b = sign_up(
            last_week,
            email="b@exemple.fr",
            access_needs="Boucle magnétique",
            access_needs_consent=True,
        )
    with time_machine.travel(NOW, tick=False):
        assert retention.get("events.access_needs").preview(timezone.now()) == 1
        assert retention.get("events.access_needs").run(timezone.now()) == 1
        assert retention.get("events.access_needs").run(timezone.now()) == 0
    a.booking.refresh_from_db()
    b.booking.refresh_from_db()
    assert (a.booking.access_needs, a.booking.access_needs_consent_at) == ("", None)
    assert b.booking.access_needs == "Boucle magnétique"
    assert Participant.objects.filter(registration=a).get().first_name == "Participant0"


def test_follow_up_notes_are_erased_24_months_after_the_tenant_stopped(territories):
    residence = factories.ResidenceFactory(territory=territories["Lyon 8"])
    with time_machine.travel(dt.datetime(2024, 6, 1, tzinfo=PARIS), tick=False):
        stopped_long_ago = factories.ReferenceTenantFactory(residence=residence)
        stopped_long_ago.status = ReferenceTenant.Status.STOPPED
        stopped_long_ago.save()
    with time_machine.travel(dt.datetime(2024, 7, 1, tzinfo=PARIS), tick=False):
        stopped_recently = factories.ReferenceTenantFactory(residence=residence)
        stopped_recently.status = ReferenceTenant.Status.STOPPED
        stopped_recently.save(update_fields=["status"])
    active = factories.ReferenceTenantFactory(residence=residence)
    assert stopped_long_ago.stopped_on == dt.date(2024, 6, 1)
    assert ReferenceTenant.objects.get(pk=stopped_recently.pk).stopped_on == dt.date(2024, 7, 1)
    old_note = factories.FollowUpFactory(reference_tenant=stopped_long_ago, note="Parle du bruit")
    kept_note = factories.FollowUpFactory(reference_tenant=stopped_recently, note="A déménagé")
    active_note = factories.FollowUpFactory(reference_tenant=active, note="Très investie")

    with time_machine.travel(NOW, tick=False):
        rule = retention.get("community.follow_up_notes")
        assert rule.preview(timezone.now()) == 1
        assert rule.run(timezone.now()) == 1
    assert FollowUp.objects.get(pk=old_note.pk).note == ""
    assert FollowUp.objects.get(pk=kept_note.pk).note == "A déménagé"
    assert FollowUp.objects.get(pk=active_note.pk).note == "Très investie"
    assert FollowUp.objects.count() == 3  # the rows stay for the figures
    stopped_long_ago.status = ReferenceTenant.Status.ACTIVE
    stopped_long_ago.save()
    assert ReferenceTenant.objects.get(pk=stopped_long_ago.pk).stopped_on is None


def test_form_submissions_are_deleted_twelve_months_after_they_were_sent(demo_site):
    page = FormPage.objects.get(kind=FormPage.Kind.CONTACT)
    old = Submission.objects.create(page=page, form_data={"message": "ancien"})
    edge = Submission.objects.create(page=page, form_data={"message": "limite"})
    Submission.objects.filter(pk=old.pk).update(submit_time=dt.datetime(2025, 6, 1, tzinfo=PARIS))
    Submission.objects.filter(pk=edge.pk).update(submit_time=dt.datetime(2025, 6, 20, tzinfo=PARIS))
    with time_machine.travel(NOW, tick=False):
        rule = retention.get("cms.submissions")
        assert rule.preview(timezone.now()) == 1
        assert rule.run(timezone.now()) == 1
    assert list(Submission.objects.values_list("pk", flat=True)) == [edge.pk]


def test_inactive_accounts_are_warned_after_three_years_then_deleted_30_days_later(territories):
    with time_machine.travel(dt.datetime(2023, 5, 1, tzinfo=PARIS), tick=False):
        sleeping = resident(email="dormeur@exemple.fr", first_name="Dormeur")
        services.link_person_to_user(sleeping)
        User.objects.filter(pk=sleeping.pk).update(last_login=timezone.now())
        woken = resident(email="revenu@exemple.fr", first_name="Revenu")
        User.objects.filter(pk=woken.pk).update(last_login=timezone.now())
        staff = factories.StaffFactory(email="equipe@exemple.fr")
        User.objects.filter(pk=staff.pk).update(last_login=timezone.now())
    with time_machine.travel(dt.datetime(2024, 1, 1, tzinfo=PARIS), tick=False):
        active = resident(email="actif@exemple.fr")
        User.objects.filter(pk=active.pk).update(last_login=timezone.now())
    warn = retention.get("community.inactive_accounts")
    delete = retention.get("community.inactive_accounts_deletion")

    with time_machine.travel(NOW, tick=False):
        assert warn.preview(timezone.now()) == 2
        assert privacy.run_retention()["community.inactive_accounts"] == 2
        assert warn.run(timezone.now()) == 0  # warned once
        assert delete.preview(timezone.now()) == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["dormeur@exemple.fr", "revenu@exemple.fr"]
    assert "15 juillet 2026" in mail.outbox[0].body
    assert "<html" in mail.outbox[0].alternatives[0][0]

    # "revenu" signs in within the grace period; "dormeur" does not.
    with time_machine.travel(NOW + dt.timedelta(days=10), tick=False):
        from django.contrib.auth.signals import user_logged_in
        from django.test import RequestFactory

        woken.refresh_from_db()
        woken.last_login = timezone.now()
        woken.save(update_fields=["last_login"])
        user_logged_in.send(sender=User, request=RequestFactory().get("/"), user=woken)

    with time_machine.travel(NOW + dt.timedelta(days=29), tick=False):
        assert delete.run(timezone.now()) == 0
    with time_machine.travel(NOW + dt.timedelta(days=31), tick=False):
        assert delete.preview(timezone.now()) == 1
        assert privacy.run_retention()["community.inactive_accounts_deletion"] == 1
    assert not User.objects.filter(email="dormeur@exemple.fr").exists()
    assert Person.objects.filter(first_name="", anonymised_at__isnull=False).count() == 1
    assert set(User.objects.values_list("email", flat=True)) == {
        "revenu@exemple.fr",
        "equipe@exemple.fr",
        "actif@exemple.fr",
    }
    assert User.objects.get(email="revenu@exemple.fr").inactivity_warned_at is None


def test_the_daily_task_runs_every_rule(territories):
    from community import tasks

    result = tasks.run_retention.apply().get()
    assert set(result) == {rule.key for rule in retention}


def test_the_privacy_page_states_the_durations_from_the_settings(client, settings, demo_site):
    from cms.models import PrivacyPage

    page = PrivacyPage.objects.filter(locale=Locale.get_default()).first()
    assert page is not None
    settings.RETENTION_ACCESS_NEEDS_MONTHS = 2
    settings.RETENTION_FOLLOW_UP_MONTHS = 30
    body = client.get(page.url).content.decode().replace("&nbsp;", " ").replace("\u00a0", " ")
    assert (
        "Besoins d&#x27;accessibilité : effacés après l&#x27;événement, au bout de 2 mois" in body
    )
    assert "au bout de 30 mois" in body
    assert "au bout de 30 jours" in body


def test_a_manager_sees_what_the_next_run_will_remove(client, territories, manager):
    residence = factories.ResidenceFactory(territory=territories["Lyon 8"])
    tenant = factories.ReferenceTenantFactory(residence=residence)
    ReferenceTenant.objects.filter(pk=tenant.pk).update(
        status=ReferenceTenant.Status.STOPPED, stopped_on=dt.date(2020, 1, 1)
    )
    factories.FollowUpFactory(reference_tenant=tenant, note="Vieille note")
    client.force_login(manager)
    response = client.get("/admin/confidentialite/conservation/")
    assert response.status_code == 200
    rows = {row["rule"].key: row["count"] for row in response.context["rows"]}
    assert rows["community.follow_up_notes"] == 1
    assert "Notes de suivi des locataires référents qui ont arrêté" in response.content.decode()
    assert FollowUp.objects.get(reference_tenant=tenant).note == "Vieille note"  # preview only


def test_survey_comments_are_erased_with_the_registrations_and_ratings_stay(territories):
    from events.models import SurveyAnswer

    old = event_on(dt.date(2025, 6, 1), territories["Lyon 8"])
    recent = event_on(dt.date(2026, 3, 1), territories["Lyon 8"])
    SurveyAnswer.objects.create(event=old, rating=4, comment="Merci à Karim, du bâtiment B.")
    SurveyAnswer.objects.create(event=recent, rating=5, comment="Très bien.")
    rule = retention.get("events.survey_comments")
    with time_machine.travel(NOW, tick=False):
        assert rule.preview(timezone.now()) == 1
        assert rule.run(timezone.now()) == 1
        assert rule.run(timezone.now()) == 0
    assert sorted(SurveyAnswer.objects.values_list("rating", "comment")) == [
        (4, ""),
        (5, "Très bien."),
    ]


def test_followers_are_kept_and_stopped_follows_go_twelve_months_after(territories):
    from events.models import SeriesFollow
    from events.series import rules as series_rules
    from tests.events.series_helpers import follower_contact, make_series

    lyon8 = territories["Lyon 8"]
    with time_machine.travel(dt.datetime(2025, 3, 1, 9, tzinfo=PARIS), tick=False):
        cafe = make_series(lyon8)
        series_rules.sync_series(cafe.pk)  # sessions until June 2025, which followers join
        staying, leaving, left_recently = (
            series_rules.follow(
                series_id=cafe.pk, contact=follower_contact(n), age_band="60+", consent_text="Oui."
            )
            for n in range(3)
        )
    SeriesFollow.objects.filter(pk=leaving.pk).update(
        stopped_at=dt.datetime(2025, 5, 1, tzinfo=PARIS)
    )
    SeriesFollow.objects.filter(pk=left_recently.pk).update(
        stopped_at=dt.datetime(2026, 1, 1, tzinfo=PARIS)
    )
    rule = retention.get("events.stopped_follows")
    with time_machine.travel(NOW, tick=False):
        assert rule.preview(timezone.now()) == 1
        privacy.run_retention()
        assert rule.preview(timezone.now()) == 0
    assert set(SeriesFollow.objects.values_list("pk", flat=True)) == {staying.pk, left_recently.pk}
    # The follower's registrations are all older than twelve months, but they still follow.
    assert Person.objects.get(pk=staying.person_id).anonymised_at is None
    assert Person.objects.get(pk=leaving.person_id).anonymised_at is not None
