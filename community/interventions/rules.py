"""The rules of the mediators' field log: who may log what, where, and edit it until when.
Views, the admin and the demo call these functions; none re-implements a rule."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community import permissions
from community.models import Intervention, InterventionKind, Residence

FIELDS = (
    "kind",
    "date",
    "territory",
    "residence",
    "people",
    *Intervention.AGE_FIELDS,
    "women",
    "men",
    "partner",
)


def check(user, data: dict) -> dict:
    """The cleaned values, or a ValidationError naming each field at fault, in French."""
    errors = _where_errors(user, data)
    date = data.get("date")
    if date is None:
        errors["date"] = _("Indiquez la date de l'intervention.")
    elif date > timezone.localdate():
        errors["date"] = _("La date ne peut pas être dans le futur.")
    people = data.get("people")
    counts = {name: data.get(name) for name in (*Intervention.AGE_FIELDS, "women", "men")}
    errors.update(_count_errors(people, counts))
    if errors:
        raise ValidationError(errors)
    values = {name: data.get(name) for name in FIELDS}
    if any(counts[name] is not None for name in Intervention.AGE_FIELDS):
        # A partial age split is stored as given; the missing bands count as zero.
        for name in Intervention.AGE_FIELDS:
            values[name] = counts[name] or 0
    return values


def _where_errors(user, data: dict) -> dict:
    """Errors on what and where: an active kind, a territory the user works on, a residence in
    it."""
    errors = {}
    kind = data.get("kind")
    if kind is None or not isinstance(kind, InterventionKind) or not kind.active:
        errors["kind"] = _("Choisissez un type d'intervention.")
    territory = data.get("territory")
    if territory is None:
        errors["territory"] = _("Choisissez un territoire.")
    elif not permissions.can_see_territory(user, territory):
        errors["territory"] = _("Vous n'intervenez pas sur ce territoire.")
    residence: Residence | None = data.get("residence")
    if residence is not None and territory is not None and residence.territory_id != territory.pk:
        errors["residence"] = _("Cette résidence n'est pas sur le territoire choisi.")
    return errors


def _count_errors(people: int | None, counts: dict) -> dict:
    """Errors on the head counts: none negative, and the age and sex splits within the total
    (checked only when every count is valid)."""
    errors = {}
    if people is None or people < 0:
        errors["people"] = _("Le nombre de personnes doit être un nombre positif ou nul.")
    for name, value in counts.items():
        if value is not None and value < 0:
            errors[name] = _("Indiquez un nombre positif ou nul.")
    if people is not None and people >= 0 and not errors.keys() & counts.keys():
        ages = [counts[name] for name in Intervention.AGE_FIELDS if counts[name] is not None]
        if sum(ages) > people:
            errors["people_0_14"] = _(
                "La répartition par âge dépasse le nombre de personnes (%(people)s)."
            ) % {"people": people}
        if (counts["women"] or 0) + (counts["men"] or 0) > people:
            errors["women"] = _(
                "Femmes et hommes dépassent le nombre de personnes (%(people)s)."
            ) % {"people": people}
    return errors


def can_log(user) -> bool:
    return bool(
        permissions.can_reach_staff_area(user) and user.has_perm("community.add_intervention")
    )


def log_intervention(user, data: dict, client_key: str | None = None) -> tuple[Intervention, bool]:
    """Record one intervention by `user`; (row, created). A ValidationError leaves nothing
    written; the same `client_key` again (a double tap, a retried POST) returns the first row."""
    if not can_log(user):
        raise PermissionDenied
    values = check(user, data)
    if client_key:
        existing = Intervention.objects.filter(client_key=client_key, author=user).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            return Intervention.objects.create(
                author=user, client_key=client_key or None, **values
            ), True
    except IntegrityError:
        existing = Intervention.objects.filter(client_key=client_key, author=user).first()
        if existing is None:
            raise
        return existing, False


def can_edit(user, intervention: Intervention) -> bool:
    """Its author, on the day they logged it (until midnight, Paris time)."""
    return (
        intervention.author_id == user.pk
        and timezone.localdate(intervention.created_at) == timezone.localdate()
        and permissions.can_see_territory(user, intervention.territory_id)
    )


@transaction.atomic
def update_intervention(user, intervention_id: int, data: dict) -> Intervention:
    intervention = Intervention.objects.select_for_update().get(pk=intervention_id)
    if not can_edit(user, intervention):
        raise PermissionDenied
    for name, value in check(user, data).items():
        setattr(intervention, name, value)
    intervention.save()
    return intervention


@transaction.atomic
def delete_intervention(user, intervention_id: int) -> None:
    intervention = Intervention.objects.select_for_update().get(pk=intervention_id)
    if not can_edit(user, intervention):
        raise PermissionDenied
    intervention.delete()


def logged_today(user):
    """The interventions `user` logged today, the ones they may still edit."""
    now = timezone.localtime()
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return (
        Intervention.objects.filter(author=user, created_at__gte=start)
        .select_related("kind", "territory", "residence")
        .order_by("-created_at", "-pk")
    )
