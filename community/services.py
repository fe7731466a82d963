"""The community app's rules, one function per action. Views, admin, tasks and commands call
these; none re-implements them."""

from django.db import transaction
from django.utils import timezone

from .models import Person
from .normalise import normalise_email
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


def verified_emails(user) -> list[str]:
    """The user's verified addresses, primary first (allauth's EmailAddress rows)."""
    from allauth.account.models import EmailAddress

    rows = EmailAddress.objects.filter(user=user, verified=True).order_by("-primary", "pk")
    return [normalise_email(row.email) for row in rows]


@transaction.atomic
def link_person_to_user(user) -> Person | None:
    """Link `user` to their Person, matched or created by a VERIFIED address only.

    - a user already linked keeps their Person, which takes their primary verified address
      (after an address change) unless another Person holds it;
    - otherwise the unlinked Person holding a verified address becomes theirs;
    - otherwise a Person is created with the primary verified address.
    Without a verified address nothing happens: an unverified address never claims a Person.
    Safe to run twice.
    """
    if user is None or not user.is_authenticated:
        return None
    emails = verified_emails(user)
    if not emails:
        return None
    person = Person.objects.select_for_update().filter(user=user).first()
    if person is not None:
        primary = emails[0]
        taken = Person.objects.with_email(primary).exclude(pk=person.pk).exists()
        if person.email != primary and not taken:
            # The resident changed their address (verified, now primary): the Person follows.
            person.email = primary
            person.email_verified = True
            person.save(update_fields=["email", "email_verified"])
        elif person.email and person.email in emails and not person.email_verified:
            person.email_verified = True
            person.save(update_fields=["email_verified"])
        return person
    for email in emails:
        match = Person.objects.active().select_for_update().with_email(email).first()
        if match is None:
            continue
        if match.user_id is not None:
            return None  # the address belongs to another account's Person; never take it over
        match.user = user
        match.email_verified = True
        if not match.first_name and not match.last_name:
            match.first_name, match.last_name = user.first_name, user.last_name
        match.save()
        return match
    return Person.objects.create(
        email=emails[0],
        email_verified=True,
        user=user,
        first_name=user.first_name,
        last_name=user.last_name,
    )
