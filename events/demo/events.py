"""A season of demo events from the agency's service plan, across the seed's territories.
Idempotent: an event whose title exists is left as it is. Dates are relative to today, so the
agenda always has upcoming events and an archive."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from community.models import Organisation, Person, Residence, Territory, User
from events import services
from events.models import (
    AccessFeature,
    Audience,
    CafeSeries,
    Event,
    EventKind,
    SeatGroup,
    SessionSummary,
    SurveyAnswer,
    Topic,
    TopicSupport,
)
from events.models.attendance import Attendance, WalkIn
from events.models.bookings import Registration
from events.models.outbox import OutboxMessage
from events.models.programme import Programme, Track
from events.series import rules as series
from events.signup.rules import Contact

K, A, F = EventKind, Audience, AccessFeature

# title, kind, audience, territory, residence, venue, address, day offset, start, hours,
# capacity, partners, access, summary
EVENTS = [
    (
        "Café Médiation États-Unis",
        K.CAFE_MEDIATION,
        A.EVERYONE,
        "Lyon 8",
        None,
        "Salle associative des États-Unis",
        "Boulevard des États-Unis, 69008 Lyon",
        6,
        "18:00",
        2,
        20,
        ["GLH"],
        [F.STEP_FREE, F.HEARING_LOOP],
        "Un moment d'échange entre voisins autour d'un café, animé par les médiateurs de Lyon 8.",
    ),
    (
        "Café Médiation États-Unis — séance de décembre",
        K.CAFE_MEDIATION,
        A.EVERYONE,
        "Lyon 8",
        None,
        "Salle associative des États-Unis",
        "Boulevard des États-Unis, 69008 Lyon",
        34,
        "18:00",
        2,
        20,
        ["GLH"],
        [F.STEP_FREE, F.HEARING_LOOP],
        "Le rendez-vous mensuel des habitants des États-Unis : on se parle, on s'écoute.",
    ),
    (
        "Sensibilisation au tri à Albert Laurent",
        K.AWARENESS,
        A.FAMILIES,
        "Lyon 8",
        "Albert Laurent",
        "Pied d'immeuble, résidence Albert Laurent",
        "Rue Albert Laurent, 69008 Lyon",
        9,
        "16:30",
        2,
        None,
        ["GLH", "Grand Lyon la Métropole"],
        [F.STEP_FREE],
        "Où va chaque déchet ? Jeux et conseils pour trier en famille.",
    ),
    (
        "Encombrants : comment s'en débarrasser ? — Le Château",
        K.AWARENESS,
        A.EVERYONE,
        "Lyon 9",
        "Le Château",
        "Local commun résidentiel du Château",
        "Montée du Château, 69009 Lyon",
        13,
        "17:00",
        1.5,
        None,
        ["LMH"],
        [F.STEP_FREE],
        "Déchèteries, collectes et dons : les bonnes adresses pour les objets encombrants.",
    ),
    (
        "Nuisances sonores : mieux vivre ensemble à Patel",
        K.AWARENESS,
        A.EVERYONE,
        "Lyon 9",
        "Patel",
        "Résidence Patel, salle du rez-de-chaussée",
        "Rue Patel, 69009 Lyon",
        20,
        "18:30",
        1.5,
        25,
        ["SACVL"],
        [F.STEP_FREE],
        "Bruit, horaires, dialogue entre voisins : échanges avec les médiateurs.",
    ),
    (
        "Atelier citoyenneté au collège Longchambon",
        K.CITIZENSHIP,
        A.UNDER_25,
        "Lyon 8",
        None,
        "Collège Longchambon",
        "Rue Longchambon, 69008 Lyon",
        8,
        "10:00",
        2,
        28,
        ["Collège Longchambon"],
        [F.STEP_FREE],
        "Prévenir les conflits par la parole : un atelier de médiation avec une classe de 5e.",
    ),
    (
        "Atelier citoyenneté au collège Mermoz",
        K.CITIZENSHIP,
        A.UNDER_25,
        "Lyon 8",
        "Mermoz Nord",
        "Collège Mermoz",
        "Avenue Jean Mermoz, 69008 Lyon",
        15,
        "14:00",
        2,
        28,
        ["Collège Mermoz", "ADSEA"],
        [F.STEP_FREE],
        "Respect, règles communes et gestion des désaccords, avec les élèves de 4e.",
    ),
    (
        "Atelier citoyenneté au collège Rosset",
        K.CITIZENSHIP,
        A.UNDER_25,
        "Lyon 9",
        None,
        "Collège Rosset",
        "69009 Lyon",
        22,
        "10:00",
        2,
        28,
        ["Collège Rosset"],
        [],
        "Un atelier pour apprendre à écouter, reformuler et chercher un accord.",
    ),
    (
        "Atelier citoyenneté à l'école Aristide Briand",
        K.CITIZENSHIP,
        A.UNDER_25,
        "Lyon 7",
        None,
        "École Aristide Briand",
        "69007 Lyon",
        27,
        "09:30",
        1.5,
        25,
        ["École Aristide Briand"],
        [F.STEP_FREE],
        "Les élèves de CM2 découvrent la médiation par le jeu et le dialogue.",
    ),
    (
        "Atelier intergénérationnel : souvenirs de quartier",
        K.INTERGENERATIONAL,
        A.INTERGENERATIONAL,
        "EMH",
        "Cours Bayard",
        "Résidence Cours Bayard",
        "Cours Bayard, 69002 Lyon",
        17,
        "14:30",
        2.5,
        16,
        ["CAF du Rhône"],
        [F.STEP_FREE, F.ACCESSIBLE_TOILETS],
        "Jeunes et aînés racontent le quartier et préparent ensemble une exposition.",
    ),
    (
        "Stand au forum des associations",
        K.STAND,
        A.EVERYONE,
        "Lyon 7",
        None,
        "Place Jean Macé",
        "Place Jean Macé, 69007 Lyon",
        11,
        "10:00",
        6,
        None,
        ["France Médiation"],
        [F.STEP_FREE],
        "Venez rencontrer l'équipe de médiation sociale sur notre stand.",
    ),
    (
        "Groupe de travail « propreté » de Santy",
        K.WORKING_GROUP,
        A.EVERYONE,
        "Lyon 8",
        "Santy",
        "Local commun résidentiel de Santy",
        "Avenue Paul Santy, 69008 Lyon",
        24,
        "18:00",
        1.5,
        15,
        ["GLH"],
        [F.STEP_FREE],
        "Les locataires référents font le point sur les actions propreté du trimestre.",
    ),
    # The archive.
    (
        "Café Médiation États-Unis — séance d'octobre",
        K.CAFE_MEDIATION,
        A.EVERYONE,
        "Lyon 8",
        None,
        "Salle associative des États-Unis",
        "Boulevard des États-Unis, 69008 Lyon",
        -22,
        "18:00",
        2,
        20,
        ["GLH"],
        [F.STEP_FREE, F.HEARING_LOOP],
        "Le rendez-vous mensuel des habitants des États-Unis.",
    ),
    (
        "Sensibilisation au tri à André Bollier",
        K.AWARENESS,
        A.FAMILIES,
        "Lyon 7",
        "André Bollier",
        "Résidence André Bollier",
        "Rue André Bollier, 69007 Lyon",
        -35,
        "16:30",
        2,
        None,
        ["Alliade Habitat"],
        [F.STEP_FREE],
        "Tri sélectif et compost : un après-midi d'animations en pied d'immeuble.",
    ),
    (
        "Journée annuelle de la médiation sociale",
        K.MEDIATION_DAY,
        A.EVERYONE,
        "Lyon 8",
        None,
        "Maison de la médiation",
        "69008 Lyon",
        -50,
        "09:30",
        7,
        120,
        ["France Médiation", "Grand Lyon la Métropole"],
        [F.STEP_FREE, F.HEARING_LOOP, F.ACCESSIBLE_TOILETS],
        "Tables rondes, témoignages et ateliers pour faire connaître la médiation sociale.",
    ),
]


def _when(offset: int, start: str, hours: float) -> tuple[dt.datetime, dt.datetime]:
    day = timezone.localdate() + dt.timedelta(days=offset)
    hour, minute = (int(part) for part in start.split(":"))
    begins = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
    return begins, begins + dt.timedelta(minutes=int(hours * 60))


@transaction.atomic
def seed() -> list[Event]:
    territories = {t.name: t for t in Territory.objects.all()}
    organisations = {o.name: o for o in Organisation.objects.all()}
    residences = {(r.territory_id, r.name): r for r in Residence.objects.all()}
    created = []
    for (
        title, kind, audience, territory_name, residence_name, venue, address,
        offset, start, hours, capacity, partner_names, access, summary,
    ) in EVENTS:  # fmt: skip
        if Event.objects.filter(title=title).exists() or territory_name not in territories:
            continue
        territory = territories[territory_name]
        begins, ends = _when(offset, start, hours)
        event = Event(
            title=title,
            kind=kind,
            audience=audience,
            territory=territory,
            residence=residences.get((territory.pk, residence_name)),
            venue_name=venue,
            venue_address=address,
            access_features=[str(feature) for feature in access],
            summary=summary,
            description=f"<p>{summary}</p><p>Gratuit, ouvert à toutes et à tous.</p>",
            start=begins,
            end=ends,
            capacity=capacity,
            live=False,
        )
        event.save()
        event.partners.set([organisations[n] for n in partner_names if n in organisations])
        event.organisers.set(User.objects.filter(is_staff=True, territories=territory))
        services.publish(event)
        created.append(event)
    return created


# -- Café Médiation series and the intergenerational workshop's reserved seats ---------------

SERIES_TITLE = "Café Médiation des États-Unis"
SERIES_FOLLOWERS = [
    ("Fatima", "Benali", "fatima.benali@exemple.fr", "60+"),
    ("Jacqueline", "Roux", "jacqueline.roux@exemple.fr", "60+"),
    ("Mamadou", "Sy", "mamadou.sy@exemple.fr", "25-59"),
    ("Lucas", "Moreau", "lucas.moreau@exemple.fr", "15-24"),
    ("Odette", "Perrin", "", "60+"),
]
SERIES_TOPICS = [
    ("Le bruit dans les cages d'escalier le soir", "approved", 3),
    ("Les encombrants déposés au pied des immeubles", "approved", 2),
    ("Créer un jardin partagé avec les jeunes du quartier", "approved", 4),
    ("Le stationnement devant l'école", "pending", 0),
]
SERIES_SUMMARIES = [
    "Douze voisins autour de la table. Le bruit dans les cages d'escalier revient souvent : "
    "GLH rappellera le règlement intérieur par affichage, et les médiateurs organiseront une "
    "rencontre entre voisins des bâtiments B et C.",
    "Les encombrants : la Métropole présentera le calendrier des collectes à la prochaine "
    "séance. Trois habitants proposent d'accompagner les nouveaux arrivants.",
    "Le projet de jardin partagé avance : deux jeunes et quatre aînés forment un petit groupe "
    "pour le présenter au bailleur.",
]
WORKSHOP_TITLE = "Atelier intergénérationnel : souvenirs de quartier"


@transaction.atomic
def seed_series() -> dict:
    """The seed's Café Médiation of the États-Unis sector (Lyon 8) as a series every other
    Tuesday, 14:00-16:00, started eight weeks ago: past sessions with attendance, topics,
    summaries and survey answers, followers signed up to the coming ones; and seats reserved
    per age band on the intergenerational workshop. Idempotent."""
    result = {"series": None, "seat_groups": 0}
    result["seat_groups"] = seed_seat_groups()
    territory = Territory.objects.filter(name="Lyon 8").first()
    if territory is None or CafeSeries.objects.filter(title=SERIES_TITLE).exists():
        return result
    now = timezone.now()
    begin = now - dt.timedelta(weeks=8)
    cafe = create_cafe_series(territory, begin)
    result["series"] = cafe
    # As if the series had been created eight weeks ago: the sessions since then exist, and
    # the followers were signed up to them at the time.
    series.sync_series(cafe.pk, now=begin)
    people = [f.person for f in seed_followers(cafe, begin)]
    past = list(Event.objects.filter(series_session__series=cafe, start__lte=now).order_by("start"))
    seed_past_sessions(past)
    seed_topics(cafe, people, past)
    # Then today: the coming sessions over the horizon, with the followers on them.
    series.sync_series(cafe.pk)
    Person.objects.filter(pk__in=[p.pk for p in people], territory__isnull=True).update(
        territory=territory
    )
    # The demo writes to nobody: the confirmations its follows queued are dropped.
    OutboxMessage.objects.filter(person__in=people, state=OutboxMessage.State.PENDING).delete()
    return result


def seed_seat_groups() -> int:
    """Seats reserved per age band on the intergenerational workshop; how many groups were
    made."""
    workshop = Event.objects.filter(title=WORKSHOP_TITLE).first()
    if workshop is not None and not SeatGroup.objects.filter(event=workshop).exists():
        SeatGroup.objects.create(
            event=workshop, label="Jeunes", age_bands=["0-14", "15-24"], capacity=8
        )
        SeatGroup.objects.create(event=workshop, label="Aînés", age_bands=["60+"], capacity=8)
        return 2
    return 0


def create_cafe_series(territory: Territory, begin: dt.datetime) -> CafeSeries:
    """The series every other Tuesday from `begin`, led by the territory's staff."""
    first_tuesday = timezone.localdate(begin) + dt.timedelta(
        days=(1 - timezone.localdate(begin).weekday()) % 7
    )
    cafe = CafeSeries.objects.create(
        title=SERIES_TITLE,
        summary="Tous les quinze jours, les habitants des États-Unis se retrouvent autour d'un "
        "café pour parler de la vie du quartier, avec les médiateurs de Lyon 8.",
        territory=territory,
        venue_name="Salle associative des États-Unis",
        venue_address="Boulevard des États-Unis, 69008 Lyon",
        frequency=CafeSeries.Frequency.WEEKLY,
        interval=2,
        weekday=1,
        start_date=first_tuesday,
        start_time=dt.time(14),
        end_time=dt.time(16),
        capacity=15,
    )
    cafe.facilitators.set(User.objects.filter(is_staff=True, territories=territory))
    return cafe


def seed_followers(cafe: CafeSeries, begin: dt.datetime) -> list:
    """The residents who follow the series since `begin`."""
    follows = []
    for first, last, email, band in SERIES_FOLLOWERS:
        phone = "" if email else "0478000000"
        follows.append(
            series.follow(
                series_id=cafe.pk,
                contact=Contact(first, last, email, phone, band),
                age_band=band,
                consent_text="Consentement recueilli lors de la démonstration.",
                now=begin,
            )
        )
    return follows


def seed_past_sessions(past: list[Event]) -> None:
    """The past sessions' attendance, survey answers (online and on paper) and summaries."""
    for index, event in enumerate(past):
        registrations = list(Registration.objects.confirmed().filter(event=event))
        for n, registration in enumerate(registrations):
            status = Attendance.Status.NO_SHOW if n == index % 5 else Attendance.Status.ATTENDED
            Attendance.objects.get_or_create(registration=registration, defaults={"status": status})
            registration.participants.filter(presence="").update(presence=status)
            if status == Attendance.Status.ATTENDED and registration.person.email and n % 2 == 0:
                SurveyAnswer.objects.get_or_create(
                    registration=registration,
                    defaults={"event": event, "rating": 4 + (n + index) % 2, "comment": ""},
                )
        SurveyAnswer.objects.create(
            event=event,
            rating=5,
            comment="Très bon moment, merci aux médiateurs.",
            source=SurveyAnswer.Source.PAPER,
        )
        if index < len(SERIES_SUMMARIES):
            SessionSummary.objects.get_or_create(
                event=event, defaults={"text": SERIES_SUMMARIES[index], "published_at": event.end}
            )


def seed_topics(cafe: CafeSeries, people: list, past: list[Event]) -> None:
    """The topics the followers proposed and supported, the approved ones on a past session."""
    for index, (text, status, supports) in enumerate(SERIES_TOPICS):
        topic = Topic.objects.create(
            series=cafe, person=people[index % len(people)], text=text, status=status
        )
        if status == "approved" and index < len(past):
            topic.session = past[index]
            topic.save(update_fields=["session"])
        for person in [p for p in people if p != topic.person][:supports]:
            TopicSupport.objects.get_or_create(topic=topic, person=person)


# -- the annual mediation day: this year's coming day and last year's ------------------------

DAY_VENUE = ("Mairie du 8e arrondissement", "12 avenue Jean Mermoz, 69008 Lyon")
DAY_TRACKS = ("Habiter ensemble", "Jeunesse et intergénération")
# title, track index, start, end, capacity, summary
DAY_SESSIONS = [
    ("Ouverture : la médiation sociale à Lyon", 0, "09:30", "10:30", 120,
     "Les équipes de Lyon 7, Lyon 8, Lyon 9 et EMH présentent une année de médiation."),
    ("Table ronde : bailleurs et habitants, se parler", 0, "10:30", "12:00", 60,
     "GLH, LMH, Alliade Habitat et des locataires référents : ce qui marche pour se comprendre."),
    ("Atelier : gérer un conflit de voisinage", 0, "14:00", "15:30", 12,
     "Écoute active et rappel à la règle : des mises en situation avec les médiateurs."),
    ("Atelier intergénérationnel : nos quartiers hier et aujourd'hui", 1, "10:30", "12:00", 25,
     "Des collégiens de Mermoz et des seniors du quartier racontent leur résidence."),
    ("Forum des jeunes : la médiation par les pairs", 1, "14:00", "15:30", 30,
     "Les élèves formés à la médiation dans les collèges présentent leur travail."),
]  # fmt: skip
LAST_YEAR_WALK_INS = [34, 41, 15, 22, 19]


def _day_dates() -> tuple[dt.date, dt.date]:
    """The coming day three weeks from now, and last year's, on the same date a year before."""
    coming = timezone.localdate() + dt.timedelta(days=21)
    try:
        last = coming.replace(year=coming.year - 1)
    except ValueError:  # 29 February
        last = coming.replace(year=coming.year - 1, day=28)
    return coming, last


@transaction.atomic
def seed_mediation_days() -> list:
    """This year's day (two tracks, five sessions) and last year's (held; walk-ins counted at
    the door). Idempotent: a programme of the year is left as it is."""

    territory = Territory.objects.filter(name="Lyon 8").first()
    if territory is None:
        return []
    programmes = []
    for date, held in zip(_day_dates(), (False, True), strict=True):
        programme = Programme.objects.filter(year=date.year).first()
        if programme is not None:
            programmes.append(programme)
            continue
        programme = Programme.objects.create(
            year=date.year,
            date=date,
            territory=territory,
            venue_name=DAY_VENUE[0],
            venue_address=DAY_VENUE[1],
        )
        tracks = [
            Track.objects.create(programme=programme, name=name, sort_order=index)
            for index, name in enumerate(DAY_TRACKS)
        ]
        for index, (title, track, start, end, capacity, summary) in enumerate(DAY_SESSIONS):
            day = dt.datetime.combine(date, dt.time())
            begins = timezone.make_aware(day.replace(hour=int(start[:2]), minute=int(start[3:])))
            ends = timezone.make_aware(day.replace(hour=int(end[:2]), minute=int(end[3:])))
            event = Event(
                title=title,
                kind=EventKind.MEDIATION_DAY_SESSION,
                track=tracks[track],
                audience=Audience.EVERYONE,
                territory=territory,
                venue_name=DAY_VENUE[0],
                venue_address=DAY_VENUE[1],
                access_features=[str(F.STEP_FREE), str(F.HEARING_LOOP)],
                summary=summary,
                description=f"<p>{summary}</p>",
                start=begins,
                end=ends,
                capacity=capacity,
                live=False,
            )
            event.save()
            services.publish(event)
            if held:
                WalkIn.objects.create(
                    event=event,
                    count=LAST_YEAR_WALK_INS[index],
                    age_band="25-59",
                    client_key=f"demo-day-{date.year}-{index}",
                )
        programmes.append(programme)
    return programmes
