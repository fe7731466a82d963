"""The events app's outcome figures, registered in community.registries.indicators from
EventsConfig.ready().

An event counts in a period when it was held then: published, not cancelled, starting within
the period. People count by what survives anonymisation: the booking's Person row (kept,
blanked), the participants' age bands, the registration's status and its attendance.
Participations exclude registrations marked absent at the door and include walk-ins.
"""

import datetime as dt

from django.db import connection
from django.db.models import Count, F, Min, Q, Sum
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


def _walk_ins(period, territory_ids=None, residence_ids=None):
    return WalkIn.objects.filter(held_events(period, territory_ids, residence_ids, "event__"))


# -- actions ------------------------------------------------------------------------------------


def held_by_kind(period, territory_ids=None, residence_ids=None) -> dict:
    """{event kind: events held}: one grouped query, shared by every count of events by kind
    (actions by kind, workshops, Café sessions...)."""
    return shared(
        _key("events.held_by_kind", period, territory_ids, residence_ids),
        lambda: dict(
            Event.objects.filter(held_events(period, territory_ids, residence_ids))
            .order_by()
            .values_list("kind")
            .annotate(n=Count("pk"))
        ),
    )


def actions_by_kind(period, territory_ids=None, residence_ids=None) -> dict:
    counts = held_by_kind(period, territory_ids, residence_ids)
    return {str(label): counts.get(kind, 0) for kind, label in EventKind.choices}


def count_kind(kind):
    """The indicator function counting the events of `kind` held in a period."""

    def compute(period, territory_ids=None, residence_ids=None) -> int:
        return held_by_kind(period, territory_ids, residence_ids).get(kind, 0)

    return compute


# -- people -------------------------------------------------------------------------------------


def _key(name, period, territory_ids, residence_ids) -> tuple:
    return (
        name,
        period,
        None if territory_ids is None else tuple(sorted(territory_ids)),
        None if residence_ids is None else tuple(sorted(residence_ids)),
    )


def _cube(period, territory_ids=None, residence_ids=None) -> dict:
    """{(territory id, month, age band): participations} (registered participants and
    walk-ins), shared by participations, young participants, the age bands and the charts by
    territory and by month. The registered ones come with who came (`_came`)."""

    def compute():
        cube = dict(_came(period, territory_ids, residence_ids)["places"])
        walked_in = (
            _walk_ins(period, territory_ids, residence_ids)
            .order_by()
            .annotate(territory=F("event__territory_id"), month=TruncMonth("event__start"))
            .values_list("territory", "month", "age_band")
            .annotate(n=Sum("count"))
        )
        for territory, month, band, n in walked_in:
            key = (territory, month.date() if hasattr(month, "date") else month, band)
            cube[key] = cube.get(key, 0) + (n or 0)
        return cube

    return shared(_key("events.participations", period, territory_ids, residence_ids), compute)


def _sum_by(cube: dict, axis: int) -> dict:
    totals: dict = {}
    for key, n in cube.items():
        totals[key[axis]] = totals.get(key[axis], 0) + n
    return totals


def _band_counts(period, territory_ids=None, residence_ids=None) -> dict:
    """{age band: participations}."""
    return _sum_by(_cube(period, territory_ids, residence_ids), 2)


def participations(period, territory_ids=None, residence_ids=None) -> int:
    return sum(_cube(period, territory_ids, residence_ids).values())


def participations_by_territory(period, territory_ids=None) -> dict:
    return _sum_by(_cube(period, territory_ids), 0)


def participations_by_month(period, territory_ids=None) -> dict:
    return _sum_by(_cube(period, territory_ids), 1)


def participants_by_age_band(period, territory_ids=None, residence_ids=None) -> dict:
    counts = _band_counts(period, territory_ids, residence_ids)
    return {str(label): counts.get(band, 0) for band, label in AgeBand.choices}


def young_participants(period, territory_ids=None, residence_ids=None) -> int:
    counts = _band_counts(period, territory_ids, residence_ids)
    return sum(counts.get(band, 0) for band in YOUNG_BANDS)


# The service plan's axes and the kinds of events that serve them.
AXIS_KINDS = {
    "intergenerational": (EventKind.INTERGENERATIONAL,),
    "participation": (EventKind.CAFE_MEDIATION, EventKind.AWARENESS, EventKind.WORKING_GROUP),
}


# The period's attending registrations (`came`), each with its participants counted by age
# band; then the same rows summed by place and month (participations: rows starting with 0),
# and grouped by person (who came: one line per person, counted in the row starting with 1).
# The registrations are read once, their participants once.
_CAME_SQL = """
WITH came (id, person_id, kind, territory, month) AS ({came}),
per_registration AS (
    SELECT came.person_id, came.kind, came.territory, came.month, {by_band}
    FROM came LEFT JOIN {participant_table} participant ON participant.registration_id = came.id
    GROUP BY came.id, came.person_id, came.kind, came.territory, came.month
)
SELECT 0, territory, month, {band_sums}, {no_people}
FROM per_registration GROUP BY territory, month
UNION ALL
SELECT 1, NULL, NULL, {no_bands}, COUNT(*), COALESCE(SUM(party), 0), {people}
FROM (
    SELECT person_id, MAX({young}) AS party, {per_group}
    FROM per_registration GROUP BY person_id
) AS people
"""


def _came(period, territory_ids=None, residence_ids=None) -> dict:
    """The period's attending registrations and their participants, read in one query (one
    scan of each table) and shared by every figure about the people who came:

    - "places": {(territory id, month, age band): registered participants};
    - "people": distinct people, "all" (beneficiaries), "young" (each contact counts for the
      most young people they brought at once), "kind_<kind>" for each event kind and
      "axis_<axis>" for each axis of the plan (a person counted once per kind or axis).
    """

    def compute():
        return _read_came(period, territory_ids, residence_ids)

    return shared(_key("events.came", period, territory_ids, residence_ids), compute)


def _read_came(period, territory_ids, residence_ids) -> dict:
    groups = {f"kind_{kind}": (kind,) for kind in EventKind.values} | {
        f"axis_{axis}": kinds for axis, kinds in AXIS_KINDS.items()
    }
    bands = [f"band_{i}" for i in range(len(AgeBand.values))]
    young = " + ".join(f"band_{i}" for i, band in enumerate(AgeBand.values) if band in YOUNG_BANDS)
    came = (
        Registration.objects.filter(_attending(period, territory_ids, residence_ids))
        .order_by()
        .annotate(month=TruncMonth("event__start"))
        .values_list("pk", "person_id", "event__kind", "event__territory_id", "month")
    )
    came_sql, came_params = came.query.sql_with_params()
    params = [*came_params, *AgeBand.values]
    per_group = []
    for name, kinds in groups.items():
        per_group.append(
            f"COUNT(*) FILTER (WHERE kind IN ({', '.join(['%s'] * len(kinds))})) AS {name}"
        )
        params.extend(kinds)
    sql = _CAME_SQL.format(  # noqa: S608 -- only names and placeholders: values are parameters
        came=came_sql,
        participant_table=connection.ops.quote_name(Participant._meta.db_table),
        by_band=", ".join(
            f"COUNT(participant.id) FILTER (WHERE participant.age_band = %s) AS {band}"
            for band in bands
        ),
        band_sums=", ".join(f"SUM({band})" for band in bands),
        no_people=", ".join(["0"] * (2 + len(groups))),
        no_bands=", ".join(["0"] * len(bands)),
        people=", ".join(f"COUNT(*) FILTER (WHERE {name} > 0)" for name in groups),
        young=young,
        per_group=", ".join(per_group),
    )
    places: dict = {}
    people: dict = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            if row[0] == 1:
                people = dict(
                    zip(["all", "young", *groups], map(int, row[3 + len(bands) :]), strict=True)
                )
                continue
            territory, month = row[1], row[2]
            month = month.date() if hasattr(month, "date") else month
            for band, n in zip(AgeBand.values, row[3 : 3 + len(bands)], strict=True):
                if n:
                    places[territory, month, band] = int(n)
    return {"places": places, "people": people}


def _people(period, territory_ids=None, residence_ids=None) -> dict:
    return _came(period, territory_ids, residence_ids)["people"]


def beneficiaries(period, territory_ids=None, residence_ids=None) -> int:
    """Distinct persons (the bookings' contacts) who came to at least one event: one Person,
    however many events, and whether they signed up by email or by phone."""
    return _people(period, territory_ids, residence_ids)["all"]


def young_beneficiaries(period, territory_ids=None, residence_ids=None) -> int:
    """Distinct young people (0-24) who came: each contact counts for the most young people they
    brought at once (a family bringing its two children to six sessions counts two). Names are
    not used, so the figure survives anonymisation. Walk-ins, counted without names, are not in it."""
    return _people(period, territory_ids, residence_ids)["young"]


def beneficiaries_by_kind(period, territory_ids=None, residence_ids=None) -> dict:
    counts = _people(period, territory_ids, residence_ids)
    return {str(label): counts[f"kind_{kind}"] for kind, label in EventKind.choices}


def _axis_beneficiaries(axis):
    def compute(period, territory_ids=None, residence_ids=None) -> int:
        return _people(period, territory_ids, residence_ids)[f"axis_{axis}"]

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
            count_kind(EventKind.CITIZENSHIP),
            SECTION_ACTIONS,
            accepts_residence=True,
            order=40,
        ),
        Indicator(
            "events.awareness_actions",
            _("Actions de sensibilisation"),
            _("Nombre d'actions de sensibilisation ayant eu lieu pendant la période."),
            count_kind(EventKind.AWARENESS),
            SECTION_ACTIONS,
            accepts_residence=True,
            order=50,
        ),
        Indicator(
            "events.working_group_meetings",
            _("Réunions de groupes de travail"),
            _("Nombre de réunions de groupes de travail ayant eu lieu pendant la période."),
            count_kind(EventKind.WORKING_GROUP),
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
