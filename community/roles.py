"""The staff roles and the permissions each holds.

The groups are created by a migration. Each app declares, in its AppConfig.ready(), what its
models grant to each role with `grant()`; after every migrate the groups receive what is
declared (nothing is taken away, so a manager's hand-made additions survive).
"""

from collections import defaultdict

COMMUNICATION = "Communication"
MEDIATOR = "Mediator"
MANAGER = "Manager"
ROLES = (COMMUNICATION, MEDIATOR, MANAGER)

_declared: dict[str, set[str]] = defaultdict(set)


def grant(role: str, *permissions: str) -> None:
    """Declare that `role` holds each permission, given as "app_label.codename"."""
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}; expected one of {ROLES}.")
    for permission in permissions:
        if "." not in permission:
            raise ValueError(f"Permission {permission!r} must be 'app_label.codename'.")
        _declared[role].add(permission)


def declared(role: str) -> frozenset[str]:
    return frozenset(_declared[role])


def sync_roles() -> None:
    """Give each role group the permissions declared for it (creating the groups if needed)."""
    from django.contrib.auth.models import Group, Permission

    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        wanted = _declared[role]
        if not wanted:
            continue
        # One query for every declared permission of the role.
        by_label = {
            f"{app_label}.{codename}": pk
            for pk, app_label, codename in Permission.objects.filter(
                codename__in={label.split(".", 1)[1] for label in wanted}
            ).values_list("pk", "content_type__app_label", "codename")
        }
        missing = sorted(set(wanted) - set(by_label))
        if missing:
            raise LookupError(f"Permission {missing[0]} declared for {role} does not exist.")
        group.permissions.add(*(by_label[label] for label in wanted))


def sync_roles_after_migrate(sender, app_config=None, using="default", plan=None, **kwargs):
    # Permissions of every app exist only after the last app's post_migrate: run once, at the end.
    from django.apps import apps

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

# Merging duplicate persons (community.merging), within the territories one sees.
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

# The field log of interventions (issue 12): mediators log and see their territories' figures;
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
