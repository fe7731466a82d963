"""Three years of past activity for the indicators' demo: every month, in each territory, a
Café Médiation; every quarter an intergenerational workshop and an awareness action; each
with registrations (families, age bands), attendance and walk-ins. Idempotent: a month whose
events exist is skipped. Residents are demo people with `.invalid` addresses."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from community.models import AgeBand, Person, Territory
from events.models import Audience, Event, EventKind
from events.models.attendance import Attendance, WalkIn
from events.models.bookings import Booking, Participant, Registration

PEOPLE_PER_TERRITORY = 60
BANDS = [AgeBand.CHILD, AgeBand.YOUTH, AgeBand.ADULT, AgeBand.ADULT, AgeBand.SENIOR]
MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip
FIRST_NAMES = ["Amina", "Bruno", "Chloé", "Driss", "Élise", "Farid", "Gaëlle", "Hugo", "Inès"]


def _people(territory, rng) -> list[Person]:
    people = []
    for n in range(PEOPLE_PER_TERRITORY):
        email = f"demo.{territory.slug}.{n}@habitants.invalid"
        person, _ = Person.objects.get_or_create(
            email=email,
            defaults={
                "first_name": FIRST_NAMES[n % len(FIRST_NAMES)],
                "last_name": f"Démo {n}",
                "territory": territory,
                "age_band": rng.choice(BANDS),
            },
        )
        people.append(person)
    return people


def _event(kind, territory, day, title, audience=Audience.EVERYONE):
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(14, 30)))
    event, created = Event.objects.get_or_create(
        title=title,
        territory=territory,
        defaults={
            "kind": kind,
            "audience": audience,
            "venue_name": f"Local de l'équipe {territory.name}",
            "start": start,
            "end": start + dt.timedelta(hours=2),
            "capacity": 30,
            "live": True,
            "summary": title,
        },
    )
    return event, created


def _fill(event, people, rng) -> None:
    chosen = rng.sample(people, rng.randint(4, 12))
    bookings = Booking.objects.bulk_create(
        Booking(person=p, consent_text="Démo.", source=rng.choice(list(Booking.Source.values)))
        for p in chosen
    )
    parties = [
        [p.age_band or AgeBand.ADULT]
        + [rng.choice(BANDS) for _ in range(rng.choice((0, 0, 0, 1, 2)))]
        for p in chosen
    ]
    registrations = Registration.objects.bulk_create(
        Registration(
            booking=b,
            event=event,
            person=p,
            status=Registration.Status.CONFIRMED,
            seats=len(party),
            confirmed_at=event.start - dt.timedelta(days=3),
        )
        for b, p, party in zip(bookings, chosen, parties, strict=True)
    )
    came = {
        r.pk: Attendance.Status.ATTENDED if rng.random() < 0.85 else Attendance.Status.NO_SHOW
        for r in registrations
    }
    Participant.objects.bulk_create(
        Participant(
            registration=r, first_name=f"Participant {i + 1}", age_band=band, presence=came[r.pk]
        )
        for r, party in zip(registrations, parties, strict=True)
        for i, band in enumerate(party)
    )
    Attendance.objects.bulk_create(
        Attendance(registration=r, status=came[r.pk], marked_at=event.start) for r in registrations
    )
    for band in rng.sample(BANDS, rng.randint(0, 2)):
        WalkIn.objects.get_or_create(
            client_key=f"demo-{event.pk}-{band}",
            defaults={"event": event, "count": rng.randint(1, 4), "age_band": band},
        )


@transaction.atomic
def seed(today: dt.date | None = None, years: int = 3) -> int:
    """The past activity; returns how many events were created now."""
    today = today or timezone.localdate()
    territories = list(Territory.objects.all())
    rng = random.Random(2017)
    people = {t.pk: _people(t, rng) for t in territories}
    created = 0
    month = dt.date(today.year - years + 1, 1, 1)
    while month < today.replace(day=1):
        label = f"{MONTHS[month.month - 1]} {month.year}"  # the same whatever the locale
        rng = random.Random(month.toordinal())
        for territory in territories:
            plan = [(EventKind.CAFE_MEDIATION, "Café médiation", 7)]
            if month.month % 3 == 0:
                plan += [
                    (EventKind.INTERGENERATIONAL, "Atelier intergénérationnel", 14),
                    (EventKind.AWARENESS, "Sensibilisation au tri", 21),
                ]
            for kind, name, day in plan:
                title = f"{name} · {territory.name} · {label}"
                event, new = _event(kind, territory, month.replace(day=day), title)
                if new:
                    _fill(event, people[territory.pk], rng)
                    created += 1
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return created
