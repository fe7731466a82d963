"""Admin screens of Café Médiation series and of the seats workshops reserve per age band:
snippet viewsets scoped by territory (the list shows the editor's territories only; a guessed
id of another territory answers 404). Saving a series generates or updates its sessions."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.db.models import Count, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import CreateView, EditView

import django_filters

from community import permissions
from community.admin_scoping import ScopedSnippetViewSet
from community.models import AgeBand
from events.models import CafeSeries, Event, EventKind, SeatGroup
from events.series import rules


class DatesField(forms.CharField):
    """Dates typed one per line (or separated by commas), as JJ/MM/AAAA; stored as ISO strings."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(dt.date.fromisoformat(v).strftime("%d/%m/%Y") for v in value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        days, bad = [], []
        for chunk in (value or "").replace(",", "\n").split():
            for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
                try:
                    days.append(dt.datetime.strptime(chunk, fmt).date())  # noqa: DTZ007
                    break
                except ValueError:
                    continue
            else:
                bad.append(chunk)
        if bad:
            raise forms.ValidationError(
                _("Dates illisibles : %(dates)s. Écrivez-les sous la forme JJ/MM/AAAA.")
                % {"dates": ", ".join(bad)}
            )
        return [d.isoformat() for d in sorted(set(days))]


class CafeSeriesForm(WagtailAdminModelForm):
    excluded_dates = DatesField(
        label=_("dates exclues"),
        required=False,
        help_text=_("Une date par ligne (JJ/MM/AAAA) : des dates du cycle sans séance."),
    )
    extra_dates = DatesField(
        label=_("dates ajoutées"),
        required=False,
        help_text=_("Une date par ligne (JJ/MM/AAAA) : des séances en plus du rythme habituel."),
    )
    kind = forms.ChoiceField(
        label=_("type de séances"),
        choices=[
            (EventKind.CAFE_MEDIATION, EventKind.CAFE_MEDIATION.label),
            (EventKind.INTERGENERATIONAL, EventKind.INTERGENERATIONAL.label),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self, "for_user", None)
        if user is not None and "territory" in self.fields:
            self.fields["territory"].queryset = permissions.visible_territories(user)
        if "facilitators" in self.fields:
            self.fields["facilitators"].queryset = permissions.staff_users().filter(is_active=True)


PANELS = [
    MultiFieldPanel(
        [FieldPanel("title"), FieldPanel("kind"), FieldPanel("summary"), FieldPanel("active")],
        heading=_("Le cycle"),
    ),
    MultiFieldPanel(
        [
            FieldPanel("territory"),
            FieldPanel("venue_name"),
            FieldPanel("venue_address"),
            FieldPanel("facilitators"),
            FieldPanel("capacity"),
        ],
        heading=_("Lieu, animateurs et places"),
    ),
    MultiFieldPanel(
        [
            FieldPanel("frequency"),
            FieldRowPanel([FieldPanel("interval"), FieldPanel("weekday")]),
            FieldPanel("month_week"),
            FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
            FieldRowPanel([FieldPanel("start_time"), FieldPanel("end_time")]),
            FieldPanel("excluded_dates"),
            FieldPanel("extra_dates"),
        ],
        heading=_("Récurrence"),
    ),
]


class _SyncOnSave:
    def save_instance(self):
        instance = super().save_instance()
        result = rules.sync_series(instance.pk)
        messages.info(
            self.request,
            gettext(
                "Séances : %(created)s créées, %(updated)s modifiées (les inscrits sont prévenus), "
                "%(cancelled)s annulées."
            )
            % {
                "created": result.created,
                "updated": result.updated,
                "cancelled": result.cancelled,
            },
        )
        return instance


class SeriesCreateView(_SyncOnSave, CreateView):
    pass


class SeriesEditView(_SyncOnSave, EditView):
    pass


class CafeSeriesFilterSet(WagtailFilterSet):
    territory = django_filters.ModelChoiceFilter(
        label=_("Territoire"),
        queryset=lambda request: permissions.visible_territories(request.user),
    )

    class Meta:
        model = CafeSeries
        fields = ["territory", "active"]


class CafeSeriesViewSet(ScopedSnippetViewSet):
    model = CafeSeries
    icon = "calendar-alt"
    menu_label = _("Cafés Médiation")
    menu_name = "cafe_series"
    add_to_admin_menu = True
    menu_order = 251
    add_view_class = SeriesCreateView
    edit_view_class = SeriesEditView
    edit_handler = ObjectList(PANELS, base_form_class=CafeSeriesForm)
    list_display = [
        "title",
        "territory",
        Column("session_count", label=_("Séances")),
        Column("follower_count", label=_("Abonnés")),
        Column("pending_topics", label=_("Sujets à modérer")),
    ]
    filterset_class = CafeSeriesFilterSet
    search_fields = ["title", "venue_name"]
    ordering = ["title"]
    inspect_view_enabled = False
    list_select_related = ("territory",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                session_count=Count("sessions", distinct=True),
                follower_count=Count(
                    "follows", filter=Q(follows__stopped_at__isnull=True), distinct=True
                ),
                pending_topics=Count("topics", filter=Q(topics__status="pending"), distinct=True),
            )
        )


class SeatGroupForm(WagtailAdminModelForm):
    age_bands = forms.MultipleChoiceField(
        label=_("tranches d'âge"), choices=AgeBand.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self, "for_user", None)
        if "event" in self.fields:
            events = Event.objects.filter(kind=EventKind.INTERGENERATIONAL).order_by("-start")
            if user is not None:
                events = permissions.restrict_to_visible(events, user)
            self.fields["event"].queryset = events


class SeatGroupViewSet(ScopedSnippetViewSet):
    model = SeatGroup
    icon = "group"
    menu_label = _("Places par âge")
    menu_name = "seat_groups"
    add_to_admin_menu = False
    edit_handler = ObjectList(
        [FieldPanel("event"), FieldPanel("label"), FieldPanel("age_bands"), FieldPanel("capacity")],
        base_form_class=SeatGroupForm,
    )
    list_display = ["label", "event", "capacity", Column("age_band_labels", label=_("Âges"))]

    inspect_view_enabled = False
    list_select_related = ("event",)
