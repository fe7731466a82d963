"""Every URL pattern under /admin/ and /equipe/, read from Django's resolver, and the rule each
one is tried under by tests/permissions/test_generated.py.

A rule says which staff roles may open the screen (anonymous visitors and residents never may)
and how to fill each argument of the URL: an id names a record of the generated world
(tests/permissions/world.py), taken in a territory the requesting role may not see. Rules are
matched by URL name, with a default per group (every view of a snippet model follows its line
in MODELS, every /equipe/ page the "staff:*" line...). A pattern no rule matches, or an argument
its rule cannot fill, is reported as unclassified: a new screen cannot escape the test.
"""

import functools
import inspect
import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from django.urls import URLPattern, URLResolver, get_resolver
from django.views.generic import View

from tests.permissions.harness import COMMUNICATION, MANAGER, MEDIATOR_LYON_8, MEDIATOR_LYON_9

PREFIXES = ("admin/", "equipe/")

STAFF = frozenset({COMMUNICATION, MEDIATOR_LYON_8, MEDIATOR_LYON_9, MANAGER})
FIELD = frozenset({MEDIATOR_LYON_8, MEDIATOR_LYON_9, MANAGER})  # mediators and managers
PUBLISHING = frozenset({COMMUNICATION, MANAGER})
MANAGERS = frozenset({MANAGER})
NOBODY = frozenset()  # superusers only


class Literal(str):
    """An argument given as is (a model name, a filter spec), not a record of the world."""


MISSING = "missing"  # an id of no record: must answer 404, never 500


@dataclass(frozen=True)
class Rule:
    reach: frozenset[str]  # the staff roles that may open it
    ids: dict = field(default_factory=dict)  # URL argument -> world key / Literal / MISSING
    public: bool = False  # the login door: anonymous visitors get it too
    raises: bool = False  # Wagtail's deliberate error page (/admin/failwhale/)
    # Wagtail's own form views read their formsets' management data without checking it: an
    # empty POST from a role allowed to post there raises (a crafted request, no data shown).
    empty_post_raises: bool = False
    # More requests on the same screen: (world key of a record of the role's own territory
    # filling the URL's ids, query string whose {world key} placeholders get a foreign id).
    variants: tuple[tuple[str, str], ...] = ()
    note: str = ""


# One line per model with admin screens (snippet viewsets, their choosers, bulk actions):
# "app_label.model_name": (world key of its records, roles that may open its screens).
MODELS: dict[str, tuple[str, frozenset[str]]] = {
    "community.territory": ("territory", FIELD),
    "community.organisation": ("organisation", STAFF),
    "community.residence": ("residence", FIELD),
    "community.referencetenant": ("referencetenant", FIELD),
    "community.followup": ("followup", FIELD),
    "community.workinggroup": ("workinggroup", FIELD),
    "community.joinrequest": ("joinrequest", FIELD),
    "community.residencediagnosis": ("residencediagnosis", FIELD),
    "community.voice": ("voice", FIELD),
    "community.intervention": ("intervention", FIELD),
    "community.interventionkind": ("interventionkind", FIELD),
    "community.trainingtopic": ("trainingtopic", FIELD),
    "community.voicetheme": ("voicetheme", FIELD),
    "community.serviceplan": ("serviceplan", FIELD),
    "community.stake": ("stake", FIELD),
    "community.axis": ("axis", FIELD),
    "community.objective": ("objective", FIELD),
    "community.planindicator": ("planindicator", FIELD),
    "community.indicatorfigure": ("indicatorfigure", FIELD),
    "community.partnershipagreement": ("partnershipagreement", FIELD),
    "community.project": ("project", FIELD),
    "community.partnermeeting": ("partnermeeting", FIELD),
    "community.partnerfollowup": ("partnerfollowup", FIELD),
    "community.communicationaction": ("communicationaction", FIELD),
    "community.tenantcommittee": ("tenantcommittee", FIELD),
    "community.knowledgesurveyanswer": ("knowledgesurveyanswer", FIELD),
    "community.callfortender": ("callfortender", MANAGERS),
    "community.teamactivity": ("teamactivity", MANAGERS),
    "community.user": ("user", NOBODY),
    "events.event": ("event", STAFF),
    "events.cafeseries": ("cafeseries", FIELD),
    "events.seatgroup": ("seatgroup", FIELD),
    "events.programme": ("programme", PUBLISHING),
    "cms.testimonial": ("testimonial", PUBLISHING),
    "cms.submission": ("submission", FIELD),
    "cms.standrequest": ("standrequest", PUBLISHING),
    "cms.newslettertopic": ("newslettertopic", PUBLISHING),
    "cms.subscription": ("subscription", PUBLISHING),
    "wagtailcore.page": ("page", PUBLISHING),
    "wagtailimages.image": ("image", PUBLISHING),
    "wagtaildocs.document": ("document", PUBLISHING),
}

PAGE_IDS = {
    "page_id": "page",
    "parent_page_id": "page",
    "page_to_move_id": "page",
    "destination_id": "home_page",
    "pk": "page",
    "page_pk": "page",
    "revision_id": "page:revision",
    "revision_id_a": Literal("earliest"),
    "revision_id_b": Literal("latest"),
    "content_type_app_name": Literal("cms"),
    "content_type_model_name": Literal("formpage"),
    "app_label": Literal("cms"),
    "model_name": Literal("formpage"),
    "action_name": Literal("approve"),
    "task_state_id": MISSING,
    "task_id": MISSING,
    "workflow_state_id": MISSING,
}

# (URL name glob, or "route:<route glob>" for unnamed patterns) -> rule; the first match wins.
RULES: list[tuple[str, Rule]] = [
    # The one login door and what surrounds it: open to anyone.
    ("wagtailadmin_login", Rule(NOBODY, public=True)),
    ("wagtailadmin_logout", Rule(STAFF, public=True)),
    (
        "wagtailadmin_password_reset*",
        Rule(NOBODY, public=True, ids={"uidb64": Literal("MQ"), "token": Literal("mauvais-jeton")}),
    ),
    # Every staff role: the dashboard, its own account, the admin's furniture.
    ("wagtailadmin_home", Rule(STAFF)),
    ("wagtailadmin_sprite", Rule(STAFF, public=True, note="the icons, a static file")),
    ("wagtailadmin_javascript_catalog", Rule(STAFF, public=True, note="translations")),
    ("wagtailadmin_account", Rule(STAFF)),
    ("wagtailadmin_dismissibles", Rule(STAFF)),
    ("wagtailadmin_block_preview", Rule(STAFF)),
    ("wagtailadmin_tag_autocomplete", Rule(STAFF)),
    (
        "wagtailadmin_tag_model_autocomplete",
        Rule(STAFF, ids={"app_name": Literal("wagtaildocs"), "model_name": Literal("document")}),
    ),
    ("wagtailsnippets:index", Rule(STAFF)),
    ("wagtailadmin_error_test", Rule(STAFF, raises=True, note="Wagtail's deliberate error")),
    ("route:admin/test404/", Rule(STAFF)),
    ("route:admin/^.*/$", Rule(STAFF, note="the admin's 404 for any other path")),
    (
        "wagtailadmin_editing_sessions:*",
        Rule(
            STAFF,
            ids={
                "app_label": Literal("community"),
                "model_name": Literal("voice"),
                "object_id": "voice",
                "session_id": MISSING,
            },
        ),
    ),
    ("wagtailadmin_reports:*", Rule(STAFF, note="site history: scoped log entries")),
    # Pages, images, documents, collections, settings, embeds: Communication and managers.
    (
        "wagtailadmin_api:pages:*",
        Rule(PUBLISHING, ids={"pk": "page", "action_name": Literal("copy")}),
    ),
    ("wagtailadmin_api:images:*", Rule(PUBLISHING, ids={"pk": "image"})),
    ("wagtailadmin_api:documents:*", Rule(PUBLISHING, ids={"pk": "document"})),
    ("wagtailadmin_explore*", Rule(PUBLISHING, ids=PAGE_IDS)),
    *(
        (name, Rule(PUBLISHING, ids=PAGE_IDS, empty_post_raises=True))
        for name in (
            "wagtailadmin_pages:edit",
            "wagtailadmin_pages:copy",
            "wagtailadmin_pages:revisions_revert",
        )
    ),
    ("wagtailadmin_pages:*", Rule(PUBLISHING, ids=PAGE_IDS)),
    ("wagtailadmin_choose_page_external_link", Rule(STAFF, empty_post_raises=True)),
    ("wagtailadmin_choose_page*", Rule(STAFF, ids=PAGE_IDS)),
    (
        "wagtailadmin_collections:*",
        Rule(PUBLISHING, ids={"pk": "collection", "collection_id": "collection"}),
    ),
    (
        "wagtailimages*",
        Rule(
            PUBLISHING,
            ids={
                "pk": "image",
                "image_id": "image",
                "filter_spec": Literal("fill-10x10"),
                "uploaded_file_id": MISSING,
            },
        ),
    ),
    (
        "wagtaildocs*",
        Rule(
            PUBLISHING,
            ids={
                "pk": "document",
                "document_id": "document",
                "doc_id": "document",
                "uploaded_file_id": MISSING,
            },
        ),
    ),
    (
        "wagtailsettings:*",
        Rule(
            PUBLISHING,
            ids={"app_name": Literal("cms"), "model_name": Literal("agencysettings"), "pk": "site"},
            empty_post_raises=True,
        ),
    ),
    ("wagtailembeds:*", Rule(PUBLISHING)),
    # Translations (wagtail-localize): the translators are the communication staff; the world
    # holds no translation yet, so its ids name none (404, never 500).
    (
        "wagtail_localize:*",
        Rule(
            PUBLISHING,
            ids={
                "page_id": "page",
                "app_label": Literal("cms"),
                "model_name": Literal("testimonial"),
                "pk": "testimonial",
                "translation_id": MISSING,
                "translation_source_id": MISSING,
                "string_segment_id": MISSING,
                "overridable_segment_id": MISSING,
                "mode": Literal("desktop"),
            },
        ),
    ),
    # The site's languages: superusers only.
    ("wagtaillocales:*", Rule(NOBODY, ids={"pk": "locale"})),
    # Wagtail's own administration: superusers only.
    (
        "wagtailadmin_workflows:*",
        Rule(
            NOBODY,
            ids={
                "pk": "workflow",
                "page_pk": "page",
                "workflow_pk": "workflow",
                "task_id": "task",
                "app_label": Literal("wagtailcore"),
                "model_name": Literal("groupapprovaltask"),
            },
        ),
    ),
    ("wagtailusers_users:*", Rule(NOBODY, ids={"pk": "user"})),
    ("wagtailusers_groups:*", Rule(NOBODY, ids={"pk": "group"})),
    ("wagtailsites:*", Rule(NOBODY, ids={"pk": "site"})),
    ("wagtailredirects:*", Rule(NOBODY, ids={"redirect_id": "redirect"})),
    # Form submissions: the newcomer requests go to their territory's mediators.
    ("wagtailforms:*", Rule(FIELD, ids={"page_id": "newcomer_page"})),
    # Our own admin screens.
    ("community_privacy:*", Rule(MANAGERS, ids={"person_pk": "person", "pk": "datarequest"})),
    ("community_import:*", Rule(FIELD, ids={"pk": "importjob"})),
    ("community_duplicates:*", Rule(FIELD, ids={"keep_id": "person", "merged_id": "person"})),
    ("indicators:*", Rule(FIELD)),
    (
        "events_registration*",
        Rule(FIELD, ids={"event_id": "event", "registration_id": "registration"}),
    ),
    ("cms_mediation_day:day", Rule(PUBLISHING, ids={"programme_id": "programme"})),
    ("cms_mediation_day:*", Rule(PUBLISHING)),
    ("cms_newsletter:paper", Rule(STAFF)),
    (
        "cms_newsletter:*",
        Rule(PUBLISHING, ids={"page_id": "newsletter_issue", "campaign_id": "campaign"}),
    ),
    # The mediators' pages (/equipe/).
    ("staff_interventions:*", Rule(FIELD, ids={"pk": "intervention"})),
    ("staff_survey:*", Rule(FIELD)),
    # The assisted sign-up's person search and pre-fill, on the role's own event.
    (
        "staff:signup",
        Rule(
            FIELD,
            ids={"event_id": "event"},
            variants=(
                ("open_event", "?q=MK-"),
                ("open_event", "?q=Habitant"),
                ("open_event", "?personne={person}"),
            ),
        ),
    ),
    (
        "staff:*",
        Rule(
            FIELD,
            ids={
                "message_id": "outbox",
                "event_id": "event",
                "registration_id": "registration",
                "series_id": "cafeseries",
                "topic_id": "topic",
            },
        ),
    ),
]

SNIPPET_NAME = re.compile(r"^wagtailsnippet(?:s|choosers)_(?P<app>[a-z0-9]+)_(?P<model>[a-z0-9]+):")


@dataclass(frozen=True)
class Pattern:
    route: str  # the full route, as the resolver spells it
    name: str  # "namespace:name", or "" when unnamed
    params: tuple[str, ...]
    callback: object = field(default=None, compare=False, repr=False)  # the view

    @property
    def key(self) -> str:
        return self.name or f"route:{self.route}"


@dataclass(frozen=True)
class Classified:
    pattern: Pattern
    rule: Rule
    model: str = ""  # "app.model" for snippet views and bulk actions


def _params(route: str) -> tuple[str, ...]:
    return tuple(
        dict.fromkeys(re.findall(r"<(?:\w+:)?(\w+)>", route) + re.findall(r"\(\?P<(\w+)>", route))
    )


def admin_patterns(resolver=None) -> list[Pattern]:
    """Every pattern of the URLconf whose route starts with admin/ or equipe/."""
    found: list[Pattern] = []

    def walk(node, prefix: str, namespace: str) -> None:
        for entry in node.url_patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry, route, inner)
            elif isinstance(entry, URLPattern) and route.lstrip("^").startswith(PREFIXES):
                name = entry.name or ""
                if name and namespace:
                    name = f"{namespace}:{name}"
                found.append(Pattern(route, name, _params(route), entry.callback))

    walk(resolver or get_resolver(), "", "")
    return list(dict.fromkeys(found))


# Code that may treat a POST apart from a GET.
_READS_METHOD = re.compile(r"POST|\.method\b|\bpost\(")


def _reads_method(function) -> bool:
    try:
        return bool(_READS_METHOD.search(inspect.getsource(function)))
    except (OSError, TypeError):  # no source to read: assume it does
        return True


@functools.cache
def answers_post(pattern: Pattern) -> bool:
    """False only when a POST to `pattern` provably runs what a GET runs and then gets Django's
    405: a class-based view with no `post` method, where neither the decorators wrapped around
    it nor any `setup`, `dispatch`, `__init__` or `http_method_not_allowed` of its classes look
    at the request's method. Function views and views with a `post` method answer POSTs."""
    view_class = getattr(pattern.callback, "view_class", None)
    if view_class is None or hasattr(view_class, "post"):
        return True
    wrapper = pattern.callback
    while hasattr(wrapper, "__wrapped__"):  # the decorators, down to as_view()'s function
        if _reads_method(wrapper):
            return True
        wrapper = wrapper.__wrapped__
    hooks = ("setup", "dispatch", "__init__", "http_method_not_allowed")
    return any(
        _reads_method(vars(klass)[hook])
        for klass in view_class.__mro__
        if klass not in (View, object)
        for hook in hooks
        if hook in vars(klass)
    )


def model_rule(label: str) -> Rule | None:
    if label not in MODELS:
        return None
    key, reach = MODELS[label]
    return Rule(
        reach,
        ids={
            "pk": key,
            "revision_id": f"{key}:revision",
            "revision_id_a": Literal("earliest"),
            "revision_id_b": Literal("latest"),
        },
    )


def classify(pattern: Pattern) -> Classified | None:
    """The rule `pattern` is tried under; None when unclassified."""
    rule, model = None, ""
    snippet = SNIPPET_NAME.match(pattern.name)
    if snippet:
        model = f"{snippet['app']}.{snippet['model']}"
        rule = model_rule(model)
    elif pattern.name == "wagtail_bulk_action":
        rule = Rule(STAFF, ids={"app_label": "", "model_name": "", "action": ""})
    else:
        rule = next((r for glob, r in RULES if fnmatchcase(pattern.key, glob)), None)
    if rule is None or any(p not in rule.ids for p in pattern.params):
        return None
    return Classified(pattern, rule, model)


def unclassified(patterns: list[Pattern]) -> list[str]:
    return [
        f"unclassified pattern: /{p.route} (name {p.name or '-'}, arguments {list(p.params)})"
        for p in patterns
        if classify(p) is None
    ]


def bulk_actions() -> list[tuple[str, str, str]]:
    """(app_label, model_name, action) of every registered bulk action."""
    from wagtail.admin.views.bulk_action.registry import bulk_action_registry

    bulk_action_registry._scan_for_bulk_actions()
    return [
        (app, model, action)
        for app, models in sorted(bulk_action_registry.actions.items())
        for model, actions in sorted(models.items())
        for action in sorted(actions)
    ]


def unclassified_bulk_actions() -> list[str]:
    return [
        f"unclassified bulk action: /admin/bulk/{app}/{model}/{action}/"
        for app, model, action in bulk_actions()
        if f"{app}.{model}" not in MODELS
    ]
