"""The one way to list events for people: the agenda, the CMS block and teasers, and the feeds
all ask here, so "what is upcoming" means the same thing everywhere and costs a fixed number of
queries whatever the number of events."""

import datetime as dt
from collections.abc import Iterable

from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, Prefetch, Q, QuerySet, Window
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from community import permissions
from community.models import Organisation, Person, Territory
from events.models import Event
from events.models.bookings import Registration

# The dates a filter may name (the agenda's form refuses others, a block's dates are clamped):
# beyond them a day and its time zone no longer fit in a datetime or a database timestamp.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2999, 12, 31)


def _as_datetime(value, *, end_of_day: bool = False) -> dt.datetime | None:
    """A date means its whole day in Paris time: from 00:00, or until the next day's 00:00."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    value = min(max(value, EARLIEST_DATE), LATEST_DATE)
    day = value + dt.timedelta(days=1) if end_of_day else value
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _territory_filter(territory) -> dict:
    if territory is None:
        return {}
    if isinstance(territory, Territory):
        return {"territory_id": territory.pk}
    if isinstance(territory, int):
        return {"territory_id": territory}
    return {"territory__slug": str(territory)}


def _filtered(territory, kinds, audience) -> QuerySet[Event]:
    queryset = Event.objects.published().select_related("territory", "residence", "image")
    queryset = queryset.filter(**_territory_filter(territory))
    if kinds:
        queryset = queryset.filter(kind__in=[kinds] if isinstance(kinds, str) else list(kinds))
    if audience:
        queryset = queryset.filter(audience=audience)
    return queryset


def upcoming_events(
    territory=None,
    kinds: Iterable[str] | str | None = None,
    audience: str | None = None,
    start: dt.date | dt.datetime | None = None,
    end: dt.date | dt.datetime | None = None,
    limit: int | None = None,
) -> QuerySet[Event]:
    """Published events not yet over (cancelled ones included, marked), soonest first.

    `territory`: a Territory, its id or its slug. `kinds`: one kind or several. `start`/`end`:
    dates (whole days, Paris time) or datetimes bounding when the event happens; `start`
    defaults to now, so an event under way is still listed.
    """
    since = _as_datetime(start) or timezone.now()
    queryset = _filtered(territory, kinds, audience).filter(end__gte=since)
    until = _as_datetime(end, end_of_day=True)
    if until is not None:
        queryset = queryset.filter(start__lt=until)
    queryset = queryset.order_by("start", "pk")
    return queryset[:limit] if limit else queryset


def past_events(
    territory=None,
    kinds: Iterable[str] | str | None = None,
    audience: str | None = None,
    start: dt.date | dt.datetime | None = None,
    end: dt.date | dt.datetime | None = None,
    limit: int | None = None,
) -> QuerySet[Event]:
    """The archive: published events already over, the most recent first."""
    now = timezone.now()
    until = min(_as_datetime(end, end_of_day=True) or now, now)
    queryset = _filtered(territory, kinds, audience).filter(end__lt=until)
    since = _as_datetime(start)
    if since is not None:
        queryset = queryset.filter(start__gte=since)
    queryset = queryset.order_by("-start", "-pk")
    return queryset[:limit] if limit else queryset


# What an event card shows (events/includes/event_cards.html): the listing reads these columns
# only, never the description, programme or revision bookkeeping.
CARD_FIELDS = (
    "id",
    "title",
    "kind",
    "audience",
    "summary",
    "title_en",
    "summary_en",
    "title_ar",
    "summary_ar",
    "venue_name",
    "start",
    "end",
    "capacity",
    "cancelled_at",
    "territory__name",
    "territory__full_name",
)


def cards(queryset: QuerySet[Event], *, seats: bool = True) -> QuerySet[Event]:
    """`queryset` (from upcoming_events or past_events, unsliced) narrowed to what a card shows, each
    event with its `seats_left` (None for free entry) computed in the same query, so a page of
    cards costs one query whatever its length. Past events (`seats=False`) show no seats."""
    queryset = queryset.select_related(None).select_related("territory").only(*CARD_FIELDS)
    if not seats:
        return queryset
    return queryset.annotate(seats_left=_seats_left())


class _CountedPaginator(Paginator):
    """A paginator told how many objects there are (by the page's own query), so it never
    counts them in a query of its own."""

    def __init__(self, object_list, per_page: int, count: int):
        super().__init__(object_list, per_page)
        self._count = count

    @property
    def count(self) -> int:
        return self._count


# Beyond this offset a page number cannot name a page (PostgreSQL's OFFSET is a bigint).
_LAST_OFFSET = 2**62


def cards_page(queryset: QuerySet[Event], number, per_page: int, *, seats: bool = True) -> Page:
    """Page `number` (as typed in the address) of the cards of `queryset` (as cards()), with
    its paginator: the page's events, their seats left and how many events match come in one
    query. A number that is not a page behaves as Paginator.get_page: not a number, the first
    page; past the end (or below 1), the last."""
    listing = cards(queryset, seats=seats)
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 1
    offset = (number - 1) * per_page
    if 0 <= offset < _LAST_OFFSET:
        rows = list(listing.annotate(matching=Window(Count("id")))[offset : offset + per_page])
        if rows or number == 1:
            count = rows[0].matching if rows else 0
            return Page(rows, number, _CountedPaginator(listing, per_page, count))
    # Not a page of results: Django's paginator counts and picks the last page.
    return Paginator(listing, per_page).get_page(number)


# Each event's seats left, in SQL: the same expression built by the ORM (Case, Greatest,
# Coalesce, a Subquery of sums) cost a listing about 1 ms of CPU to build and compile, more than
# the query takes in PostgreSQL. It names the events table as the listing's own (not renamed as
# the subquery of another query). GREATEST ignores a NULL in PostgreSQL, hence the CASE.
_SEATS_LEFT_SQL = (
    'CASE WHEN "events_event"."capacity" IS NULL THEN NULL ELSE GREATEST(0, '
    '"events_event"."capacity" - COALESCE((SELECT SUM(taken."seats") FROM "events_registration" '
    'taken WHERE taken."event_id" = "events_event"."id" AND taken."status" = %s), 0)) END'
)


def _seats_left():
    """Each event's seats left (None for free entry: no capacity), counting confirmed
    registrations only, as an expression of the events' own query."""
    return RawSQL(  # noqa: S611 -- a constant statement; the status is a parameter
        _SEATS_LEFT_SQL, [Registration.Status.CONFIRMED.value], output_field=IntegerField()
    )


def feed_events(territory=None) -> QuerySet[Event]:
    """What a calendar subscription carries: upcoming events and those of the last 90 days, so
    a cancelled or just-finished event is still sent (as cancelled) to subscribed calendars."""
    return upcoming_events(
        territory=territory, start=timezone.now() - dt.timedelta(days=90)
    ).prefetch_related("partners")


def published_event(
    pk: int, *, with_people: bool = True, with_seats: bool = False, only: tuple = ()
) -> Event:
    """One published event with everything its page shows, in a fixed number of queries
    (without its organisers and partners when `with_people` is False: the sign-up form and the
    calendar file do not show them; with its `seats_left` counted in the same query when
    `with_seats`, which events.signup.rules.seats_left then reads; with the columns `only`
    names alone, and no related row, for a page that shows a few). Raises Event.DoesNotExist
    for an unknown or unpublished id."""
    queryset = Event.objects.published()
    if only:
        related = {name.split("__")[0] for name in only if "__" in name}
        queryset = queryset.select_related(*related).only(*only)
    else:
        queryset = queryset.select_related("territory", "residence", "image")
    if with_seats:
        queryset = queryset.annotate(seats_left=_seats_left())
    if with_people:
        # A Café Médiation session's series and summary come in the same query.
        queryset = queryset.select_related("session_summary", "series_session__series")
        queryset = queryset.prefetch_related(
            "organisers",
            Prefetch("partners", queryset=Organisation.objects.order_by("name")),
        )
    return queryset.get(pk=pk)


def people_staff_may_find(user) -> QuerySet:
    """The persons a staff member may find when signing someone up on their behalf: those of
    the territories they see (community.permissions), plus those with a registration for an
    event of those territories (people their team already reaches, whatever territory their
    record names, or none). A person of another territory only is never found; staff who see
    every territory find everyone. Anonymised persons are never found."""
    people = Person.objects.active()
    ids = permissions.visible_territory_ids(user)
    if ids is None:
        return people
    reached = Registration.objects.filter(event__territory__in=ids).values("person_id")
    return people.filter(Q(territory__in=ids) | Q(pk__in=reached))


def published_or_404(
    pk: int, *, with_people: bool = True, with_seats: bool = False, only: tuple = ()
) -> Event:
    """The published event for a public page, or the French 404."""
    try:
        return published_event(pk, with_people=with_people, with_seats=with_seats, only=only)
    except Event.DoesNotExist:
        raise Http404(_("Cet événement n'existe pas ou n'est pas publié.")) from None
