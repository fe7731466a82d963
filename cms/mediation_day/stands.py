"""Partners' stands at the mediation day, one function per action: ask for a stand, decide
(accept, refuse, waiting list), email the decision, list accepted stands; and what stands add
to the registries (the contact's personal data, the "stands held" indicator)."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.models.mediation_day import MediationDayPage, StandRequest
from cms.models.pages import images_with_renditions
from community import queue
from community.models import Organisation
from community.normalise import normalise_email, normalise_phone
from community.registries import Indicator, indicators, personal_data
from community.rule_errors import RuleError

logger = logging.getLogger(__name__)

DECISIONS = (
    StandRequest.Status.ACCEPTED,
    StandRequest.Status.REFUSED,
    StandRequest.Status.WAITLISTED,
)


class StandError(RuleError):
    """A stand decision refused; `message` is French, for the staff member."""


def request_stand(
    page: MediationDayPage,
    *,
    organisation: Organisation | None,
    organisation_name: str,
    contact_name: str,
    contact_email: str,
    contact_phone: str,
    needs_table: bool,
    needs_power: bool,
    description: str,
    consent_text: str,
) -> StandRequest:
    """Record a partner's request for a stand. Raises ValidationError (per field, in French)."""
    errors = {}
    name = organisation.name if organisation else organisation_name.strip()
    if not name:
        errors["organisation_name"] = _("Indiquez votre organisation.")
    if not contact_name.strip():
        errors["contact_name"] = _("Indiquez le nom de la personne à contacter.")
    email = normalise_email(contact_email) or ""
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["contact_email"] = _("Cette adresse électronique n'est pas valide.")
    try:
        phone = normalise_phone(contact_phone) or ""
    except ValidationError as exc:
        errors["contact_phone"] = exc.messages[0]
        phone = ""
    if not email and not phone and not {"contact_email", "contact_phone"} & errors.keys():
        errors["contact_email"] = _(
            "Indiquez une adresse électronique ou un téléphone pour que nous puissions vous répondre."
        )
    if not consent_text.strip():
        errors["consent"] = _("Votre accord est nécessaire pour enregistrer la demande.")
    if not page.stands_open or page.is_past:
        errors["__all__"] = _("Les demandes de stand sont closes pour cette journée.")
    if errors:
        raise ValidationError(errors)
    return StandRequest.objects.create(
        page=page,
        organisation=organisation,
        organisation_name=name,
        contact_name=contact_name.strip(),
        contact_email=email,
        contact_phone=phone,
        needs_table=needs_table,
        needs_power=needs_power,
        description=description.strip(),
        consent_text=consent_text.strip(),
    )


@transaction.atomic
def decide(stand_id: int, status: str, user=None) -> StandRequest:
    """Accept, refuse or waitlist a request; the contact is emailed once per decision (after
    the transaction commits). Deciding the same thing twice changes nothing."""
    if status not in DECISIONS:
        raise StandError(_("Décision inconnue : %(status)s.") % {"status": status}, "status")
    stand = StandRequest.objects.select_for_update().get(pk=stand_id)
    if stand.status == status:
        return stand
    stand.status = status
    stand.decided_at = timezone.now()
    stand.decided_by = user
    stand.save(update_fields=["status", "decided_at", "decided_by"])

    queue.after_commit("cms.email_stand_decision", stand.pk)
    return stand


def email_decision(stand_id: int) -> bool:
    """Email the contact the request's current decision, unless already told of it. Safe to
    run twice: the row is locked and records the decision it told of."""
    with transaction.atomic():
        stand = (
            StandRequest.objects.select_for_update(of=("self",))
            .select_related("page", "page__programme")
            .filter(pk=stand_id)
            .first()
        )
        if stand is None or stand.status not in DECISIONS or stand.notified_status == stand.status:
            return False
        if stand.contact_email:
            with translation.override(settings.LANGUAGE_CODE):
                context = {
                    "stand": stand,
                    "page": stand.page,
                    "programme": stand.page.programme,
                    "page_url": stand.page.full_url or "",
                    "site_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
                }
                template = f"cms/emails/stand_{stand.status}"
                subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
                message = EmailMultiAlternatives(
                    subject=subject,
                    body=render_to_string(f"{template}.txt", context),
                    to=[stand.contact_email],
                )
                message.attach_alternative(
                    render_to_string(f"{template}.html", context), "text/html"
                )
                message.send()
        else:
            logger.info("Stand request %s has only a phone: staff call the contact", stand.pk)
        stand.notified_status = stand.status
        stand.save(update_fields=["notified_status"])
    return True


def accepted_stands(page: MediationDayPage) -> list[StandRequest]:
    """The accepted stands, listed on the day's page, with their organisation's logo."""
    return list(
        StandRequest.objects.filter(page=page, status=StandRequest.Status.ACCEPTED)
        .select_related("organisation")
        .prefetch_related(Prefetch("organisation__logo", queryset=images_with_renditions()))
        .order_by("organisation_name", "pk")
    )


# -- registries ---------------------------------------------------------------------------------


def _verified(person) -> tuple[str | None, str | None]:
    email = person.email if person.email and person.email_verified else None
    phone = person.phone if person.phone and person.phone_verified else None
    return email, phone


def _of_person(person):
    email, phone = _verified(person)
    query = Q(pk__in=[])
    if email:
        query |= Q(contact_email__iexact=email)
    if phone:
        query |= Q(contact_phone=phone)
    return StandRequest.objects.filter(query)


def export_person(person) -> list[dict]:
    """Stand requests where the person is the contact (matched on verified identifiers)."""
    return [
        {
            "day": stand.page.title,
            "organisation": stand.organisation_name,
            "contact_name": stand.contact_name,
            "contact_email": stand.contact_email,
            "contact_phone": stand.contact_phone,
            "status": stand.status,
            "created_at": stand.created_at.isoformat(),
        }
        for stand in _of_person(person).select_related("page")
    ]


def erase_person(person) -> None:
    """Blank the contact of the person's stand requests; the stand itself stays (it was the
    organisation's)."""
    _of_person(person).update(contact_name="", contact_email="", contact_phone="")


def stands_held(period, territory_ids=None) -> int:
    """Accepted stands of the days held in the period (in the given territories)."""
    queryset = StandRequest.objects.filter(
        status=StandRequest.Status.ACCEPTED,
        page__programme__date__gte=period.start,
        page__programme__date__lte=period.end,
    )
    if territory_ids is not None:
        queryset = queryset.filter(page__programme__territory_id__in=list(territory_ids))
    return queryset.count()


def register_in_registries() -> None:
    if "cms.stand_requests" not in personal_data.handlers:
        personal_data.register("cms.stand_requests", export=export_person, erase=erase_person)
    if "cms.stands_held" in indicators.items:
        return
    indicators.register(
        Indicator(
            "cms.stands_held",
            gettext_lazy("Stands tenus à la journée de la médiation"),
            gettext_lazy(
                "Demandes de stand acceptées pour les journées de la médiation tenues dans la période."
            ),
            stands_held,
            gettext_lazy("Journée de la médiation"),
        )
    )


def send_unsent_decisions(now=None) -> int:
    """Email the decisions whose task never ran (the broker was down when it was queued):
    decided more than UNSENT_EMAIL_GRACE_SECONDS ago, within UNSENT_EMAIL_WINDOW_DAYS, and not
    yet told. Run by beat; safe to run twice (`email_decision` locks the row)."""
    undelivered = (
        StandRequest.objects.filter(
            status__in=DECISIONS, decided_at__range=queue.lost_task_window(now or timezone.now())
        )
        .exclude(notified_status=F("status"))
        .values_list("pk", flat=True)
    )
    return queue.send_each(undelivered, email_decision, "decision of stand request")
