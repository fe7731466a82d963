"""Staff screens of an event's registrations in the Wagtail admin: who is confirmed, waiting or
cancelled, with a cancel action. Scoped by territory through the permission module."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community import permissions
from events.models import Event
from events.models.bookings import Participant, Registration
from events.permissions import can_read_access_needs
from events.signup import rules as signup


def _event_for(request, event_id: int, permission: str) -> Event:
    if not request.user.has_perm(permission):
        raise PermissionDenied
    return get_object_or_404(
        permissions.restrict_to_visible(Event.objects.all(), request.user), pk=event_id
    )


def registrations(request, event_id: int):
    event = _event_for(request, event_id, "events.view_registration")
    rows = list(
        Registration.objects.filter(event=event)
        .select_related("person", "booking", "booking__created_by")
        .prefetch_related(Prefetch("participants", queryset=Participant.objects.order_by("pk")))
        .order_by("status", "waitlist_position", "created_at")
    )
    sees_access_needs = can_read_access_needs(request.user, event)
    groups = [
        (status.label, [r for r in rows if r.status == status.value])
        for status in (
            Registration.Status.CONFIRMED,
            Registration.Status.WAITLISTED,
            Registration.Status.CANCELLED,
        )
    ]
    return TemplateResponse(
        request,
        "events/admin/registrations.html",
        {
            "event": event,
            "groups": groups,
            "seats_left": signup.seats_left(event),
            "sees_access_needs": sees_access_needs,
            "can_change": request.user.has_perm("events.change_registration"),
        },
    )


@require_POST
def cancel(request, event_id: int, registration_id: int):
    event = _event_for(request, event_id, "events.change_registration")
    registration = get_object_or_404(Registration, pk=registration_id, event=event)
    signup.cancel_registration(registration.pk)
    messages.success(
        request, _("L'inscription de %(person)s est annulée.") % {"person": registration.person}
    )
    return redirect("events_registrations", event_id=event.pk)


urlpatterns = [
    path("evenements/<int:event_id>/inscriptions/", registrations, name="events_registrations"),
    path(
        "evenements/<int:event_id>/inscriptions/<int:registration_id>/annuler/",
        cancel,
        name="events_registration_cancel",
    ),
]
