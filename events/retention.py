"""The events app's retention rules (registered in community.registries.retention): what it
holds about people is anonymised a set time after each event, while seats, age bands, statuses
and attendance stay for the indicators."""

from django.db.models import Exists, Max, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from community.models import Person
from community.registries import RetentionRule, retention
from community.services import anonymise_person
from events.models import SeriesFollow, SurveyAnswer
from events.models.attendance import WalkIn
from events.models.bookings import Booking, Participant, Registration
from events.models.outbox import OutboxMessage

REGISTRATIONS = "events.registrations"
ACCESS_NEEDS = "events.access_needs"
SURVEY_COMMENTS = "events.survey_comments"
STOPPED_FOLLOWS = "events.stopped_follows"
OUTBOX = "events.outbox"


def _cutoff(key, now):
    return retention.get(key).cutoff(now)


def _old_participants(now):
    return Participant.objects.filter(
        registration__event__end__lt=_cutoff(REGISTRATIONS, now)
    ).exclude(first_name="")


def _old_walk_ins(now):
    return WalkIn.objects.filter(event__end__lt=_cutoff(REGISTRATIONS, now)).exclude(
        first_name="", contact="", consent_text=""
    )


def _old_bookings(now):
    """Bookings whose every event ended before the cutoff and that still hold a text."""
    cutoff = _cutoff(REGISTRATIONS, now)
    return (
        Booking.objects.annotate(last_end=Max("registrations__event__end"))
        .filter(last_end__lt=cutoff)
        .exclude(consent_text="", access_needs="")
    )


def _persons_to_anonymise(now):
    """People known only through registrations that are all past retention: no account, no
    registration to a later event, nothing another app holds them for (its registered holds)."""
    cutoff = _cutoff(REGISTRATIONS, now)
    recent = Registration.objects.filter(person=OuterRef("pk"), event__end__gte=cutoff)
    any_registration = Registration.objects.filter(person=OuterRef("pk"))
    candidates = (
        Person.objects.active()
        .filter(user__isnull=True)
        .filter(Exists(any_registration))
        .exclude(Exists(recent))
    )
    held = retention.held_person_ids(now)
    if held:
        candidates = candidates.exclude(pk__in=held)
    return candidates


def preview_registrations(now) -> int:
    return (
        _old_participants(now).count()
        + _old_walk_ins(now).count()
        + _persons_to_anonymise(now).count()
    )


def anonymise_registrations(now) -> int:
    done = _old_participants(now).update(first_name="")
    done += _old_walk_ins(now).update(first_name="", contact="", consent_text="")
    Booking.objects.filter(pk__in=_old_bookings(now).values("pk")).update(
        consent_text="", access_needs="", access_needs_consent_at=None
    )
    for person_id in list(_persons_to_anonymise(now).values_list("pk", flat=True)):
        done += int(anonymise_person(person_id))
    return done


def _expired_access_needs(now):
    cutoff = _cutoff(ACCESS_NEEDS, now)
    return (
        Booking.objects.exclude(access_needs="", access_needs_consent_at=None)
        .annotate(last_end=Max("registrations__event__end"))
        .filter(Q(last_end__lt=cutoff))
    )


def preview_access_needs(now) -> int:
    return _expired_access_needs(now).count()


def erase_access_needs(now) -> int:
    return Booking.objects.filter(pk__in=_expired_access_needs(now).values("pk")).update(
        access_needs="", access_needs_consent_at=None
    )


def _old_survey_comments(now):
    """Satisfaction comments (free text, which may name people) of events past retention; the
    ratings stay for the indicators."""
    return SurveyAnswer.objects.filter(event__end__lt=_cutoff(SURVEY_COMMENTS, now)).exclude(
        comment=""
    )


def preview_survey_comments(now) -> int:
    return _old_survey_comments(now).count()


def erase_survey_comments(now) -> int:
    return _old_survey_comments(now).update(comment="")


def _old_stopped_follows(now):
    return SeriesFollow.objects.filter(stopped_at__lt=_cutoff(STOPPED_FOLLOWS, now))


def preview_stopped_follows(now) -> int:
    return _old_stopped_follows(now).count()


def delete_stopped_follows(now) -> int:
    return _old_stopped_follows(now).delete()[1].get("events.SeriesFollow", 0)


def _old_outbox_messages(now):
    """Finished messages (sent, failed, called, no answer) older than the setting that still
    hold an address, a phone or a text. A message waiting or being sent is never touched."""
    return (
        OutboxMessage.objects.filter(state__in=OutboxMessage.FINISHED)
        .annotate(finished_at=Coalesce("sent_at", "created_at"))
        .filter(finished_at__lt=_cutoff(OUTBOX, now))
        .exclude(to_email="", to_phone="", body_text="", body_html="")
    )


def preview_outbox(now) -> int:
    return _old_outbox_messages(now).count()


def blank_outbox(now) -> int:
    return OutboxMessage.objects.filter(pk__in=_old_outbox_messages(now).values("pk")).update(
        **OutboxMessage.BLANK
    )


def series_followers(now):
    """People who follow a Café Médiation series today: kept, whatever the age of their
    registrations."""
    return SeriesFollow.objects.filter(stopped_at__isnull=True).values_list("person_id", flat=True)


def register() -> None:
    if REGISTRATIONS in retention.rules:
        return
    retention.register(
        RetentionRule(
            key=REGISTRATIONS,
            label=_("Inscriptions, participants et présences"),
            setting="RETENTION_MONTHS",
            preview=preview_registrations,
            run=anonymise_registrations,
            description=_(
                "anonymisés après l'événement (les chiffres par tranche d'âge et territoire "
                "restent)"
            ),
        )
    )
    retention.register(
        RetentionRule(
            key=ACCESS_NEEDS,
            label=_("Besoins d'accessibilité"),
            setting="RETENTION_ACCESS_NEEDS_MONTHS",
            preview=preview_access_needs,
            run=erase_access_needs,
            description=_("effacés après l'événement"),
        )
    )
    retention.register(
        RetentionRule(
            key=SURVEY_COMMENTS,
            label=_("Commentaires des questionnaires de satisfaction"),
            setting="RETENTION_MONTHS",
            preview=preview_survey_comments,
            run=erase_survey_comments,
            description=_("effacés après l'événement (les notes restent)"),
        )
    )
    retention.register(
        RetentionRule(
            key=STOPPED_FOLLOWS,
            label=_("Suivis de Café Médiation arrêtés"),
            setting="RETENTION_MONTHS",
            preview=preview_stopped_follows,
            run=delete_stopped_follows,
            description=_("supprimés après l'arrêt du suivi"),
        )
    )
    retention.register(
        RetentionRule(
            key=OUTBOX,
            label=_("Messages envoyés (adresse, téléphone et texte)"),
            setting="RETENTION_OUTBOX_DAYS",
            unit="days",
            preview=preview_outbox,
            run=blank_outbox,
            description=_("effacés après l'envoi ou l'appel (le type et l'état restent)"),
        )
    )
    retention.hold("events.series_followers", series_followers)
