"""Who may read what the events app holds that is more sensitive than a registration.

Access needs can reveal a disability or an illness: they are read by the event's organisers
(the mediators named on it, who prepare the room) and by managers, never by every mediator of
the territory. Every screen that shows them asks `can_read_access_needs`; exports (CSV, XLSX,
attendance sheet) never carry them. Who is an organiser is written to the event's history
(events.organisers_log), so naming oneself organiser to read them leaves a trace.
"""

from community import permissions


def can_read_access_needs(user, event) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if permissions.sees_all_territories(user):  # managers and superusers
        return True
    if not permissions.can_see_territory(user, event.territory_id):
        return False
    return event.organisers.filter(pk=user.pk).exists()
