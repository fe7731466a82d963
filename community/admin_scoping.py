"""Admin scoping by construction: the bases every snippet viewset of the project derives from,
and the hooks that scope what Wagtail shows outside viewsets (bulk actions, the site history).

- `BaseSnippetViewSet`, for reference data (kinds, themes, organisations, topics...): ORM search
  and listing exports written through community.exports (formulas neutralised).
- `ScopedSnippetViewSet`, for records with a `territory_field`: on top of that, every view
  (listing, search, filter choices, export, inspect, edit, delete, copy, history, usage,
  revisions, preview, lock/unlock, workflow views, choosers and chosen) sees only
  `permissions.restrict_records(...)`; an id of another territory answers 404. The model gets a
  `TerritoryPermissionPolicy`, so Wagtail's own per-object checks (usage labels, admin URLs,
  listing buttons, bulk action permission) refuse a record of another territory too.
- `refuse_unless_visible`, run before every bulk action (and before the bulk delete's
  confirmation page): any id the user may not see answers 404, nothing is listed nor deleted.
- `visible_log_entries`, narrowing Wagtail's `viewable_by_user` of log entries (the site history
  report, its filters and export) to the objects the user may see.

Which territories a user sees is answered by community.permissions only.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router
from django.db.models import CharField, ProtectedError, Q, RestrictedError
from django.db.models.deletion import Collector
from django.db.models.functions import Cast
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.models.audit_log import BaseLogEntryManager
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.models import get_snippet_models
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views.snippets import SnippetViewSet

import django_filters

from community import exports, permissions
from community.admin_forms import scope_choices

ANY_ACTION = ("add", "change", "delete", "view", "publish", "lock", "unlock")


def visible_queryset(model, user):
    """Every row of `model` `user` may see (all of them for a model without territory)."""
    queryset = model._default_manager.all()
    if permissions.is_territorial(model):
        return permissions.restrict_records(queryset, user)
    return queryset


# -- the permission policy -----------------------------------------------------------------------


class TerritoryPermissionPolicy(ModelPermissionPolicy):
    """The model permissions, and for one record: only if its territory is one the user sees."""

    def user_has_permission_for_instance(self, user, action, instance):
        return super().user_has_permission_for_instance(
            user, action, instance
        ) and permissions.can_see_record(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return super().user_has_any_permission_for_instance(
            user, actions, instance
        ) and permissions.can_see_record(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        return permissions.restrict_records(
            super().instances_user_has_any_permission_for(user, actions), user
        )


# -- view classes --------------------------------------------------------------------------------


class ScopedQuerysetMixin:
    """A listing (index, results, chooser) whose rows and filter choices are the user's."""

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        if not permissions.is_territorial(queryset.model):
            return queryset  # e.g. a record's history: its log entries, the record checked
        return permissions.restrict_records(queryset, self.request.user)

    @cached_property
    def filters(self):
        filterset = super().filters
        if filterset is not None:
            for field in filterset.form.fields.values():
                if hasattr(field, "queryset"):
                    field.queryset = scope_choices(field.queryset, self.request.user)
        return filterset


def scoped_view_class(view_class):
    """`view_class`, its listing (if it has one) restricted to the user's territories."""
    if not hasattr(view_class, "get_base_queryset") or issubclass(view_class, ScopedQuerysetMixin):
        return view_class
    return type(view_class.__name__, (ScopedQuerysetMixin, view_class), {})


class ChooserPermissionMixin:
    """A chooser view (choose, results, chosen) open only to users with some permission on its
    model: Wagtail's snippet choosers check none, so a chooser would list every label of a
    model its user may not even see."""

    def dispatch(self, request, *args, **kwargs):
        policy = policy_registry.get_by_type(self.model_class)
        if not policy.user_has_any_permission(request.user, ANY_ACTION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CreationFormRequiredMixin:
    """The chooser's create view, for a model whose chooser has no creation form (none of
    ours has one): 404 rather than Wagtail's crash on a POST with no form to validate."""

    def dispatch(self, request, *args, **kwargs):
        if self.get_creation_form_class() is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ChooseView(ChooserPermissionMixin, snippet_chooser.ChooseView):
    pass


class ChooseResultsView(ChooserPermissionMixin, snippet_chooser.ChooseResultsView):
    pass


class ChosenView(ChooserPermissionMixin, snippet_chooser.SnippetChosenView):
    pass


class ChosenMultipleView(ChooserPermissionMixin, snippet_chooser.SnippetChosenMultipleView):
    pass


class CreateView(CreationFormRequiredMixin, snippet_chooser.SnippetCreateView):
    pass


class BaseChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    """Every snippet chooser of the project: a permission on the model is required."""

    choose_view_class = ChooseView
    choose_results_view_class = ChooseResultsView
    chosen_view_class = ChosenView
    chosen_multiple_view_class = ChosenMultipleView
    create_view_class = CreateView


class ScopedChooserMixin:
    """A chooser view over a territorial model: the rows it lists and the ids it is given,
    restricted to the user's territories."""

    def get_object_list(self):
        return permissions.restrict_records(super().get_object_list(), self.request.user)

    def get_objects(self, pks):
        return permissions.restrict_records(super().get_objects(pks), self.request.user)


class ScopedChooserViewSet(BaseChooserViewSet):
    """A chooser over a territorial model: its rows, and any id it is given, restricted to the
    user's territories (another territory's id answers 404)."""

    choose_view_class = type("ScopedChooseView", (ScopedChooserMixin, ChooseView), {})
    choose_results_view_class = type(
        "ScopedChooseResultsView", (ScopedChooserMixin, ChooseResultsView), {}
    )
    chosen_multiple_view_class = type(
        "ScopedChosenMultipleView", (ScopedChooserMixin, ChosenMultipleView), {}
    )

    def construct_view(self, view_class, **kwargs):
        model = self.model
        return permissions.visible_or_404(
            super().construct_view(view_class, **kwargs),
            lambda request: visible_queryset(model, request.user),
        )


# -- the viewset bases ---------------------------------------------------------------------------


class BaseSnippetViewSet(SnippetViewSet):
    """Every snippet viewset of the project derives from this (or from ScopedSnippetViewSet):
    search through the ORM, and every spreadsheet export through community.exports."""

    search_backend_name = None
    chooser_viewset_class = BaseChooserViewSet

    def construct_view(self, view_class, **kwargs):
        return super().construct_view(exports.neutralising(view_class), **kwargs)


class ScopedSnippetViewSet(BaseSnippetViewSet):
    """A snippet viewset over a model with a `territory_field`: every view, whatever it shows,
    sees only the user's territories' records; an id of another territory answers 404."""

    list_select_related: tuple[str, ...] = ()
    inspect_view_enabled = True
    chooser_viewset_class = ScopedChooserViewSet

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not permissions.is_territorial(self.model):
            raise TypeError(f"{self.model.__name__} has no territory_field to be scoped by.")

    def register_permissions(self):
        if policy_registry.get_by_type(self.model, fallback=False) is None:
            register_permission_policy(
                self.model, TerritoryPermissionPolicy(self.model), exact_class=True
            )
        super().register_permissions()

    def get_queryset(self, request):
        queryset = self.model._default_manager.all()
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        return permissions.restrict_records(queryset, request.user)

    def visible(self, request):
        """What a view taking an id may show: restricted again, so a subclass's own
        `get_queryset` cannot widen it."""
        return permissions.restrict_records(self.get_queryset(request), request.user)

    def guard(self, view):
        """Wrap a view of the viewset's own that takes a `pk`: 404 for another territory's."""
        return permissions.visible_or_404(view, self.visible)

    def construct_view(self, view_class, **kwargs):
        return self.guard(super().construct_view(scoped_view_class(view_class), **kwargs))


def scoped_filterset(model, scoped: dict, fields=()):
    """A list filter set with choices along lookup paths ({path: model of the choices}), plus
    plain `fields`; the viewset limits every choice to what the user may see."""
    attrs = {
        path: django_filters.ModelChoiceFilter(
            field_name=path,
            queryset=choice_model._default_manager.all(),
            label=choice_model._meta.verbose_name.capitalize(),
        )
        for path, choice_model in scoped.items()
    }
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": list(fields)})
    return type(f"{model.__name__}FilterSet", (WagtailFilterSet,), attrs)


# -- bulk actions --------------------------------------------------------------------------------


def bulk_action_model(request):
    """The model a bulk action URL (/admin/bulk/<app>/<model>/<action>/) names, or None."""
    match = getattr(request, "resolver_match", None)
    kwargs = match.kwargs if match else {}
    try:
        return apps.get_model(kwargs["app_label"], kwargs["model_name"])
    except (KeyError, LookupError):
        return None


def refuse_unless_visible(request, objects):
    """Raise 404 unless the user may see every object a bulk action names: the `objects` it
    acts on, and every `id=` of its URL (Wagtail sets aside, and lists by name on the
    confirmation page, those the user has no permission for). A snippet needs a permission on
    its model, a territorial record a territory the user sees. One foreign id refuses the
    whole action, so nothing is listed, changed or deleted."""
    objects = list(objects)
    model = bulk_action_model(request) or (type(objects[0]) if objects else None)
    if model is None:
        return
    user = request.user

    if model in get_snippet_models():
        policy = policy_registry.get_by_type(model)
        if not policy.user_has_any_permission(user, ANY_ACTION):
            raise Http404
    if not permissions.is_territorial(model):
        return
    named = model._default_manager.all()
    ids = request.GET.getlist("id")
    if "all" not in ids:
        named = named.filter(pk__in=[*ids, *(obj.pk for obj in objects)])
    try:
        foreign = named.exclude(pk__in=permissions.restrict_records(named, user).values("pk"))
        if foreign.exists():
            raise Http404
    except (ValueError, ValidationError) as error:
        raise Http404 from error


# -- deletion -------------------------------------------------------------------------------------


def deletion_refusal(instances) -> str | None:
    """Why `instances` cannot be deleted, in French, or None. Rows that protect them (an event's
    registrations, a person's bookings) are not in Wagtail's reference index, so its usage
    check does not see them and the delete would end in a database error."""
    instances = list(instances)
    if not instances:
        return None
    collector = Collector(using=router.db_for_write(type(instances[0])))
    try:
        collector.collect(instances)
    except (ProtectedError, RestrictedError) as error:
        blocking = getattr(error, "protected_objects", None) or error.restricted_objects
        names = sorted({str(obj._meta.verbose_name_plural) for obj in blocking})
        return _(
            "Suppression impossible : des fiches en dépendent (%(related)s). Pour un "
            "événement, annulez-le plutôt : les inscrits sont prévenus."
        ) % {"related": ", ".join(names)}
    return None


# -- log entries ---------------------------------------------------------------------------------


def territorial_models():
    return [model for model in apps.get_models() if permissions.is_territorial(model)]


def visible_log_entries(queryset, user):
    """The log entries of `queryset` `user` may read: of a territorial model, only those of
    objects the user sees today (an entry of a deleted object is hidden from those who do not
    see every territory: its label may name someone)."""
    if permissions.sees_all_territories(user) or not any(
        field.name == "object_id" for field in queryset.model._meta.fields
    ):
        return queryset  # page log entries have no object_id: pages are not territorial
    content_types = ContentType.objects.get_for_models(*territorial_models())
    condition = ~Q(content_type_id__in=[ct.pk for ct in content_types.values()])
    for model, content_type in content_types.items():
        visible_ids = (
            permissions.restrict_records(model._default_manager.all(), user)
            .annotate(object_key=Cast("pk", CharField()))
            .values("object_key")
        )
        condition |= Q(content_type_id=content_type.pk, object_id__in=visible_ids)
    return queryset.filter(condition)


def scope_log_entries():
    """Make every log entry manager's `viewable_by_user` (what the site history report, its
    filters and its export read) also apply `visible_log_entries`.

    Wagtail 8 offers no hook to filter that report: it unions `viewable_by_user` of every
    registered log model, so that method is the one place to narrow. Idempotent."""
    original = BaseLogEntryManager.viewable_by_user
    if getattr(original, "territory_scoped", False):
        return

    def viewable_by_user(self, user):
        return visible_log_entries(original(self, user), user)

    viewable_by_user.territory_scoped = True
    BaseLogEntryManager.viewable_by_user = viewable_by_user
