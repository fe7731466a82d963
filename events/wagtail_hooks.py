"""The events admin, on community.admin_scoping's scoped viewset base.

The list shows only the events of the editor's territories; every view that takes an event id
(edit, delete, preview, revisions, history, lock, cancel, bulk actions...) answers 404 for an
event of a territory the editor may not see; the forms offer only their territories.
"""

import re
import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin import messages as admin_messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, IndexView

import django_filters

from community import permissions
from community.admin_scoping import BaseSnippetViewSet, ScopedSnippetViewSet
from community.rule_errors import show_on_form
from events import services
from events.models import Event, EventKind
from events.models.programme import Track
from events.signup import admin as signup_admin


class EventFilterSet(WagtailFilterSet):
    class State:
        DRAFT = "draft"
        SCHEDULED = "scheduled"
        LIVE = "live"
        CANCELLED = "cancelled"

    territory = django_filters.ModelChoiceFilter(
        label=_("Territoire"),
        queryset=lambda request: permissions.visible_territories(request.user),
    )
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=EventKind.choices)
    start = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)
    state = django_filters.ChoiceFilter(
        label=_("État"),
        method="filter_state",
        choices=[
            (State.DRAFT, _("Brouillon")),
            (State.SCHEDULED, _("Programmé")),
            (State.LIVE, _("Publié")),
            (State.CANCELLED, _("Annulé")),
        ],
    )

    class Meta:
        model = Event
        fields = ["territory", "kind", "start"]

    def filter_state(self, queryset, name, value):
        if value == self.State.DRAFT:
            return queryset.filter(live=False, go_live_at__isnull=True)
        if value == self.State.SCHEDULED:
            return queryset.filter(live=False, go_live_at__isnull=False)
        if value == self.State.LIVE:
            return queryset.filter(live=True, cancelled_at__isnull=True)
        if value == self.State.CANCELLED:
            return queryset.filter(cancelled_at__isnull=False)
        return queryset


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de l'annulation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Affiché aux habitants sur la page de l'événement et dans leurs agendas."),
    )


class EventWordingMixin:
    """Say what happened in French words made for an event (Wagtail's generic ones read
    "modifié(e) et publié(e)"), and offer "Voir sur le site" once it is live."""

    def get_success_message(self, instance=None):
        event = instance or self.object
        if self.action == "publish" and event.go_live_at and event.go_live_at > timezone.now():
            return _("L'événement « %(title)s » sera publié le %(when)s.") % {
                "title": event.title,
                "when": date_format(timezone.localtime(event.go_live_at), "j F à H:i"),
            }
        if self.action == "publish":
            return _("L'événement « %(title)s » est publié.") % {"title": event.title}
        return _("L'événement « %(title)s » est enregistré (brouillon).") % {"title": event.title}

    def get_success_buttons(self):
        buttons = [admin_messages.button(self.get_edit_url(), _("Modifier"))]
        # Publishing went through a revision: the view's copy of the event may not know yet.
        self.object.refresh_from_db(fields=["live"])
        if self.object.live:
            buttons.insert(
                0, admin_messages.button(self.object.get_absolute_url(), _("Voir sur le site"))
            )
        return buttons


class EventIndexView(IndexView):
    add_item_label = _("Nouvel événement")


class EventCreateView(EventWordingMixin, CreateView):
    """Creating is idempotent per form: Wagtail's autosave posts the new form to this address
    (creating a draft) and only then points the form at the edit address; a "Publier" click,
    or a second autosave, posted before that answer arrived would create a second event. The
    form carries a key of its own; a post whose key already made an event is sent on (307, the
    same POST) to that event's edit view."""

    page_title = _("Nouvel événement")

    def _creation_key(self) -> str | None:
        key = self.request.POST.get("creation_key", "")
        return key if re.fullmatch(r"[0-9a-f]{32}", key) else None

    def _to_existing(self, key: str):
        made = Event.objects.filter(creation_key=key).values_list("pk", flat=True).first()
        if made is None or not self.visible(made):
            return None
        return HttpResponseRedirect(
            reverse("wagtailsnippets_events_event:edit", args=[made]), status=307
        )

    def visible(self, pk) -> bool:
        return permissions.restrict_records(Event.objects.filter(pk=pk), self.request.user).exists()

    def post(self, request, *args, **kwargs):
        key = self._creation_key()
        if key is not None and (existing := self._to_existing(key)) is not None:
            return existing
        return super().post(request, *args, **kwargs)

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        form.fields["creation_key"] = forms.CharField(
            widget=forms.HiddenInput, required=False, initial=uuid.uuid4().hex
        )
        return form

    def save_instance(self):
        self.form.instance.creation_key = self._creation_key()
        return super().save_instance()

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except IntegrityError:
            # The same form posted twice at the same instant: the other post made the event.
            key = self._creation_key()
            existing = self._to_existing(key) if key else None
            if existing is None:
                raise
            return existing

    def get_initial(self):
        """A new event may start from a kind and a track given in the address ("Ajouter une
        séance" on the mediation day's screen, one per track); a value that names no kind or
        no track is ignored."""
        initial = super().get_initial()
        kind = self.request.GET.get("kind", "")
        if kind in EventKind.values:
            initial["kind"] = kind
        track = self.request.GET.get("track", "")
        if track.isdigit() and Track.objects.filter(pk=int(track)).exists():
            initial["track"] = int(track)
        return initial


class EventEditView(EventWordingMixin, EditView):
    @property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        label = _("Rétablir l'événement") if self.object.is_cancelled else _("Annuler l'événement")
        buttons.append(Button(label, url=self.get_cancel_url(), icon_name="warning", priority=30))
        return buttons

    def get_cancel_url(self):
        return reverse("wagtailsnippets_events_event:cancel", args=[self.object.pk])


class EventViewSet(ScopedSnippetViewSet):
    model = Event
    icon = "date"
    menu_label = _("Événements")
    menu_name = "events"
    add_to_admin_menu = True
    menu_order = 250
    edit_view_class = EventEditView
    add_view_class = EventCreateView
    index_view_class = EventIndexView
    filterset_class = EventFilterSet
    list_display = [
        "title",
        Column("start", label=_("Début"), sort_key="start"),
        "territory",
        "kind",
        Column("state_label", label=_("État")),
    ]
    list_export = ["title", "kind", "territory", "start", "end", "venue_name", "capacity"]
    search_fields = ["title", "summary", "venue_name"]
    # Coming events first, the soonest on top; past ones after.
    ordering = ["is_past", "start"]
    copy_view_enabled = True
    inspect_view_enabled = False
    list_select_related = ("territory",)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("cancel/<str:pk>/", self.guard(self.cancel_view), name="cancel"),
        ]

    @property
    def menu_item_class(self):
        """Shown to those who may see events and have a territory to see them in: Communication
        (no territory) would open a list that is always empty."""
        base = super().menu_item_class

        def is_shown(_self, request):
            return (
                base.is_shown(_self, request)
                and permissions.visible_territory_ids(request.user) != frozenset()
            )

        return type("EventMenuItem", (base,), {"is_shown": is_shown})

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                is_past=Case(
                    When(end__lt=timezone.now(), then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
        )

    def cancel_view(self, request, pk):
        """Cancel (with a reason) or reinstate an event, through events.services."""
        if not self.permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        event = self.visible(request).get(pk=pk)
        edit_url = self.get_url_name("edit")
        if request.method == "POST":
            if event.is_cancelled:
                services.reinstate(event, user=request.user)
                messages.success(request, _("L'événement est rétabli."))
                return redirect(edit_url, event.pk)
            form = CancelForm(request.POST)
            if form.is_valid():
                try:
                    services.cancel(event, form.cleaned_data["reason"], user=request.user)
                except services.EventError as error:
                    show_on_form(form, error, fallback="reason")
                else:
                    messages.success(
                        request,
                        _("L'événement est annulé ; il reste affiché, marqué annulé."),
                    )
                    return redirect(edit_url, event.pk)
        else:
            form = CancelForm()
        return TemplateResponse(
            request,
            "events/admin/cancel.html",
            {"event": event, "form": form, "edit_url_name": edit_url},
        )


register_snippet(EventViewSet)


@hooks.register("construct_snippet_action_menu")
def publish_first_for_events(menu_items, request, context):
    """ "Publier" is the event form's main button, not an item under the arrow: publishing is
    what a mediator came to do (saving a draft stays in the menu)."""
    if context.get("model") is not Event:
        return
    for index, item in enumerate(menu_items):
        if getattr(item, "name", "") == "action-publish":
            menu_items.insert(0, menu_items.pop(index))
            return


class MediatorHomePanel(Component):
    """The admin home's first panel for whoever runs events: their coming events (with their
    sign-ups) and a button for a new one."""

    name = "events_coming"
    order = 10
    template_name = "events/admin/home_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        user = self.request.user
        events = (
            permissions.restrict_records(Event.objects.all(), user)
            .filter(end__gte=timezone.now())
            .select_related("territory")
            .order_by("start")[:8]
        )
        return {
            "events": events,
            "add_url": reverse("wagtailsnippets_events_event:add"),
            "list_url": reverse("wagtailsnippets_events_event:list"),
            "can_see_registrations": user.has_perm("events.view_registration"),
        }


@hooks.register("construct_homepage_panels")
def coming_events_on_the_home(request, panels):
    if request.user.has_perm("events.add_event"):
        panels.insert(0, MediatorHomePanel(request))


@hooks.register("register_admin_urls")
def register_registration_admin_urls():
    return signup_admin.urlpatterns


@hooks.register("register_snippet_listing_buttons")
def registrations_listing_button(snippet, user, next_url=None):
    if isinstance(snippet, Event) and user.has_perm("events.view_registration"):
        yield Button(
            _("Inscriptions"), reverse("events_registrations", args=[snippet.pk]), priority=15
        )


# Café Médiation series and workshops' seats per age band.
from events.series.admin import CafeSeriesViewSet, SeatGroupViewSet  # noqa: E402

register_snippet(CafeSeriesViewSet)
register_snippet(SeatGroupViewSet)
# -- the annual mediation day's programmes ------------------------------------------------------
from events.models.programme import Programme  # noqa: E402


class ProgrammeViewSet(BaseSnippetViewSet):
    """A year's programme and its tracks; its sessions are events of kind "mediation-day
    session", each choosing its track."""

    model = Programme
    icon = "calendar-alt"
    menu_label = _("Journées de la médiation")
    menu_name = "mediation_day_programmes"
    # Reached from the mediation day's screen (cms), where its sessions and page are too.
    add_to_admin_menu = False
    menu_order = 255
    list_display = ["__str__", "date", "venue_name", "territory"]
    ordering = ["-year"]


register_snippet(ProgrammeViewSet)
