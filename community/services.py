"""The community app's rules, one function per action. Views, admin, tasks and commands call
these; none re-implements them."""

from django.db import transaction
from django.utils import timezone

from .models import Person
from .registries import personal_data


def export_person_data(person: Person) -> dict:
    """Everything the platform holds about `person`, gathered from every app's exporter."""
    return personal_data.export(person)


@transaction.atomic
def anonymise_person(person_id: int) -> bool:
    """Blank a person's personal fields, after every app erased what it holds about them.

    The row stays, with its territory and age band, so the indicators keep counting it.
    Safe to run twice: returns False when the person was already anonymised (or is gone).
    """
    person = Person.objects.select_for_update().filter(pk=person_id).first()
    if person is None or person.anonymised_at is not None:
        return False
    personal_data.erase(person)
    person.first_name = ""
    person.last_name = ""
    person.email = None
    person.email_verified = False
    person.phone = None
    person.phone_verified = False
    person.user = None
    person.anonymised_at = timezone.now()
    person.save()
    return True


def mediators_of(territory):
    """The active staff users of the Mediator group who work in `territory` (a Territory or id),
    who receive what residents of that territory send."""
    from . import roles
    from .models import User

    territory_id = territory if isinstance(territory, int) else territory.pk
    return (
        User.objects.filter(
            is_active=True, groups__name=roles.MEDIATOR, territories__pk=territory_id
        )
        .distinct()
        .order_by("email")
    )
