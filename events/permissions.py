"""Who may reach the mediators' pages and an event there, and who may read what the events app
holds that is more sensitive than a registration.

Access needs can reveal a disability or an illness: they are read by the event's organisers
(the mediators named on it, who prepare the room) and by managers, never by every mediator of
the territory. Every screen that shows them asks `can_read_access_needs`; exports (CSV, XLSX,
attendance sheet) never carry them. Who is an organiser is written to the event's history
(events.organisers_log), so naming oneself organiser to read them leaves a trace.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from community import permissions
from events.models import Event


def can_read_access_needs(user, event) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if permissions.sees_all_territories(user):  # managers and superusers
        return True
    if not permissions.can_see_territory(user, event.territory_id):
        return False
    return event.organisers.filter(pk=user.pk).exists()


def staff_page(*perms: str):
    """Signed-in staff holding every permission in `perms`; the login page for anonymous
    visitors, 403 for anyone else."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not permissions.can_reach_staff_area(request.user) or not request.user.has_perms(
                perms
            ):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def visible_event(request, event_id: int) -> Event:
    """The event, if its territory is one the user may see; 404 otherwise."""
    return get_object_or_404(
        permissions.restrict_to_visible(Event.objects.select_related("territory"), request.user),
        pk=event_id,
    )
