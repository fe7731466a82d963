"""Who is this person: the only code that decides it.

Every path that turns typed contact details into a `Person` calls `identify` (public sign-up,
series follow, mediation-day programme, newsletter, assisted sign-up, import); an account is
tied to a person by `link_verified_user`, from its verified addresses only. Nothing else looks a
person up by email or phone to write to it.

The rules, and why:

- What an anonymous visitor types never changes an existing person: not their email, phone
  nor name. A record gains an email or a phone only when its owner verifies it (an allauth
  verified address, `link_verified_user`) or a staff member enters it (`entered_by=user`: an
  assisted sign-up, an import). Otherwise anyone who knows a phone-only resident's number could
  type it with their own address, verify that address, and be handed the resident's record.
- A public input is matched to an existing person only on the channel its messages go to: its
  email when one is typed (every link is then mailed to that mailbox, so whoever typed it
  reaches nothing), else its phone (the message becomes a call to that number) — but not a
  phone an account holder typed into their profile and never verified, which would draw the
  registrations of the number's real owner onto that account.
- When it cannot be matched safely, a new person is made. Email and phone are unique when set,
  so the new person gets the typed phone only when nobody holds it; the number stays with its
  first holder, never taken away. Staff find such duplicates on the duplicates screen (same
  phone, email or name in their territories) and merge them (`community.merging.rules`).
- A staff entry is matched by email, then phone; it fills in a missing identifier when nobody
  else holds it (the staff member has the person in front of them or on the phone), and never
  renames anyone. A phone an account holder typed into their profile and never verified yields
  to the person staff enter with it: it is taken off the account's person, never matched.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from allauth.account.models import EmailAddress

from community.models import AgeBand, Person
from community.normalise import normalise_email, normalise_phone


@dataclass(frozen=True)
class Contact:
    """Contact details as typed on a form (by the person, or by staff for them)."""

    first_name: str
    last_name: str
    email: str = ""
    phone: str = ""
    age_band: str = ""


def clean(contact: Contact, *, require_names: bool = True) -> Contact:
    """The contact with its names stripped and its identifiers normalised; ValidationError
    (French, per field) when a name is missing (unless not required: a newsletter sign-up),
    an identifier is invalid, or neither is given."""
    errors = {}
    first_name, last_name = contact.first_name.strip(), contact.last_name.strip()
    if not first_name and require_names:
        errors["first_name"] = _("Indiquez votre prénom.")
    if not last_name and require_names:
        errors["last_name"] = _("Indiquez votre nom.")
    email = normalise_email(contact.email) or ""
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Cette adresse électronique n'est pas valide.")
    try:
        phone = normalise_phone(contact.phone) or ""
    except ValidationError as exc:
        errors["phone"] = exc.messages[0]
        phone = ""
    if not email and not phone and "email" not in errors and "phone" not in errors:
        errors["email"] = _("Indiquez une adresse électronique ou un numéro de téléphone.")
    if errors:
        raise ValidationError(errors)
    return Contact(first_name, last_name, email, phone, contact.age_band)


def identify(
    contact: Contact,
    *,
    entered_by=None,
    territory=None,
    require_names: bool = True,
    savepoint: bool = True,
) -> Person:
    """The Person these contact details designate, matched or created by the rules above.

    `entered_by` is the staff user who typed them (None for a public form). `territory` is
    given to a person created here. Raises ValidationError on invalid details.

    A concurrent request may create the same identifier meanwhile: the look-up is then made
    again, once, after rolling back to a savepoint. `savepoint=False` is for a caller whose own
    transaction does that (events.signup.rules.register, which runs again once on an
    IntegrityError): the IntegrityError then reaches it, and no savepoint costs two queries."""
    contact = clean(contact, require_names=require_names)
    if not savepoint:
        if entered_by is not None:
            return _staff_entry(contact, territory)
        return _public_entry(contact, territory)
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                if entered_by is not None:
                    return _staff_entry(contact, territory)
                return _public_entry(contact, territory)
        except IntegrityError:
            # A concurrent request created the same identifier meanwhile: look again, once.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _phone_is_free(phone: str) -> bool:
    return bool(phone) and not Person.objects.filter(phone=phone).exists()


def _create(contact: Contact, *, email, phone, territory) -> Person:
    return Person.objects.create(
        first_name=contact.first_name,
        last_name=contact.last_name,
        email=email or None,
        phone=phone or None,
        age_band=contact.age_band if contact.age_band in AgeBand.values else "",
        territory=territory,
    )


def _public_entry(contact: Contact, territory) -> Person:
    people = Person.objects.active()
    if contact.email:
        person = people.with_email(contact.email).first()
        if person is not None:
            return person
        phone = contact.phone if _phone_is_free(contact.phone) else None
        return _create(contact, email=contact.email, phone=phone, territory=territory)
    holder = people.filter(phone=contact.phone).first()
    if holder is not None and (holder.user_id is None or holder.phone_verified):
        return holder
    phone = contact.phone if _phone_is_free(contact.phone) else None
    return _create(contact, email=None, phone=phone, territory=territory)


def _unverified_account_claim(phone: str):
    """Persons holding `phone` only because an account holder typed it into their profile and
    never verified it."""
    return Person.objects.filter(phone=phone, user__isnull=False, phone_verified=False)


def _staff_entry(contact: Contact, territory) -> Person:
    people = Person.objects.active().select_for_update()
    by_email = people.with_email(contact.email).first() if contact.email else None
    by_phone = None
    if contact.phone:
        # Staff have the number's owner in front of them or on the line: an account holder's
        # unverified claim on that number yields to them (it never draws their bookings).
        _unverified_account_claim(contact.phone).update(phone=None)
        by_phone = people.filter(phone=contact.phone).first()
    if by_email and by_phone and by_email.pk != by_phone.pk:
        raise ValidationError(
            {"phone": _("L'adresse et le téléphone désignent deux personnes différentes.")}
        )
    person = by_email or by_phone
    if person is None:
        return _create(
            contact,
            email=contact.email,
            phone=contact.phone if _phone_is_free(contact.phone) else None,
            territory=territory,
        )
    changed = []
    if contact.email and not person.email and not Person.objects.with_email(contact.email).exists():
        person.email = contact.email
        changed.append("email")
    if contact.phone and not person.phone and _phone_is_free(contact.phone):
        person.phone = contact.phone
        changed.append("phone")
    if territory is not None and person.territory_id is None:
        person.territory = territory
        changed.append("territory")
    if changed:
        person.save(update_fields=changed)
    return person


def verified_emails(user) -> list[str]:
    """The user's verified addresses, primary first (allauth's EmailAddress rows)."""
    rows = EmailAddress.objects.filter(user=user, verified=True).order_by("-primary", "pk")
    return [normalise_email(row.email) for row in rows]


@transaction.atomic
def link_verified_user(user) -> Person | None:
    """Link `user` to their Person, matched or created by a VERIFIED address only.

    - a user already linked keeps their Person, which takes their primary verified address
      (after an address change) unless another Person holds it;
    - otherwise the unlinked Person holding a verified address becomes theirs (an address is
      only ever on a person because its owner verified it, staff entered it, or a public form
      created that person with it — never added to an existing person by a visitor);
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
