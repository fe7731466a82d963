"""Events as the actions of community projects: what a project's admin page lists (through the
registry `community.registries.project_events`, so community imports nothing here), and the
figure of actions the plan's participation axis counts."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from community import permissions
from community.registries import Indicator, Meeting, indicators, project_events
from events.indicators import SECTION_ACTIONS, held_events
from events.models import Event, EventKind


def events_of_project(project_id: int, user) -> list[Meeting]:
    """Every event of the project the user may see (their territories'), the latest first."""
    events = permissions.restrict_records(Event.objects.filter(project_id=project_id), user)
    return [
        Meeting(
            title=event.title,
            start=event.start,
            url=reverse("wagtailsnippets_events_event:edit", args=[event.pk]),
            venue=event.venue_name,
        )
        for event in events.order_by("-start", "-pk")
    ]


def participation_actions(period, territory_ids=None, residence_ids=None) -> int:
    """Awareness actions and the actions of projects (events linked to one) held in the
    period, each event once."""
    return (
        Event.objects.filter(held_events(period, territory_ids, residence_ids))
        .filter(Q(kind=EventKind.AWARENESS) | Q(project__isnull=False))
        .count()
    )


def project_actions(period, territory_ids=None, residence_ids=None) -> int:
    """Events held in the period as actions of a project."""
    return (
        Event.objects.filter(held_events(period, territory_ids, residence_ids))
        .filter(project__isnull=False)
        .count()
    )


def indicators_list() -> list[Indicator]:
    return [
        Indicator(
            "events.project_actions",
            _("Actions des projets"),
            _("Événements ayant eu lieu pendant la période comme actions d'un projet."),
            project_actions,
            SECTION_ACTIONS,
            accepts_residence=True,
            order=70,
        ),
        Indicator(
            "events.participation_actions",
            _("Actions et projets de participation citoyenne"),
            _(
                "Actions de sensibilisation et actions des projets ayant eu lieu pendant la "
                "période (un événement compte une fois)."
            ),
            participation_actions,
            SECTION_ACTIONS,
            accepts_residence=True,
            order=80,
        ),
    ]


def register() -> None:
    for indicator in indicators_list():
        if indicator.key not in indicators.items:
            indicators.register(indicator)
    project_events.register(events_of_project)
