"""The one answer to "which territories may this user see?".

Every view, chooser, export and query of every app asks here, so the rule exists once:
superusers and holders of `community.view_all_territories` (the Manager group) see every
territory; other staff see the territories they are attached to; everyone else sees none.
"""

from functools import wraps

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from community import roles
from community.models import Territory, User

ALL_TERRITORIES_PERMISSION = "community.view_all_territories"
STAFF_AREA_APP_LABEL, STAFF_AREA_CODENAME = "wagtailadmin", "access_admin"
_CACHE_ATTR = "_visible_territory_ids"
_STAFF_CACHE_ATTR = "_can_reach_staff_area"


def _staff_area_q() -> Q:
    # Wagtail's Users screen makes accounts with `is_staff` False: the flag alone would let a
    # Manager made there skip two-factor. What opens /admin/ or /equipe/ is a role group or
    # Wagtail's `access_admin`, held directly or through any group.
    access_admin = {
        "permissions__content_type__app_label": STAFF_AREA_APP_LABEL,
        "permissions__codename": STAFF_AREA_CODENAME,
    }
    return (
        Q(is_staff=True)
        | Q(is_superuser=True)
        | Q(groups__name__in=roles.ROLES)
        | Q(**{f"groups__{key}": value for key, value in access_admin.items()})
        | Q(**{f"user_{key}": value for key, value in access_admin.items()})
    )


def staff_users() -> QuerySet:
    """Every account that can reach the staff area (see `can_reach_staff_area`), active or not."""
    return User.objects.filter(pk__in=User.objects.filter(_staff_area_q()).values("pk"))


def can_reach_staff_area(user) -> bool:
    """Whether `user` can reach /admin/ or /equipe/: a superuser, a holder of Wagtail's
    `access_admin` (directly or through a group) or a member of any role group, whatever
    `is_staff` says. Two-factor, the staff idle expiry and the territory scope follow this
    answer. One query per request at most (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    if not hasattr(user, _STAFF_CACHE_ATTR):
        reaches = User.objects.filter(pk=user.pk).filter(_staff_area_q()).exists()
        setattr(user, _STAFF_CACHE_ATTR, reaches)
    return getattr(user, _STAFF_CACHE_ATTR)


def sees_all_territories(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or user.has_perm(ALL_TERRITORIES_PERMISSION)


def visible_territory_ids(user) -> frozenset[int] | None:
    """The ids of the territories `user` may see, or None meaning "all of them".

    Cached on the user object, so one request asks the database once.
    """
    if hasattr(user, _CACHE_ATTR):
        return getattr(user, _CACHE_ATTR)
    if sees_all_territories(user):
        ids = None
    elif can_reach_staff_area(user):
        ids = frozenset(user.territories.values_list("pk", flat=True))
    else:
        ids = frozenset()
    setattr(user, _CACHE_ATTR, ids)
    return ids


def visible_territories(user) -> QuerySet[Territory]:
    """The territories `user` may see, as a queryset."""
    ids = visible_territory_ids(user)
    if ids is None:
        return Territory.objects.all()
    return Territory.objects.filter(pk__in=ids)


def can_see_territory(user, territory) -> bool:
    """Whether `user` may see data of `territory` (a Territory, its id, or None)."""
    if territory is None:
        return sees_all_territories(user)
    territory_id = territory if isinstance(territory, int) else territory.pk
    ids = visible_territory_ids(user)
    return ids is None or territory_id in ids


def restrict_to_visible(queryset: QuerySet, user, field: str = "territory") -> QuerySet:
    """Filter `queryset` to the rows whose `field` (a territory lookup path) `user` may see.

    Rows without a territory are visible to those who see every territory only.
    """
    ids = visible_territory_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{field}__in": ids})


def forget(user) -> None:
    """Drop the cached answer, after the user's territories or groups changed."""
    for attribute in (_CACHE_ATTR, _STAFF_CACHE_ATTR):
        if hasattr(user, attribute):
            delattr(user, attribute)


def restrict_records(queryset: QuerySet, user) -> QuerySet:
    """`restrict_to_visible` over a community record, along its model's `territory_field`
    (e.g. a follow-up's territory is its reference tenant's residence's territory)."""
    return restrict_to_visible(queryset, user, field=queryset.model.territory_field)


def is_territorial(model) -> bool:
    """Whether rows of `model` belong to a territory (it names the path in `territory_field`)."""
    return hasattr(model, "territory_field")


def record_territory_id(instance):
    """The id of the territory `instance` belongs to, read along its model's `territory_field`
    (no query when the path is loaded)."""
    path = type(instance).territory_field
    if path == "pk":
        return instance.pk
    *parents, last = path.split("__")
    target = instance
    for name in parents:
        target = getattr(target, name, None)
        if target is None:
            return None
    return getattr(target, f"{last}_id")


def can_see_record(user, instance) -> bool:
    """Whether `user` may see `instance`, a record with a `territory_field`."""
    if instance.pk is None or visible_territory_ids(user) is None:
        return True
    return can_see_territory(user, record_territory_id(instance))


def visible_or_404(view, get_queryset):
    """Wrap an admin view that takes a `pk`: 404 unless that record is in `get_queryset(request)`
    (the records the user may see), so a guessed id of another territory reveals nothing."""

    @wraps(view)
    def scoped_view(request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None:
            try:
                visible = get_queryset(request).filter(pk=unquote(str(pk))).exists()
            except (ValueError, TypeError, ValidationError):
                visible = False
            if not visible:
                raise Http404
        return view(request, *args, **kwargs)

    return scoped_view
