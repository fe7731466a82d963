"""The events app's outcome figures, registered in community.registries.indicators from
EventsConfig.ready().

An event counts in a period when it was held then: published, not cancelled, starting within
the period. People count by what survives anonymisation: the booking's Person row (kept,
blanked), the participants' age bands, the registration's status and its attendance.
Participations exclude registrations marked absent at the door and include walk-ins.
"""

import datetime as dt

from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models import AgeBand
from community.registries import Indicator, Period, indicators, shared
from events.models import Event, EventKind
from events.models.attendance import Attendance, WalkIn
from events.models.bookings import Participant, Registration

SECTION_ACTIONS = _("Actions collectives")
SECTION_PEOPLE = _("Participants et bénéficiaires")
YOUNG_BANDS = (AgeBand.CHILD, AgeBand.YOUTH)


def bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """The period as [start, end) instants in the local time zone: a range the database can
    compare `start` with directly (an index, good estimates), unlike a cast to a date."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def held_events(period: Period, territory_ids=None, residence_ids=None, prefix: str = ""):
    """A Q over events held in `period` (with `prefix` the lookup path to the event)."""
    start, end = bounds(period)
    condition = Q(
        **{
            f"{prefix}live": True,
            f"{prefix}cancelled_at__isnull": True,
            f"{prefix}start__gte": start,
            f"{prefix}start__lt": end,
        }
    )
    if territory_ids is not None:
        condition &= Q(**{f"{prefix}territory_id__in": list(territory_ids)})
    if residence_ids is not None:
        condition &= Q(**{f"{prefix}residence_id__in": list(residence_ids)})
    return condition


def _attending(period, territory_ids=None, residence_ids=None, prefix: str = ""):
    """A Q over confirmed registrations of held events, not marked absent."""
    return (
        held_events(period, territory_ids, residence_ids, prefix=f"{prefix}event__")
        & Q(**{f"{prefix}status": Registration.Status.CONFIRMED})
        & ~Q(**{f"{prefix}attendance__status": Attendance.Status.NO_SHOW})
    )


def _participants(period, territory_ids=None, residence_ids=None):
    return Participant.objects.filter(
        _attending(period, territory_ids, residence_ids, prefix="registration__")
    )


def _walk_ins(period, territory_ids=None, residence_ids=None):
    return WalkIn.objects.filter(held_events(period, territory_ids, residence_ids, "event__"))


# -- actions ------------------------------------------------------------------------------------


def actions_by_kind(period, territory_ids=None, residence_ids=None) -> dict:
    counts = dict(
        Event.objects.filter(held_events(period, territory_ids, residence_ids))
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    return {str(label): counts.get(kind, 0) for kind, label in EventKind.choices}


def _count_kind(kind):
    def compute(period, territory_ids=None, residence_ids=None) -> int:
        return Event.objects.filter(
            held_events(period, territory_ids, residence_ids), kind=kind
        ).count()

    return compute


# -- people -------------------------------------------------------------------------------------


def _key(name, period, territory_ids, residence_ids) -> tuple:
    return (
        name,
        period,
        None if territory_ids is None else tuple(sorted(territory_ids)),
        None if residence_ids is None else tuple(sorted(residence_ids)),
    )


def _band_counts(period, territory_ids=None, residence_ids=None) -> dict:
    """{age band: participations} (registered participants and walk-ins): two queries, shared
    by participations, young participants and the age bands."""

    def compute():
        return _merge(
            _group(_participants(period, territory_ids, residence_ids), "age_band"),
            _group(_walk_ins(period, territory_ids, residence_ids), "age_band", "count", Sum),
        )

    return shared(_key("events.bands", period, territory_ids, residence_ids), compute)


def participations(period, territory_ids=None, residence_ids=None) -> int:
    return sum(_band_counts(period, territory_ids, residence_ids).values())


def _group(queryset, field, value="pk", how=Count):
    return {
        row[field]: row["n"] for row in queryset.order_by().values(field).annotate(n=how(value))
    }


def _merge(*dicts) -> dict:
    merged: dict = {}
    for values in dicts:
        for key, n in values.items():
            merged[key] = merged.get(key, 0) + (n or 0)
    return merged


def participations_by_territory(period, territory_ids=None) -> dict:
    return _merge(
        _group(_participants(period, territory_ids), "registration__event__territory_id"),
        _group(_walk_ins(period, territory_ids), "event__territory_id", "count", Sum),
    )


def participations_by_month(period, territory_ids=None) -> dict:
    registered = _group(
        _participants(period, territory_ids).annotate(
            month=TruncMonth("registration__event__start")
        ),
        "month",
    )
    walked_in = _group(
        _walk_ins(period, territory_ids).annotate(month=TruncMonth("event__start")),
        "month",
        "count",
        Sum,
    )
    return {
        (month.date() if hasattr(month, "date") else month): n
        for month, n in _merge(registered, walked_in).items()
    }


def participants_by_age_band(period, territory_ids=None, residence_ids=None) -> dict:
    counts = _band_counts(period, territory_ids, residence_ids)
    return {str(label): counts.get(band, 0) for band, label in AgeBand.choices}


def young_participants(period, territory_ids=None, residence_ids=None) -> int:
    counts = _band_counts(period, territory_ids, residence_ids)
    return sum(counts.get(band, 0) for band in YOUNG_BANDS)


def beneficiaries(period, territory_ids=None, residence_ids=None) -> int:
    """Distinct persons (the bookings' contacts) who came to at least one event: one Person,
    however many events, and whether they signed up by email or by phone."""
    return shared(
        _key("events.beneficiaries", period, territory_ids, residence_ids),
        lambda: Registration.objects.filter(
            _attending(period, territory_ids, residence_ids)
        ).aggregate(n=Count("person", distinct=True))["n"],
    )


def young_beneficiaries(period, territory_ids=None, residence_ids=None) -> int:
    """Distinct young people (0-24) who came: each contact counts for the most young people they
    brought at once (a family bringing its two children to six sessions counts two). Names are
    not used, so the figure survives anonymisation. Walk-ins, counted without names, are not in it."""
    largest_party: dict[int, int] = {}
    rows = (
        _participants(period, territory_ids, residence_ids)
        .filter(age_band__in=YOUNG_BANDS)
        .order_by()
        .values("registration__person_id", "registration_id")
        .annotate(n=Count("id"))
        .values_list("registration__person_id", "n")
    )
    for person_id, n in rows:
        largest_party[person_id] = max(n, largest_party.get(person_id, 0))
    return sum(largest_party.values())


def _beneficiaries_by_kind(period, territory_ids=None, residence_ids=None) -> dict:
    """{event kind: distinct persons who came to an event of that kind}: one grouped query,
    shared by the breakdown and the plan's axes."""
    return shared(
        _key("events.beneficiaries_by_kind", period, territory_ids, residence_ids),
        lambda: dict(
            Registration.objects.filter(_attending(period, territory_ids, residence_ids))
            .order_by()
            .values_list("event__kind")
            .annotate(n=Count("person", distinct=True))
        ),
    )


def beneficiaries_by_kind(period, territory_ids=None, residence_ids=None) -> dict:
    counts = _beneficiaries_by_kind(period, territory_ids, residence_ids)
    return {str(label): counts.get(kind, 0) for kind, label in EventKind.choices}


# The service plan's axes and the kinds of events that serve them.
AXIS_KINDS = {
    "intergenerational": (EventKind.INTERGENERATIONAL,),
    "participation": (EventKind.CAFE_MEDIATION, EventKind.AWARENESS, EventKind.WORKING_GROUP),
}


def _axis_counts(period, territory_ids=None, residence_ids=None) -> dict:
    """{axis: distinct persons who came to an event of its kinds}: one aggregation for every
    axis, shared by their indicators."""
    return shared(
        _key("events.beneficiaries_by_axis", period, territory_ids, residence_ids),
        lambda: Registration.objects.filter(
            _attending(period, territory_ids, residence_ids)
        ).aggregate(
            **{
                axis: Count("person", distinct=True, filter=Q(event__kind__in=kinds))
                for axis, kinds in AXIS_KINDS.items()
            }
        ),
    )


def _axis_beneficiaries(axis):
    def compute(period, territory_ids=None, residence_ids=None) -> int:
        return _axis_counts(period, territory_ids, residence_ids)[axis]

    return compute


def new_and_returning(period, territory_ids=None, residence_ids=None) -> dict:
    """The period's beneficiaries: new (never came to an event before the period, anywhere)
    or returning. Two grouped queries over the registrations up to the period's end."""
    start, end = bounds(period)
    people = (
        Registration.objects.filter(
            status=Registration.Status.CONFIRMED,
            event__live=True,
            event__cancelled_at__isnull=True,
            event__start__lt=end,
        )
        .exclude(attendance__status=Attendance.Status.NO_SHOW)
        .order_by()
        .values("person_id")
        .annotate(
            first=Min("event__start"),
            here=Count("pk", filter=held_events(period, territory_ids, residence_ids, "event__")),
        )
        .filter(here__gt=0)
    )
    total = beneficiaries(period, territory_ids, residence_ids)  # the same people, counted once
    returning = people.filter(first__lt=start).count()
    return {str(_("Nouveaux")): total - returning, str(_("Déjà venus")): returning}


def action_indicators() -> list[Indicator]:
    """The actions held: events by kind."""
    return [
        Indicator(
            "events.actions_by_kind",
            _("Actions par type"),
            _("Nombre d'événements publiés et non annulés ayant eu lieu pendant la période."),
            actions_by_kind,
            SECTION_ACTIONS,
            accepts_residence=True,
            order=10,
        ),
        Indicator(
            "events.citizenship_workshops",
            _("Ateliers citoyenneté"),
            _("Nombre d'ateliers citoyenneté ayant eu lieu pendant la période."),
            _count_kind(EventKind.CITIZENSHIP),
            SECTION_ACTIONS,
            accepts_residence=True,
            order=40,
        ),
        Indicator(
            "events.awareness_actions",
            _("Actions de sensibilisation"),
            _("Nombre d'actions de sensibilisation ayant eu lieu pendant la période."),
            _count_kind(EventKind.AWARENESS),
            SECTION_ACTIONS,
            accepts_residence=True,
            order=50,
        ),
        Indicator(
            "events.working_group_meetings",
            _("Réunions de groupes de travail"),
            _("Nombre de réunions de groupes de travail ayant eu lieu pendant la période."),
            _count_kind(EventKind.WORKING_GROUP),
            SECTION_ACTIONS,
            accepts_residence=True,
            order=60,
        ),
    ]


def people_indicators() -> list[Indicator]:
    """The people who came: participations, distinct beneficiaries, ages, newcomers."""
    return [
        Indicator(
            "events.participations",
            _("Participations"),
            _(
                "Participants des inscriptions confirmées (sauf absents pointés) et entrées "
                "sans inscription, aux événements de la période."
            ),
            participations,
            SECTION_PEOPLE,
            accepts_residence=True,
            by_territory=participations_by_territory,
            by_month=participations_by_month,
            order=10,
        ),
        Indicator(
            "events.beneficiaries",
            _("Bénéficiaires distincts"),
            _(
                "Personnes différentes venues à au moins un événement de la période, "
                "comptées une fois quel que soit le nombre d'événements."
            ),
            beneficiaries,
            SECTION_PEOPLE,
            accepts_residence=True,
            order=20,
        ),
        Indicator(
            "events.young_participants",
            _("Jeunes de moins de 25 ans"),
            _("Participations de personnes de 0 à 24 ans aux événements de la période."),
            young_participants,
            SECTION_PEOPLE,
            accepts_residence=True,
            order=30,
        ),
        Indicator(
            "events.young_beneficiaries",
            _("Jeunes bénéficiaires distincts"),
            _(
                "Jeunes de 0 à 24 ans venus à au moins un événement de la période, chaque contact "
                "comptant pour le plus grand nombre de jeunes venus avec lui à la fois ; les "
                "entrées sans inscription n'y sont pas."
            ),
            young_beneficiaries,
            SECTION_PEOPLE,
            accepts_residence=True,
            order=35,
        ),
        Indicator(
            "events.beneficiaries_by_kind",
            _("Bénéficiaires distincts par type d'action"),
            _("Personnes différentes venues à au moins un événement de chaque type."),
            beneficiaries_by_kind,
            SECTION_PEOPLE,
            accepts_residence=True,
            order=60,
        ),
        Indicator(
            "events.beneficiaries_intergenerational",
            _("Bénéficiaires des ateliers intergénérationnels"),
            _("Personnes différentes venues à au moins un atelier intergénérationnel."),
            _axis_beneficiaries("intergenerational"),
            SECTION_PEOPLE,
            accepts_residence=True,
            order=70,
        ),
        Indicator(
            "events.beneficiaries_participation",
            _("Bénéficiaires des actions de participation citoyenne"),
            _(
                "Personnes différentes venues à au moins un café médiation, une action de "
                "sensibilisation ou une réunion de groupe de travail."
            ),
            _axis_beneficiaries("participation"),
            SECTION_PEOPLE,
            accepts_residence=True,
            order=80,
        ),
        Indicator(
            "events.participants_by_age_band",
            _("Participants par tranche d'âge"),
            _("Participations aux événements de la période, par tranche d'âge."),
            participants_by_age_band,
            SECTION_PEOPLE,
            accepts_residence=True,
            order=40,
        ),
        Indicator(
            "events.new_and_returning",
            _("Nouveaux et déjà venus"),
            _(
                "Bénéficiaires de la période venus pour la première fois, ou déjà venus à un "
                "événement avant la période."
            ),
            new_and_returning,
            SECTION_PEOPLE,
            accepts_residence=True,
            order=50,
        ),
    ]


def register() -> None:
    indicators.register_section(SECTION_ACTIONS, 20)
    indicators.register_section(SECTION_PEOPLE, 30)
    specs = [*action_indicators(), *people_indicators()]
    for indicator in specs:
        if indicator.key not in indicators.items:
            indicators.register(indicator)
