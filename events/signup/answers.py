"""The answer to a public sign-up, follow or programme form: one page, the same for every
anonymous visitor, whether or not the details they typed were already known.

The page says what happens next (a message with the link to the address given, or a call from a
mediator when only a phone was given) and offers the public links of what was asked for (the
event's calendar file and page, the series' page, the day's page), which name no one.

Nothing on it depends on what was typed nor on what the visitor's session did: a link or a
status shown only to the browser that made a booking would tell an attacker, typing someone's
address, whether that person was already registered (no link) or not (a link). The one reader
who sees a booking's link and status there is a signed-in resident whose own record holds it;
they see it under "Mes inscriptions" anyway.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from events.models import SeriesFollow
from events.models.bookings import Registration
from events.signup import rules as signup
from events.tokens import follow_url

KINDS = ("inscription", "cycle", "programme")


def received_url(kind: str, pk: int) -> str:
    return reverse("events:received", args=[kind, pk])


def _own_person(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "person", None)


def own_answer(request, kind: str, pk: int) -> dict | None:
    """The link and status of the signed-in resident's own booking or follow for `kind`/`pk`,
    or None (anonymous visitor, someone else's details, nothing held)."""
    person = _own_person(request)
    if person is None:
        return None
    if kind == "cycle":
        follow = SeriesFollow.objects.filter(
            series_id=pk, person=person, stopped_at__isnull=True
        ).first()
        if follow is None:
            return None
        return {
            "url": follow_url(follow),
            "note": _(
                "C'est noté : vous suivez ce cycle. Vous êtes inscrit aux prochaines "
                "séances ; gardez le lien de cette page pour la retrouver."
            ),
        }
    registrations = Registration.objects.live().filter(person=person).select_related("booking")
    if kind == "inscription":
        registration = registrations.filter(event_id=pk).first()
        if registration is None:
            return None
        if registration.status == Registration.Status.CONFIRMED:
            note = _("C'est noté : votre inscription est confirmée.")
        else:
            note = _("Vous êtes inscrit sur la liste d'attente, au rang %(position)s.") % {
                "position": registration.waitlist_position
            }
        return {"url": signup.manage_url(registration.booking), "note": note}
    mine = list(registrations.filter(event__track__programme_id=pk).order_by("booking_id"))
    if not mine:
        return None
    confirmed = sum(r.status == Registration.Status.CONFIRMED for r in mine)
    return {
        "url": signup.manage_url(mine[-1].booking),
        "note": _("C'est noté : votre programme de la journée est enregistré.")
        + " "
        + _("%(confirmed)s séance(s) confirmée(s), %(waiting)s en liste d'attente.")
        % {"confirmed": confirmed, "waiting": len(mine) - confirmed},
    }


def context(request, kind: str, pk: int, subject: str, public_links: list) -> dict:
    """What the answer page shows: `public_links` is a list of (label, url) naming no one."""
    return {
        "kind": kind,
        "subject": subject,
        "public_links": public_links,
        "mine": own_answer(request, kind, pk),
    }
