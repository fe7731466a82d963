"""The community app's rules, one function per action. Views, admin, tasks and commands call
these; none re-implements them."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.log_actions import log

from community import identity, permissions, queue, roles
from community.models import (
    FollowUp,
    JoinRequest,
    Person,
    ReferenceTenant,
    User,
    Voice,
    WorkingGroup,
)
from community.normalise import normalise_email, normalise_phone
from community.registries import personal_data, working_group_meetings

logger = logging.getLogger(__name__)

FOLLOW_UP_VIEW_ACTION = "community.followup.view"


def export_person_data(person: Person) -> dict:
    """Everything the platform holds about `person`, gathered from every app's exporter."""
    return personal_data.export(person)


@transaction.atomic
def anonymise_person(person_id: int) -> bool:
    """Blank a person's personal fields, after every app erased what it holds about them.

    The row stays, with its territory and age band, so the indicators keep counting it.
    Safe to run twice: returns False when the person was already anonymised (or is gone).
    """
    person = Person.objects.select_for_update().filter(pk=person_id).first()
    if person is None or person.anonymised_at is not None:
        return False
    personal_data.erase(person)
    person.first_name = ""
    person.last_name = ""
    person.email = None
    person.email_verified = False
    person.phone = None
    person.phone_verified = False
    person.user = None
    person.anonymised_at = timezone.now()
    person.save()
    return True


# Who a person is, is decided in community.identity alone; these names stay for their callers.
verified_emails = identity.verified_emails
link_person_to_user = identity.link_verified_user


# --- Reference tenants, follow-ups, voices, working groups -------------------------------------


class NotAllowed(PermissionDenied):
    """The user may not act on a record of this territory; carries the message they see."""


def _require_territory(user, territory_id) -> None:
    if not permissions.can_see_territory(user, territory_id):
        raise NotAllowed(_("Ce territoire ne fait pas partie des vôtres."))


def mediators_of(territory):
    """The active mediators working in a territory (a Territory or its id): who hears about its
    newcomer requests, join requests and voices."""
    territory_id = territory if isinstance(territory, int) else territory.pk
    return (
        User.objects.filter(
            is_active=True,
            territories=territory_id,
            groups__name=roles.MEDIATOR,
        )
        .exclude(email="")
        .distinct()
        .order_by("email")
    )


@transaction.atomic
def record_follow_up(user, reference_tenant: ReferenceTenant, *, kind, note="", date=None):
    """A mediator records a meeting, phone call or training with a reference tenant of one of
    their territories."""
    _require_territory(user, reference_tenant.residence.territory_id)
    return FollowUp.objects.create(
        reference_tenant=reference_tenant,
        kind=kind,
        note=note,
        date=date or timezone.localdate(),
        mediator=user,
    )


def log_follow_up_opened(follow_up: FollowUp, user) -> None:
    """Write to Wagtail's audit log that `user` opened a follow-up's note."""
    log(follow_up, FOLLOW_UP_VIEW_ACTION, user=user)


@transaction.atomic
def record_voice(user, *, text, territory, **fields) -> Voice:
    """A mediator records what a resident said (after a door-to-door round, a meeting…)."""
    _require_territory(user, territory.pk)
    voice = Voice(text=text, territory=territory, recorded_by=user, **fields)
    voice.full_clean()
    voice.save()
    return voice


@transaction.atomic
def submit_voice(*, text, territory, **fields) -> Voice:
    """A resident sends an idea or a need from the public form; the territory's mediators are
    told by email once the row is committed."""
    voice = Voice(text=text, territory=territory, source=Voice.Source.PUBLIC_FORM, **fields)
    voice.full_clean()
    voice.save()

    queue.after_commit("community.notify_voice", voice.pk)
    return voice


@transaction.atomic
def request_to_join(group: WorkingGroup, *, name, email="", phone="", message="", consent=False):
    """A resident asks to join a working group from its public page; its mediators are told."""
    if not group.is_open:
        raise ValidationError(_("Ce groupe de travail est terminé : il n'accueille plus."))
    if not consent:
        raise ValidationError(
            _("Cochez la case pour accepter que l'équipe vous recontacte à ce sujet.")
        )
    email = normalise_email(email) or ""
    phone = normalise_phone(phone) or ""
    if not (email or phone):
        raise ValidationError(
            _("Laissez une adresse électronique ou un numéro de téléphone pour être recontacté.")
        )
    join_request = JoinRequest.objects.create(
        working_group=group, name=name, email=email, phone=phone, message=message, consent=True
    )

    queue.after_commit("community.notify_join_request", join_request.pk)
    return join_request


def _send_to_mediators(territory, subject, template, context) -> list[str]:
    recipients = list(mediators_of(territory.pk).values_list("email", flat=True))
    if not recipients and territory.email:
        recipients = [territory.email]
    if not recipients:
        return []
    context = {**context, "base_url": settings.WAGTAILADMIN_BASE_URL, "territory": territory}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"community/emails/{template}.txt", context),
        to=recipients,
    )
    message.attach_alternative(
        render_to_string(f"community/emails/{template}.html", context), "text/html"
    )
    message.send()
    return recipients


def notify_join_request(join_request_id: int) -> list[str]:
    """Email a join request to the group's mediators. Safe to run twice: a request already
    notified is skipped (the row is locked while the mail goes out)."""
    with transaction.atomic():
        join_request = (
            JoinRequest.objects.select_for_update(of=("self",))
            .select_related("working_group__territory", "working_group__residence")
            .filter(pk=join_request_id, notified_at__isnull=True)
            .first()
        )
        if join_request is None:
            return []
        group = join_request.working_group
        recipients = _send_to_mediators(
            group.territory,
            _("Demande pour rejoindre le groupe « %(theme)s »") % {"theme": group.theme},
            "join_request",
            {"join_request": join_request, "group": group},
        )
        join_request.notified_at = timezone.now()
        join_request.save(update_fields=["notified_at"])
        return recipients


def notify_voice(voice_id: int) -> list[str]:
    """Email a voice sent from the public form to its territory's mediators. Safe to run
    twice."""
    with transaction.atomic():
        voice = (
            Voice.objects.select_for_update(of=("self",))
            .select_related("territory", "theme")
            .filter(pk=voice_id, notified_at__isnull=True)
            .first()
        )
        if voice is None:
            return []
        recipients = _send_to_mediators(
            voice.territory,
            _("Nouvelle parole d'habitant · %(territory)s") % {"territory": voice.territory},
            "voice",
            {"voice": voice},
        )
        voice.notified_at = timezone.now()
        voice.save(update_fields=["notified_at"])
        return recipients


def send_unsent_notifications(now=None) -> int:
    """Email the voices and join requests whose task never ran (the broker was down when it was
    queued): received more than UNSENT_EMAIL_GRACE_SECONDS ago, within
    UNSENT_EMAIL_WINDOW_DAYS, not yet notified. Run by beat; safe to run twice (each
    notification locks its row)."""
    window = queue.lost_task_window(now or timezone.now())
    sent = 0
    for model, notify in ((Voice, notify_voice), (JoinRequest, notify_join_request)):
        unsent = model.objects.filter(notified_at__isnull=True, created_at__range=window)
        sent += queue.send_each(unsent.values_list("pk", flat=True), notify, model.__name__)
    return sent


def public_working_groups():
    """Working groups shown on the public site (nothing personal is selected)."""
    return WorkingGroup.objects.exclude(status=WorkingGroup.Status.FINISHED).select_related(
        "territory", "residence"
    )


def upcoming_meetings(group_ids, limit: int = 3):
    """The next meetings of these groups, as the events app reports them."""
    return working_group_meetings.upcoming(list(group_ids), limit)
