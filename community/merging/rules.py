"""Duplicate persons and their merge: the staff's side of the identity rule.

`community.identity` creates a new person whenever a public input cannot be matched safely, so
duplicates are expected; staff find them here (same phone, same email, or the same name once
case and accents are set aside) within the territories they see, and merge two into one.

A merge moves every row that points to the merged person onto the kept one, found through
Person's reverse relations (so a new app's table is covered without being listed here). Where a
unique constraint refuses the move (one registration per event and person, one subscription
per person…), the kept person's row wins and the merged one's stays behind, to be erased with
it. The merged person is then deleted when nothing holds it any more, otherwise anonymised
(the indicators keep counting its rows). The merge is written to Wagtail's history.
"""

import unicodedata
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.deletion import ProtectedError
from django.http import Http404
from django.utils.translation import gettext as _

from wagtail.log_actions import log

from community import permissions
from community.models import Person
from community.services import anonymise_person

MERGE_ACTION = "community.person.merge"
MERGE_PERMISSION = "community.merge_person"


def name_key(person: Person) -> str:
    """A name compared without case, accents nor extra spaces; empty when there is no name."""
    text = f"{person.first_name} {person.last_name}"
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(text.lower().split())


def visible_persons(user):
    """The active persons of the territories `user` sees (every one for managers)."""
    return permissions.restrict_to_visible(Person.objects.active(), user, "territory")


def person_for(user, pk: int) -> Person:
    """A person `user` may merge; Http404 for anyone else (a guessed id tells nothing)."""
    person = visible_persons(user).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def duplicate_groups(user) -> list[list[Person]]:
    """Groups of two or more visible persons sharing a phone, an email or a name; a person
    linked to two others by different keys puts all three in one group."""
    people = list(visible_persons(user).order_by("pk"))
    parent = {p.pk: p.pk for p in people}

    def root(pk):
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    first_by_key = {}
    for person in people:
        keys = []
        if person.phone:
            keys.append(("phone", person.phone))
        if person.email:
            keys.append(("email", person.email.lower()))
        if name_key(person):
            keys.append(("name", name_key(person)))
        for key in keys:
            if key in first_by_key:
                parent[root(person.pk)] = root(first_by_key[key])
            else:
                first_by_key[key] = person.pk
    groups = defaultdict(list)
    for person in people:
        groups[root(person.pk)].append(person)
    return [group for group in groups.values() if len(group) > 1]


def _reverse_relations():
    return [
        rel
        for rel in Person._meta.related_objects
        if rel.related_model is not Person
        and (rel.one_to_many or rel.one_to_one or rel.many_to_many)
    ]


@transaction.atomic
def merge(user, *, keep_id: int, merged_id: int) -> Person:
    """Merge person `merged_id` into `keep_id` (both among those `user` may merge)."""
    if not user.has_perm(MERGE_PERMISSION):
        raise Http404
    if keep_id == merged_id:
        raise ValidationError(_("Choisissez deux fiches différentes."))
    person_for(user, keep_id), person_for(user, merged_id)
    keep, merged = (
        Person.objects.select_for_update().get(pk=keep_id),
        Person.objects.select_for_update().get(pk=merged_id),
    )
    if keep.user_id and merged.user_id:
        raise ValidationError(
            _("Ces deux fiches ont chacune un compte : elles ne peuvent pas être fusionnées ici.")
        )
    moved = _move_rows(keep, merged)
    carry = _carried_over(keep, merged)
    Person.objects.filter(pk=merged.pk).update(
        email=None, phone=None, user=None, email_verified=False, phone_verified=False
    )
    if carry:
        Person.objects.filter(pk=keep.pk).update(**carry)
    try:
        with transaction.atomic():
            Person.objects.filter(pk=merged.pk).delete()
    except (ProtectedError, IntegrityError, models.RestrictedError):
        anonymise_person(merged.pk)
    keep.refresh_from_db()
    log(
        keep,
        MERGE_ACTION,
        user=user,
        data={"merged_id": merged_id, "moved": moved},
    )
    return keep


def _move_rows(keep: Person, merged: Person) -> dict[str, int]:
    """Every row pointing to `merged` now points to `keep`, except where a unique constraint
    refuses it (the kept person's row wins); the number moved per model label."""
    moved = {}
    for rel in _reverse_relations():
        field = rel.field
        if rel.many_to_many:
            accessor = rel.get_accessor_name()
            for obj in list(getattr(merged, accessor).all()):
                getattr(obj, field.name).add(keep)
                getattr(obj, field.name).remove(merged)
            continue
        rows = list(
            rel.related_model._base_manager.filter(**{field.name: merged}).values_list(
                "pk", flat=True
            )
        )
        count = 0
        for pk in rows:
            try:
                with transaction.atomic():
                    rel.related_model._base_manager.filter(pk=pk).update(**{field.name: keep})
                count += 1
            except IntegrityError:
                pass  # the kept person already has the same (unique) row: theirs is kept
        if count:
            moved[rel.related_model._meta.label] = count
    return moved


def _carried_over(keep: Person, merged: Person) -> dict:
    """The identifiers and the account the kept person lacks come over (staff decide the
    merge), with the age band and territory."""
    carry = {}
    for name, flag in (("email", "email_verified"), ("phone", "phone_verified")):
        if getattr(merged, name) and not getattr(keep, name):
            carry[name], carry[flag] = getattr(merged, name), getattr(merged, flag)
    if merged.user_id and not keep.user_id:
        carry["user_id"] = merged.user_id
    for name in ("age_band", "territory_id"):
        if getattr(merged, name) and not getattr(keep, name):
            carry[name] = getattr(merged, name)
    return carry
