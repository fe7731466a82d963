"""The staff roles and the permissions each holds.

The groups are created by a migration. Each app declares, in its AppConfig.ready(), what its
models grant to each role with `grant()`; after every migrate the groups receive what is
declared (nothing is taken away, so a manager's hand-made additions survive).

Wagtail keeps page, image, document and collection permissions apart from the group's own:
`grant_on_pages()` and `grant_on_collections()` declare those, given on the root page and the
root collection (so on the whole site), by the same sync, on a bare database too.
"""

from collections import defaultdict

from django.apps import apps
from django.contrib.auth.models import Group, Permission

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

COMMUNICATION = "Communication"
MEDIATOR = "Mediator"
MANAGER = "Manager"
ROLES = (COMMUNICATION, MEDIATOR, MANAGER)

_declared: dict[str, set[str]] = defaultdict(set)
_declared_on_pages: dict[str, set[str]] = defaultdict(set)
_declared_on_collections: dict[str, set[str]] = defaultdict(set)


def grant(role: str, *permissions: str) -> None:
    """Declare that `role` holds each permission, given as "app_label.codename"."""
    _check(role, permissions)
    _declared[role].update(permissions)


def _check(role: str, permissions) -> None:
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}; expected one of {ROLES}.")
    for permission in permissions:
        if "." not in permission:
            raise ValueError(f"Permission {permission!r} must be 'app_label.codename'.")


def grant_on_pages(role: str, *permissions: str) -> None:
    """Declare that `role` holds each page permission ("wagtailcore.add_page", …) on the whole
    page tree (a Wagtail GroupPagePermission on the root page)."""
    _check(role, permissions)
    _declared_on_pages[role].update(permissions)


def grant_on_collections(role: str, *permissions: str) -> None:
    """Declare that `role` holds each permission ("wagtailimages.add_image",
    "wagtailcore.add_collection", …) in every collection (a Wagtail GroupCollectionPermission
    on the root collection)."""
    _check(role, permissions)
    _declared_on_collections[role].update(permissions)


def declared(role: str) -> frozenset[str]:
    return frozenset(_declared[role])


def _permission_ids(role: str, labels: set[str]) -> dict[str, int]:
    # One query for every declared permission of the role.
    by_label = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.filter(
            codename__in={label.split(".", 1)[1] for label in labels}
        ).values_list("pk", "content_type__app_label", "codename")
    }
    missing = sorted(set(labels) - set(by_label))
    if missing:
        raise LookupError(f"Permission {missing[0]} declared for {role} does not exist.")
    return by_label


def _sync_tree_permissions(group, role: str) -> None:
    for labels, model, target, field in (
        (_declared_on_pages[role], GroupPagePermission, Page.get_first_root_node(), "page"),
        (
            _declared_on_collections[role],
            GroupCollectionPermission,
            Collection.get_first_root_node(),
            "collection",
        ),
    ):
        if not labels or target is None:  # a flushed database has no root until it is rebuilt
            continue
        ids = _permission_ids(role, labels)
        held = set(
            model.objects.filter(group=group, **{field: target}).values_list(
                "permission_id", flat=True
            )
        )
        model.objects.bulk_create(
            model(group=group, permission_id=pk, **{field: target})
            for pk in sorted(set(ids.values()) - held)
        )


def sync_roles() -> None:
    """Give each role group the permissions declared for it (creating the groups if needed)."""
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        _sync_tree_permissions(group, role)
        wanted = _declared[role]
        if not wanted:
            continue
        by_label = _permission_ids(role, wanted)
        group.permissions.add(*(by_label[label] for label in wanted))


def sync_roles_after_migrate(sender, app_config=None, using="default", plan=None, **kwargs):
    # Permissions of every app exist only after the last app's post_migrate: run once, at the end.

    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if app_config is not None and app_config.label != with_models[-1].label:
        return
    sync_roles()


# What the community app's own records grant.
grant(COMMUNICATION, "wagtailadmin.access_admin", "community.view_organisation")
grant(
    MEDIATOR,
    "wagtailadmin.access_admin",
    "community.view_territory",
    "community.view_organisation",
    "community.view_residence",
    "community.view_person",
    "community.add_person",
    "community.change_person",
)
grant(
    MANAGER,
    "wagtailadmin.access_admin",
    "community.view_all_territories",
    *(
        f"community.{action}_{model}"
        for model in ("territory", "organisation", "residence", "person")
        for action in ("add", "change", "delete", "view")
    ),
)

# Merging duplicate persons (community.merging.rules), within the territories one sees.
grant(MEDIATOR, "community.merge_person")
grant(MANAGER, "community.merge_person")

# Reference tenants, follow-ups, working groups, diagnoses and voices: mediators work on those of
# their own territories (the admin scopes every view through community.permissions), managers on
# all. Communication holds none of them: this is personal data.
_FIELD_RECORDS = (
    "referencetenant",
    "followup",
    "workinggroup",
    "joinrequest",
    "residencediagnosis",
    "voice",
)
grant(
    MEDIATOR,
    "community.change_residence",
    "community.view_trainingtopic",
    "community.view_voicetheme",
    "community.add_importjob",
    *(
        f"community.{action}_{model}"
        for model in _FIELD_RECORDS
        for action in ("add", "change", "delete", "view")
    ),
)
grant(
    MANAGER,
    "community.add_importjob",
    *(
        f"community.{action}_{model}"
        for model in (*_FIELD_RECORDS, "trainingtopic", "voicetheme")
        for action in ("add", "change", "delete", "view")
    ),
)

# The field log of interventions: mediators log and see their territories' figures;
# managers also edit the kinds and write the yearly report's comments.
grant(
    MEDIATOR,
    "community.add_intervention",
    "community.view_intervention",
    "community.view_interventionkind",
    "community.view_indicators",
)
grant(
    MANAGER,
    "community.view_indicators",
    *(
        f"community.{action}_{model}"
        for model in ("intervention", "interventionkind", "reportcomment")
        for action in ("add", "change", "delete", "view")
    ),
)

# The service plan (community.plan): managers write it and type its figures; mediators read it
# (typed figures of their own territories only: the admin scopes them).
_PLAN_RECORDS = ("serviceplan", "stake", "axis", "objective", "planindicator", "indicatorfigure")
grant(MEDIATOR, *(f"community.view_{model}" for model in _PLAN_RECORDS))
grant(
    MANAGER,
    *(
        f"community.{action}_{model}"
        for model in _PLAN_RECORDS
        for action in ("add", "change", "delete", "view")
    ),
)

# The plan's activity records (community.activities): mediators record those of their own
# territories (the admin scopes them) and read the agreements; managers hold them all, with the
# agency's calls for tender and team log.
_ACTIVITY_RECORDS = (
    "project",
    "partnermeeting",
    "partnerfollowup",
    "communicationaction",
    "tenantcommittee",
    "knowledgesurveyanswer",
)
grant(
    MEDIATOR,
    "community.view_partnershipagreement",
    *(
        f"community.{action}_{model}"
        for model in _ACTIVITY_RECORDS
        for action in ("add", "change", "delete", "view")
    ),
)
grant(
    MANAGER,
    *(
        f"community.{action}_{model}"
        for model in (*_ACTIVITY_RECORDS, "partnershipagreement", "callfortender", "teamactivity")
        for action in ("add", "change", "delete", "view")
    ),
)
