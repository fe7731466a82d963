"""Residents' rights over their personal data, the staff's answers to data requests, the audit of
personal-data access and the community app's retention rules. Views, admin, tasks and commands
call these functions; none re-implements them."""

import datetime
import json

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, PageLogEntry

from community import permissions, services
from community.activities import rules as activities
from community.importing import rules as importing
from community.models import DataRequest, FollowUp, Person, ReferenceTenant, User
from community.normalise import normalise_phone
from community.registries import RetentionRule, indicators, personal_data, retention
from community.rule_errors import RuleError

# Actions written to Wagtail's log (registered in wagtail_hooks.py); managers list them.
EXPORT_ACTION = "community.personal_data.export"
ANONYMISE_ACTION = "community.personal_data.anonymise"
ACCOUNT_DELETED_ACTION = "community.account.delete"
DATA_REQUEST_ACTION = "community.data_request.record"
DATA_REQUEST_ANSWER_ACTION = "community.data_request.answer"
AUDIT_ACTIONS = (
    EXPORT_ACTION,
    ANONYMISE_ACTION,
    ACCOUNT_DELETED_ACTION,
    DATA_REQUEST_ACTION,
    DATA_REQUEST_ANSWER_ACTION,
    services.FOLLOW_UP_VIEW_ACTION,
)
MANAGE_PERMISSION = "community.add_datarequest"


def can_manage_requests(user) -> bool:
    """Managers (and superusers) answer data requests and read the audit list; nobody else."""
    return bool(permissions.can_reach_staff_area(user) and user.has_perm(MANAGE_PERMISSION))


def _person_title(person: Person) -> str:
    # Never a name in the audit log: the log outlives the person's anonymisation.
    return _("Personne n° %(pk)s") % {"pk": person.pk}


# --- Exports -----------------------------------------------------------------------------------


def export_document(person: Person) -> dict:
    """One document of everything the platform holds about `person`, from every app's
    exporter."""
    return {
        "generated_at": timezone.now().isoformat(),
        "person_id": person.pk,
        "data": personal_data.export(person),
    }


def export_json(person: Person, *, by, data_request: DataRequest | None = None) -> bytes:
    """The export as a JSON file; writes who exported whose data to the audit log."""
    document = export_document(person)
    log(
        person,
        EXPORT_ACTION,
        user=by,
        title=_person_title(person),
        data={
            "person_id": person.pk,
            "self_service": bool(by and getattr(by, "pk", None) == person.user_id),
            "data_request_id": data_request.pk if data_request else None,
        },
    )
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def log_export(instance, *, by, what: str) -> None:
    """Write to the audit log that `by` exported personal data about `instance` (an event's
    registrations as CSV, XLSX or the attendance sheet, for instance)."""
    log(instance, EXPORT_ACTION, user=by, title=str(instance)[:255], data={"what": what})


def person_of(user) -> Person | None:
    """The resident's Person, linked by a verified address (services.link_person_to_user)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user, anonymised_at__isnull=True).first()


# --- The resident's own account ----------------------------------------------------------------


class ProfileError(RuleError):
    """A profile change refused; the message is shown on the form."""


@transaction.atomic
def update_profile(
    user, *, first_name: str, last_name: str, phone: str = "", territory=None, age_band=""
) -> Person:
    """A resident edits their profile. A phone number they type is theirs to be called on, but
    it is not verified: it never claims a Person, nor the registrations made under it. When the
    number is already known for someone else, it is refused (the team checks it with them)."""
    person = services.link_person_to_user(user)
    if person is None:
        raise ProfileError(
            _("Confirmez d'abord votre adresse électronique pour compléter votre profil.")
        )
    person = Person.objects.select_for_update().get(pk=person.pk)
    phone = normalise_phone(phone) or None
    if phone != person.phone:
        if phone and Person.objects.filter(phone=phone).exclude(pk=person.pk).exists():
            raise ProfileError(
                _(
                    "Ce numéro est déjà connu de l'équipe pour une autre fiche : il ne peut être "
                    "rattaché à votre compte qu'après vérification par l'équipe de médiation."
                )
            )
        person.phone = phone
        person.phone_verified = False
    person.first_name = first_name.strip()
    person.last_name = last_name.strip()
    person.territory = territory
    person.age_band = age_band or ""
    person.full_clean(exclude=["user", "email"])
    person.save()
    User.objects.filter(pk=user.pk).update(first_name=person.first_name, last_name=person.last_name)
    return person


@transaction.atomic
def delete_account(user) -> None:
    """The resident's account goes; every app's eraser anonymises what they hold about them
    first, so the rows the indicators count stay, with no personal field left."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if permissions.can_reach_staff_area(user):
        raise ValidationError(
            _("Un compte de l'équipe ne se supprime pas ici : adressez-vous à la direction.")
        )
    person = Person.objects.filter(user=user).first()
    if person is not None:
        services.anonymise_person(person.pk)
        log(
            person,
            ACCOUNT_DELETED_ACTION,
            user=None,
            title=_person_title(person),
            data={"person_id": person.pk},
        )
    user.delete()


# --- Data requests answered by the staff -------------------------------------------------------


def find_persons(query: str, limit: int = 20):
    """Staff search for a person by name, email or phone (active persons only)."""
    query = (query or "").strip()[:100]
    if len(query) < 2:
        return Person.objects.none()
    condition = (
        Q(first_name__icontains=query)
        | Q(last_name__icontains=query)
        | Q(email__icontains=query)
        | Q(phone__icontains=query)
    )
    try:
        phone = normalise_phone(query)
    except ValidationError:
        phone = None
    if phone:
        condition |= Q(phone=phone)
    parts = query.split()
    if len(parts) >= 2:
        condition |= Q(first_name__icontains=parts[0], last_name__icontains=" ".join(parts[1:]))
    return Person.objects.active().filter(condition).select_related("territory")[:limit]


def _require_manager(user) -> None:
    if not can_manage_requests(user):
        raise PermissionDenied


@transaction.atomic
def record_request(by, *, person, kind, channel, received_on=None, details="") -> DataRequest:
    _require_manager(by)
    data_request = DataRequest(
        person=person,
        kind=kind,
        channel=channel,
        received_on=received_on or timezone.localdate(),
        details=details,
        created_by=by,
    )
    data_request.full_clean()
    data_request.save()
    log(
        data_request,
        DATA_REQUEST_ACTION,
        user=by,
        title=str(data_request),
        data={"person_id": person.pk if person else None, "kind": kind, "channel": channel},
    )
    return data_request


@transaction.atomic
def answer_request(by, data_request_id: int, *, outcome: str, answer: str = "") -> DataRequest:
    """Close a request: the answer, who gave it and when are stored and logged. An erasure
    answered "anonymised" anonymises the person in the same transaction."""
    _require_manager(by)
    data_request = DataRequest.objects.select_for_update().get(pk=data_request_id)
    if outcome not in DataRequest.Outcome.values or outcome == DataRequest.Outcome.OPEN:
        raise ValidationError(_("Choisissez la réponse apportée."))
    if outcome == DataRequest.Outcome.ANONYMISED:
        if data_request.person_id is None:
            raise ValidationError(_("Cette demande ne concerne aucune personne à anonymiser."))
        services.anonymise_person(data_request.person_id)
        log(
            data_request.person,
            ANONYMISE_ACTION,
            user=by,
            title=_person_title(data_request.person),
            data={"person_id": data_request.person_id, "data_request_id": data_request.pk},
        )
    data_request.outcome = outcome
    data_request.answer = answer
    data_request.answered_at = timezone.now()
    data_request.answered_by = by
    data_request.full_clean()
    data_request.save()
    log(
        data_request,
        DATA_REQUEST_ANSWER_ACTION,
        user=by,
        title=str(data_request),
        data={"outcome": outcome, "person_id": data_request.person_id},
    )
    return data_request


def audit_entries(limit: int = 1000) -> list:
    """The audit log of personal-data access, newest first (managers only, checked by views):
    entries about records (ModelLogEntry) and about pages, e.g. a form's submissions exported
    (PageLogEntry)."""
    entries = []
    for model in (ModelLogEntry, PageLogEntry):
        entries.extend(
            model.objects.filter(action__in=AUDIT_ACTIONS)
            .select_related("user")
            .order_by("-timestamp", "-pk")[:limit]
        )
    entries.sort(key=lambda entry: entry.timestamp, reverse=True)
    return entries[:limit]


# --- Retention rules of the community app ------------------------------------------------------


def _stopped_follow_ups(now):
    rule = retention.get("community.follow_up_notes")
    cutoff = timezone.localtime(rule.cutoff(now)).date()
    return FollowUp.objects.filter(
        reference_tenant__status=ReferenceTenant.Status.STOPPED,
        reference_tenant__stopped_on__lt=cutoff,
    ).exclude(note="")


def preview_follow_up_notes(now) -> int:
    return _stopped_follow_ups(now).count()


def erase_follow_up_notes(now) -> int:
    return _stopped_follow_ups(now).update(note="")


def _residents():
    return User.objects.filter(is_active=True).exclude(
        pk__in=permissions.staff_users().values("pk")
    )


def _inactive_to_warn(now):
    cutoff = retention.get("community.inactive_accounts").cutoff(now)
    return _residents().filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff),
        inactivity_warned_at__isnull=True,
    )


def _warned_to_delete(now):
    grace = retention.get("community.inactive_accounts_deletion").cutoff(now)
    return (
        _residents()
        .filter(inactivity_warned_at__lt=grace)
        .filter(Q(last_login__isnull=True) | Q(last_login__lt=F("inactivity_warned_at")))
    )


def _send_inactivity_warning(user, now) -> None:
    rule = retention.get("community.inactive_accounts_deletion")
    context = {
        "user": user,
        "deadline": timezone.localtime(now + datetime.timedelta(days=rule.duration)).date(),
        "login_url": f"{settings.WAGTAILADMIN_BASE_URL}/accounts/login/",
    }
    message = EmailMultiAlternatives(
        subject=_("Votre compte Vivre Ensemble sera supprimé faute d'utilisation"),
        body=render_to_string("community/emails/inactive_account.txt", context),
        to=[user.email],
    )
    message.attach_alternative(
        render_to_string("community/emails/inactive_account.html", context), "text/html"
    )
    message.send()


def preview_inactive_accounts(now) -> int:
    return _inactive_to_warn(now).count()


def warn_inactive_accounts(now) -> int:
    """Email each resident whose account was not used for the set duration; their account is
    deleted after the grace period unless they sign in. A warning is sent once: the mark is
    written with the send, and signing in clears it (see signals)."""
    warned = 0
    for user in _inactive_to_warn(now).order_by("pk")[:500]:
        with transaction.atomic():
            locked = _inactive_to_warn(now).select_for_update(skip_locked=True).filter(pk=user.pk)
            if not locked.exists():
                continue
            _send_inactivity_warning(user, now)
            User.objects.filter(pk=user.pk).update(inactivity_warned_at=now)
            warned += 1
    return warned


def preview_warned_accounts(now) -> int:
    return _warned_to_delete(now).count()


def delete_warned_accounts(now) -> int:
    deleted = 0
    for user in _warned_to_delete(now).order_by("pk"):
        delete_account(user)
        deleted += 1
    return deleted


def _persons_in_community_records(now):
    """People the community app still works with: reference tenants, working-group members and
    people named on a follow-up with a partner are kept although their registrations are past
    retention."""
    tenants = ReferenceTenant.objects.values_list("person_id", flat=True)
    members = Person.objects.filter(working_groups__isnull=False).values_list("pk", flat=True)
    followed = activities.named_follow_up_persons()
    return {*tenants, *members, *followed}


def register_retention() -> None:
    if "community.follow_up_notes" in retention.rules:
        return
    retention.hold("community.records", _persons_in_community_records)
    retention.register(
        RetentionRule(
            key="community.follow_up_notes",
            label=gettext_lazy("Notes de suivi des locataires référents qui ont arrêté"),
            setting="RETENTION_FOLLOW_UP_MONTHS",
            preview=preview_follow_up_notes,
            run=erase_follow_up_notes,
            description=gettext_lazy("effacées après l'arrêt du locataire référent"),
        )
    )
    retention.register(
        RetentionRule(
            key="community.partner_follow_ups",
            label=gettext_lazy("Nom des personnes suivies avec une structure partenaire"),
            setting="RETENTION_FOLLOW_UP_MONTHS",
            preview=activities.preview_named_follow_ups,
            run=activities.unname_closed_follow_ups,
            description=gettext_lazy(
                "retiré après la clôture du suivi ; le suivi reste, sans nom, pour les chiffres"
            ),
        )
    )
    retention.register(
        RetentionRule(
            key="community.import_files",
            label=gettext_lazy("Tableurs déposés pour un import jamais lancé"),
            setting="RETENTION_IMPORT_DAYS",
            unit="days",
            preview=importing.preview_abandoned_imports,
            run=importing.delete_abandoned_imports,
            description=gettext_lazy(
                "supprimés avec leur aperçu ; un tableur importé est supprimé aussitôt"
            ),
        )
    )
    retention.register(
        RetentionRule(
            key="community.inactive_accounts",
            label=gettext_lazy("Comptes d'habitants inutilisés : avertissement par courriel"),
            setting="RETENTION_INACTIVE_ACCOUNT_MONTHS",
            preview=preview_inactive_accounts,
            run=warn_inactive_accounts,
            description=gettext_lazy("sans connexion, la personne est prévenue par courriel"),
        )
    )
    retention.register(
        RetentionRule(
            key="community.inactive_accounts_deletion",
            label=gettext_lazy("Comptes d'habitants inutilisés : suppression après avertissement"),
            setting="RETENTION_INACTIVE_ACCOUNT_GRACE_DAYS",
            unit="days",
            preview=preview_warned_accounts,
            run=delete_warned_accounts,
            description=gettext_lazy(
                "après l'avertissement, sans connexion, le compte est supprimé"
            ),
        )
    )


def preview_retention(now=None) -> list[dict]:
    """What the next run of every retention rule would remove, for the managers' page."""
    now = now or timezone.now()
    return [
        {"rule": rule, "count": rule.preview(now), "cutoff": rule.cutoff(now)} for rule in retention
    ]


def run_retention(now=None) -> dict:
    """Run every registered retention rule (the daily beat task)."""
    return retention.run(now or timezone.now())


def indicator_snapshot(period) -> dict:
    """Every indicator's value over `period` (used to prove erasure keeps the figures)."""
    return {indicator.key: indicator.compute(period, None) for indicator in indicators}
