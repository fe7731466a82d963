"""The managers' dashboard over three years of data in four territories on PostgreSQL: 50,000
registrations (with participants, attendance and walk-ins) and 20,000 interventions. Prints the
response time of the dashboard (a year, a quarter, one territory), its CSV and XLSX exports and
the yearly report (page and PDF), with the SQL queries of each. Target: the dashboard under 1 s.

Requests go through Django's test client in this process (a signed-in manager), so the
figures are the server's time without the network."""

import datetime as dt
import os
import random
import statistics
import time
from pathlib import Path

from benchmarks.harness import https_client, load_average, print_table, setup_django

# The manager signs in without an authenticator app: two-factor is not what is measured here.
os.environ.setdefault("STAFF_MFA_REQUIRED", "false")

REGISTRATIONS = 50_000
INTERVENTIONS = 20_000
PEOPLE = 15_000
EVENTS = 2_500
RUNS = 7
MARK = "bench-indicators"


def prepare():
    from django.utils import timezone

    from community import roles
    from community.interventions.kinds import create_default_kinds
    from community.models import Intervention, InterventionKind, Person, Territory, User
    from events.models import Event, EventKind
    from events.models.attendance import Attendance, WalkIn
    from events.models.bookings import Booking, Participant, Registration

    names = [("Lyon 7", "lyon-7"), ("Lyon 8", "lyon-8"), ("Lyon 9", "lyon-9"), ("EMH", "emh")]
    territories = [
        Territory.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for name, slug in names
    ]
    roles.sync_roles()
    manager, _ = User.objects.get_or_create(email=f"{MARK}@exemple.fr", defaults={"is_staff": True})
    manager.groups.add(_group())
    if Registration.objects.filter(booking__consent_text=MARK).count() >= REGISTRATIONS:
        return manager, territories
    rng = random.Random(12)
    today = timezone.localdate()
    first = dt.date(today.year - 2, 1, 1)
    days = (today - first).days
    kinds = list(create_default_kinds(InterventionKind).values())
    Intervention.objects.bulk_create(
        (
            Intervention(
                kind=rng.choice(kinds),
                territory=rng.choice(territories),
                date=first + dt.timedelta(days=rng.randrange(days)),
                people=rng.randint(0, 4),
                client_key=f"{MARK}-{i}",
            )
            for i in range(INTERVENTIONS)
        ),
        batch_size=5000,
    )
    bands = ["0-14", "15-24", "25-59", "25-59", "60+"]
    people = Person.objects.bulk_create(
        (
            Person(
                first_name="Bench",
                last_name=str(i),
                email=f"{MARK}-{i}@exemple.invalid",
                age_band=rng.choice(bands),
                territory=rng.choice(territories),
            )
            for i in range(PEOPLE)
        ),
        batch_size=5000,
    )
    kinds_of_events = list(EventKind.values)
    events = []
    for i in range(EVENTS):
        start = timezone.make_aware(
            dt.datetime.combine(first + dt.timedelta(days=rng.randrange(days)), dt.time(14))
        )
        events.append(
            Event(
                title=f"Bench indicateurs {i}",
                kind=kinds_of_events[i % len(kinds_of_events)],
                territory=territories[i % 4],
                venue_name="Salle",
                start=start,
                end=start + dt.timedelta(hours=2),
                live=True,
            )
        )
    events = Event.objects.bulk_create(events, batch_size=2000)
    pairs = set()
    while len(pairs) < REGISTRATIONS:
        pairs.add((rng.randrange(EVENTS), rng.randrange(PEOPLE)))
    pairs = sorted(pairs)
    bookings = Booking.objects.bulk_create(
        (Booking(person=people[p], consent_text=MARK) for _, p in pairs), batch_size=5000
    )
    registrations = Registration.objects.bulk_create(
        (
            Registration(
                booking=booking,
                event=events[e],
                person=people[p],
                status="confirmed",
                seats=1,
            )
            for booking, (e, p) in zip(bookings, pairs, strict=True)
        ),
        batch_size=5000,
    )
    Participant.objects.bulk_create(
        (
            Participant(registration=r, first_name="Bench", age_band=rng.choice(bands))
            for r in registrations
            for _ in range(rng.choice((1, 1, 2)))
        ),
        batch_size=5000,
    )
    Attendance.objects.bulk_create(
        (
            Attendance(registration=r, status="attended" if rng.random() < 0.85 else "no_show")
            for r in registrations
        ),
        batch_size=5000,
    )
    WalkIn.objects.bulk_create(
        (
            WalkIn(
                event=event,
                count=rng.randint(1, 3),
                age_band=rng.choice(bands),
                client_key=f"{MARK}-{event.pk}",
            )
            for event in events[::3]
        ),
        batch_size=5000,
    )
    _activity_records(rng, territories, first, days)
    return manager, territories


ACTIVITY_ROWS = 2_000  # of each activity record the plan counts


def _activity_records(rng, territories, first, days):
    """Follow-ups with partners, partner meetings, communication actions, survey answers and
    projects over the three years: the plan's indicators read them."""
    from community.models import (
        CommunicationAction,
        KnowledgeSurveyAnswer,
        Organisation,
        PartnerFollowUp,
        PartnerMeeting,
        Project,
    )

    partner, _ = Organisation.objects.get_or_create(name=MARK, defaults={"kind": "partner"})

    def day():
        return first + dt.timedelta(days=rng.randrange(days))

    PartnerFollowUp.objects.bulk_create(
        PartnerFollowUp(
            partner=partner,
            territory=rng.choice(territories),
            age_band=rng.choice(["0-14", "15-24", "25-59"]),
            reason="Bench",
            opened_on=day(),
        )
        for _ in range(ACTIVITY_ROWS)
    )
    PartnerMeeting.objects.bulk_create(
        PartnerMeeting(
            kind=rng.choice(PartnerMeeting.Kind.values),
            territory=rng.choice(territories),
            date=day(),
            participants=rng.randint(1, 30),
        )
        for _ in range(ACTIVITY_ROWS)
    )
    CommunicationAction.objects.bulk_create(
        CommunicationAction(
            kind=rng.choice(CommunicationAction.Kind.values),
            territory=rng.choice(territories),
            date=day(),
            people_met=rng.randint(0, 50),
        )
        for _ in range(ACTIVITY_ROWS)
    )
    KnowledgeSurveyAnswer.objects.bulk_create(
        KnowledgeSurveyAnswer(
            territory=rng.choice(territories),
            date=day(),
            knows_service=rng.random() < 0.5,
            knows_mediators=rng.random() < 0.4,
            knows_missions=rng.random() < 0.3,
            has_called_on=rng.random() < 0.5,
        )
        for _ in range(ACTIVITY_ROWS)
    )
    Project.objects.bulk_create(
        Project(
            title=f"{MARK} {i}",
            kind=rng.choice(Project.Kind.values),
            territory=rng.choice(territories),
            starts_on=day(),
        )
        for i in range(ACTIVITY_ROWS)
    )


def plan_for(year: int):
    """The seed's whole plan (the demo's), moved to cover `year`, with a target on every
    indicator for that year and the one before: the dashboard then reads targets and
    computes the share of objectives reached, as it would in production."""
    from community.demo import plan as demo_plan
    from community.models import IndicatorTarget, PlanIndicator

    plan = demo_plan.seed()
    plan.start_year, plan.end_year = year - 1, year + 1
    plan.save()
    for indicator in PlanIndicator.objects.filter(axis__stake__plan=plan):
        for y in (year - 1, year):
            IndicatorTarget.objects.get_or_create(
                indicator=indicator, year=y, territory=None, defaults={"value": 100}
            )
    return plan


def _group():
    from django.contrib.auth.models import Group

    from community import roles

    return Group.objects.get(name=roles.MANAGER)


class _QueryClock:
    """Sums the time spent in the database driver (each query's round trip) while installed
    as the connection's execute wrapper: the share of a request the database accounts for."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def _backend_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) PostgreSQL's backend process serving this connection has used:
    the database's own work, which waiting for a core on a busy machine does not inflate."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(client, path: str) -> dict:
    """Median wall time, this process's CPU time (time.process_time: Python's share, which
    another program's load on a shared machine barely moves), the database time (the sum of
    the queries' round trips) and the database's CPU time (its backend process, in steps of
    the kernel's clock tick: 10 ms) of RUNS requests, and the request's query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(path)  # warm
    assert response.status_code == 200, (path, response.status_code)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    walls, cpus, dbs, db_cpus = [], [], [], []
    for _ in range(RUNS):
        clock = _QueryClock()
        db_cpu_started = _backend_cpu_seconds(backend)
        with connection.execute_wrapper(clock):
            started, cpu_started = time.perf_counter(), time.process_time()
            client.get(path)
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu_started)
        dbs.append(clock.seconds)
        db_cpus.append(_backend_cpu_seconds(backend) - db_cpu_started)
    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    return {
        "page": path,
        "p50_ms": statistics.median(walls) * 1000,
        "max_ms": max(walls) * 1000,
        "cpu_ms": statistics.median(cpus) * 1000,
        "db_ms": statistics.median(dbs) * 1000,
        "db_cpu_ms": statistics.median(db_cpus) * 1000,
        "queries": len(ctx.captured_queries),
    }


def main():
    setup_django()
    from django.utils import timezone

    started = time.perf_counter()
    manager, territories = prepare()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would have done in production
    print(f"data ready in {time.perf_counter() - started:.1f} s")
    client = https_client()
    client.force_login(manager)
    year = timezone.localdate().year - 1
    plan_for(year)
    paths = [
        f"/admin/indicateurs/?period=year&year={year}",
        f"/admin/indicateurs/?period=quarter&year={year}&quarter=2",
        f"/admin/indicateurs/?period=year&year={year}&territory={territories[1].pk}",
        f"/admin/indicateurs/export.csv?period=year&year={year}",
        f"/admin/indicateurs/export.xlsx?period=year&year={year}",
        f"/admin/indicateurs/rapport/?year={year}",
        f"/admin/indicateurs/rapport.pdf?year={year}",
        f"/admin/indicateurs/projet-de-service/?year={year}",
    ]
    rows = [measure(client, path) for path in paths]
    print_table(
        f"indicators over {REGISTRATIONS} registrations and {INTERVENTIONS} interventions, "
        f"3 years, 4 territories (median of {RUNS})",
        rows,
    )
    print(f"load average {load_average()}")


if __name__ == "__main__":
    main()
