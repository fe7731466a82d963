"""What the community app contributes to the registries: the person's own fields, and the
count of persons the agency got in touch with."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.activities import rules as activities
from community.models import FollowUp, JoinRequest, Person, ReferenceTenant, Voice
from community.registries import Indicator, indicators, personal_data


def export_person(person) -> dict:
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "phone": person.phone,
        "age_band": person.age_band,
        "territory": person.territory.name if person.territory_id else None,
        "created_at": person.created_at.isoformat(),
    }


def erase_person(person) -> None:
    # The Person row itself is blanked by services.anonymise_person, after every other eraser.
    return None


def count_new_persons(period, territory_ids=None) -> int:
    queryset = Person.objects.filter(
        created_at__date__gte=period.start, created_at__date__lte=period.end
    )
    if territory_ids is not None:
        queryset = queryset.filter(territory_id__in=list(territory_ids))
    return queryset.count()


def _verified_identifiers(person) -> dict:
    """The person's identifiers we may match free-typed contact details on (verified only)."""
    return {
        "email": person.email if person.email and person.email_verified else None,
        "phone": person.phone if person.phone and person.phone_verified else None,
    }


def export_reference_tenancies(person) -> list[dict]:
    """The person's reference-tenant records with their follow-ups. The mediators' notes are
    included: they are about the person, who has a right to read them."""
    tenancies = (
        ReferenceTenant.objects.filter(person=person)
        .select_related("residence")
        .prefetch_related("topics", "follow_ups")
    )
    return [
        {
            "residence": tenant.residence.name,
            "since": tenant.since.isoformat(),
            "status": tenant.status,
            "topics": [topic.name for topic in tenant.topics.all()],
            "contact_consent": tenant.contact_consent,
            "contact_consent_date": (
                tenant.contact_consent_date.isoformat() if tenant.contact_consent_date else None
            ),
            "contact_consent_method": tenant.contact_consent_method,
            "follow_ups": [
                {"date": f.date.isoformat(), "kind": f.kind, "note": f.note}
                for f in tenant.follow_ups.all()
            ],
        }
        for tenant in tenancies
    ]


def erase_reference_tenancies(person) -> None:
    """Notes are blanked and consent withdrawn; the rows stay (stopped) for the indicators."""
    FollowUp.objects.filter(reference_tenant__person=person).update(note="")
    ReferenceTenant.objects.filter(person=person, stopped_on__isnull=True).update(
        stopped_on=timezone.localdate()
    )
    ReferenceTenant.objects.filter(person=person).update(
        status=ReferenceTenant.Status.STOPPED,
        contact_consent=False,
        contact_consent_date=None,
        contact_consent_method="",
    )


def _voices_of(person):
    ids = _verified_identifiers(person)
    condition = Q(person=person)
    if ids["email"]:
        condition |= Q(contact_email__iexact=ids["email"])
    if ids["phone"]:
        condition |= Q(contact_phone=ids["phone"])
    return Voice.objects.filter(condition)


def export_voices(person) -> list[dict]:
    return [
        {
            "created_at": voice.created_at.isoformat(),
            "text": voice.text,
            "theme": voice.theme.name if voice.theme_id else None,
            "status": voice.status,
            "contact_name": voice.contact_name,
            "contact_email": voice.contact_email,
            "contact_phone": voice.contact_phone,
        }
        for voice in _voices_of(person).select_related("theme")
    ]


def erase_voices(person) -> None:
    """The words stay (with territory, theme and age band, for the figures); who said them goes."""
    _voices_of(person).update(
        person=None,
        contact_name="",
        contact_email="",
        contact_phone="",
        contact_consent=False,
        contact_consent_method="",
    )


def _join_requests_of(person):
    ids = _verified_identifiers(person)
    condition = Q(pk__in=[])
    if ids["email"]:
        condition |= Q(email__iexact=ids["email"])
    if ids["phone"]:
        condition |= Q(phone=ids["phone"])
    return JoinRequest.objects.filter(condition)


def export_working_groups(person) -> dict:
    return {
        "member_of": list(person.working_groups.values_list("theme", flat=True)),
        "join_requests": [
            {
                "working_group": request.working_group.theme,
                "created_at": request.created_at.isoformat(),
                "message": request.message,
            }
            for request in _join_requests_of(person).select_related("working_group")
        ],
    }


def erase_working_groups(person) -> None:
    person.working_groups.clear()
    # The join requests hold nothing but the person's contact: they go.
    _join_requests_of(person).delete()


def register_community() -> None:
    if "community.person" not in personal_data.handlers:
        personal_data.register("community.person", export=export_person, erase=erase_person)
    if "community.reference_tenancies" not in personal_data.handlers:
        personal_data.register(
            "community.reference_tenancies",
            export=export_reference_tenancies,
            erase=erase_reference_tenancies,
        )
        personal_data.register("community.voices", export=export_voices, erase=erase_voices)
        personal_data.register(
            "community.working_groups", export=export_working_groups, erase=erase_working_groups
        )
        personal_data.register(
            "community.partner_follow_ups",
            export=activities.export_partner_follow_ups,
            erase=activities.erase_partner_follow_ups,
        )
    indicators.register_section(_("Bénéficiaires"), 35)
    if "community.new_persons" not in indicators.items:
        indicators.register(
            Indicator(
                key="community.new_persons",
                label=_("Personnes nouvellement en contact"),
                definition=_(
                    "Nombre de personnes enregistrées pour la première fois pendant la période."
                ),
                compute=count_new_persons,
                section=_("Bénéficiaires"),
            )
        )
