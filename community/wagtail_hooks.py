"""Admin screens for the community records, on the bases of community.admin_scoping.

Every view of a territory-bound record (list, search, export, edit, delete, inspect, history,
usage, preview, chooser, bulk action) sees only `permissions.restrict_records(...)`: a record of
another territory answers 404, whatever id is guessed.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, InspectView, SnippetViewSetGroup

from community import admin_scoping, permissions, services
from community.activities import documents as agreement_documents
from community.activities.rules import SURVEY_QUESTIONS
from community.admin_forms import (
    IndicatorFigureForm,
    InterventionAdminForm,
    PartnerFollowUpForm,
    ScopedAdminForm,
)
from community.admin_scoping import BaseSnippetViewSet, ScopedSnippetViewSet, scoped_filterset
from community.importing import views as admin_views
from community.merging import rules as merging
from community.merging import views as merge_views
from community.models import (
    Axis,
    CallForTender,
    CommunicationAction,
    FollowUp,
    IndicatorFigure,
    Intervention,
    InterventionKind,
    JoinRequest,
    KnowledgeSurveyAnswer,
    Objective,
    Organisation,
    PartnerFollowUp,
    PartnerMeeting,
    PartnershipAgreement,
    PlanIndicator,
    Project,
    ReferenceTenant,
    Residence,
    ResidenceDiagnosis,
    ServicePlan,
    Stake,
    TeamActivity,
    TenantCommittee,
    Territory,
    TrainingTopic,
    Voice,
    VoiceTheme,
    WorkingGroup,
)
from community.plan import views as plan_views
from community.plan.forms import PlanIndicatorForm
from community.privacy import admin as privacy_admin
from community.privacy import rules as privacy
from community.registries import project_events
from community.reporting import views as indicator_views


class TerritoryViewSet(ScopedSnippetViewSet):
    # A territory's `territory_field` is its own pk: staff see their territories only.
    model = Territory
    icon = "site"
    menu_label = _("Territoires")
    inspect_view_enabled = False
    list_display = ["name", "email", "phone"]
    search_fields = ["name"]


class OrganisationViewSet(BaseSnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "kind", "website"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]


class ResidenceViewSet(ScopedSnippetViewSet):
    model = Residence
    icon = "home"
    menu_label = _("Résidences")
    list_display = ["name", "territory", "landlord", "homes", "address"]
    filterset_class = scoped_filterset(Residence, {"territory": Territory}, ["landlord"])
    list_export = ["name", "territory", "landlord", "homes", "address", "renovation_project"]
    search_fields = ["name", "address", "renovation_project", "notes"]
    list_select_related = ("territory", "landlord")
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldRowPanel([FieldPanel("territory"), FieldPanel("landlord")]),
            FieldPanel("address"),
            FieldPanel("homes"),
            FieldPanel("renovation_project"),
            FieldPanel("notes"),
        ],
        base_form_class=ScopedAdminForm,
    )


class TrainingTopicViewSet(BaseSnippetViewSet):
    model = TrainingTopic
    icon = "tag"
    menu_label = _("Thèmes de sensibilisation")
    list_display = ["name", "sort_order"]
    search_fields = ["name"]


class VoiceThemeViewSet(BaseSnippetViewSet):
    model = VoiceTheme
    icon = "tag"
    menu_label = _("Thèmes des paroles")
    list_display = ["name", "sort_order"]
    search_fields = ["name"]


class ReferenceTenantViewSet(ScopedSnippetViewSet):
    model = ReferenceTenant
    icon = "user"
    menu_label = _("Locataires référents")
    list_display = ["person", "residence", "status", "since", "contact_consent"]
    filterset_class = scoped_filterset(
        ReferenceTenant,
        {"residence__territory": Territory, "residence": Residence},
        ["status", "topics"],
    )
    list_export = ["person", "residence", "status", "since", "contact_consent"]
    search_fields = ["person__first_name", "person__last_name", "residence__name"]
    list_select_related = ("person", "residence")
    edit_handler = ObjectList(
        [
            FieldPanel("person"),
            FieldRowPanel([FieldPanel("residence"), FieldPanel("since"), FieldPanel("status")]),
            FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
            MultiFieldPanel(
                [
                    FieldPanel("contact_consent"),
                    FieldRowPanel(
                        [FieldPanel("contact_consent_date"), FieldPanel("contact_consent_method")]
                    ),
                ],
                heading=_("Consentement à être contacté"),
            ),
        ],
        base_form_class=ScopedAdminForm,
    )


class FollowUpEditView(EditView):
    def get(self, request, *args, **kwargs):
        services.log_follow_up_opened(self.object, request.user)
        return super().get(request, *args, **kwargs)


class FollowUpInspectView(InspectView):
    def get(self, request, *args, **kwargs):
        services.log_follow_up_opened(self.object, request.user)
        return super().get(request, *args, **kwargs)


class FollowUpViewSet(ScopedSnippetViewSet):
    model = FollowUp
    icon = "clipboard-list"
    menu_label = _("Suivis des référents")
    edit_view_class = FollowUpEditView
    inspect_view_class = FollowUpInspectView
    # The note is not listed nor exported: it is read by opening the follow-up (audit-logged).
    list_display = ["date", "reference_tenant", "kind", "mediator"]
    filterset_class = scoped_filterset(
        FollowUp,
        {
            "reference_tenant__residence__territory": Territory,
            "reference_tenant__residence": Residence,
        },
        ["kind", "date"],
    )
    list_export = ["date", "reference_tenant", "kind", "mediator"]
    search_fields = [
        "reference_tenant__person__first_name",
        "reference_tenant__person__last_name",
        "reference_tenant__residence__name",
    ]
    list_select_related = ("reference_tenant__person", "reference_tenant__residence", "mediator")
    edit_handler = ObjectList(
        [
            # Plain selects (limited to the user's territories): quick on a phone, no modal.
            FieldPanel("reference_tenant", widget=forms.Select),
            FieldRowPanel([FieldPanel("date"), FieldPanel("kind")]),
            FieldPanel("mediator"),
            FieldPanel("note"),
        ],
        base_form_class=ScopedAdminForm,
    )


class WorkingGroupViewSet(ScopedSnippetViewSet):
    model = WorkingGroup
    icon = "group"
    menu_label = _("Groupes de travail")
    list_display = ["theme", "territory", "residence", "status"]
    filterset_class = scoped_filterset(WorkingGroup, {"territory": Territory}, ["status"])
    list_export = ["theme", "territory", "residence", "status"]
    search_fields = ["theme", "description"]
    list_select_related = ("territory", "residence")
    edit_handler = ObjectList(
        [
            FieldPanel("theme"),
            FieldPanel("description"),
            FieldRowPanel([FieldPanel("territory"), FieldPanel("residence")]),
            FieldPanel("status"),
            FieldPanel("facilitators"),
            FieldPanel("members"),
            FieldPanel("answers_voices"),
            InlinePanel("outcomes", label=_("Résultats"), heading=_("Résultats")),
        ],
        base_form_class=ScopedAdminForm,
    )


class JoinRequestViewSet(ScopedSnippetViewSet):
    model = JoinRequest
    icon = "mail"
    menu_label = _("Demandes d'adhésion")
    add_to_admin_menu = False
    list_display = ["name", "working_group", "created_at", "handled"]
    filterset_class = scoped_filterset(
        JoinRequest,
        {"working_group__territory": Territory, "working_group": WorkingGroup},
        ["handled"],
    )
    list_export = ["name", "email", "phone", "working_group", "created_at", "handled"]
    search_fields = ["name", "email", "phone", "working_group__theme"]
    list_select_related = ("working_group",)
    edit_handler = ObjectList(
        [
            FieldPanel("working_group"),
            FieldPanel("name"),
            FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
            FieldPanel("message"),
            FieldPanel("consent"),
            FieldPanel("handled"),
        ],
        base_form_class=ScopedAdminForm,
    )


class ResidenceDiagnosisViewSet(ScopedSnippetViewSet):
    model = ResidenceDiagnosis
    icon = "doc-full"
    menu_label = _("Diagnostics de résidence")
    list_display = ["residence", "date", "landlord", "author"]
    filterset_class = scoped_filterset(
        ResidenceDiagnosis,
        {"residence__territory": Territory, "residence": Residence},
        ["landlord"],
    )
    list_export = ["residence", "date", "landlord", "needs", "actions_proposed"]
    search_fields = ["residence__name", "needs", "actions_proposed"]
    list_select_related = ("residence", "landlord", "author")
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("residence"), FieldPanel("landlord"), FieldPanel("date")]),
            FieldPanel("needs"),
            FieldPanel("actions_proposed"),
        ],
        base_form_class=ScopedAdminForm,
    )


class VoiceViewSet(ScopedSnippetViewSet):
    model = Voice
    icon = "openquote"
    menu_label = _("Paroles d'habitants")
    list_display = ["__str__", "theme", "territory", "status", "source", "created_at"]
    filterset_class = scoped_filterset(
        Voice, {"territory": Territory}, ["status", "theme", "source", "age_band"]
    )
    list_export = ["created_at", "territory", "theme", "age_band", "source", "status", "text"]
    search_fields = ["text"]
    list_select_related = ("territory", "theme")
    edit_handler = ObjectList(
        [
            FieldPanel("text"),
            FieldRowPanel(
                [
                    FieldPanel("territory", widget=forms.Select),
                    FieldPanel("residence", widget=forms.Select),
                ]
            ),
            FieldRowPanel([FieldPanel("theme", widget=forms.Select), FieldPanel("age_band")]),
            FieldRowPanel([FieldPanel("source"), FieldPanel("status")]),
            MultiFieldPanel(
                [
                    FieldPanel("contact_consent"),
                    FieldPanel("contact_consent_method"),
                    FieldPanel("person"),
                    FieldPanel("contact_name"),
                    FieldRowPanel([FieldPanel("contact_email"), FieldPanel("contact_phone")]),
                ],
                heading=_("Pour recontacter la personne (avec son accord)"),
            ),
        ],
        base_form_class=ScopedAdminForm,
    )


class InterventionKindViewSet(BaseSnippetViewSet):
    model = InterventionKind
    icon = "tag"
    menu_label = _("Types d'intervention")
    list_display = ["name", "mission", "parent", "active", "sort_order"]
    list_filter = ["mission", "active"]
    search_fields = ["name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("code"),
        FieldRowPanel([FieldPanel("mission"), FieldPanel("parent", widget=forms.Select)]),
        FieldRowPanel([FieldPanel("active"), FieldPanel("sort_order")]),
    ]


class InterventionViewSet(ScopedSnippetViewSet):
    """The log, for reading and export; mediators write it on their phone page (/equipe/
    interventions/), where its author may edit it the same day. Managers may correct it here."""

    model = Intervention
    icon = "list-ul"
    menu_label = _("Interventions")
    list_display = ["date", "kind", "territory", "residence", "people", "author"]
    filterset_class = scoped_filterset(
        Intervention, {"territory": Territory, "residence": Residence}, ["kind"]
    )
    list_export = [
        "date",
        "kind",
        "territory",
        "residence",
        "people",
        *Intervention.AGE_FIELDS,
        "women",
        "men",
        "partner",
    ]
    list_select_related = ("kind", "territory", "residence", "author")
    search_fields = ["kind__name"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("kind", widget=forms.Select), FieldPanel("date")]),
            FieldRowPanel(
                [
                    FieldPanel("territory", widget=forms.Select),
                    FieldPanel("residence", widget=forms.Select),
                ]
            ),
            FieldPanel("people"),
            FieldRowPanel([FieldPanel(name) for name in Intervention.AGE_FIELDS]),
            FieldRowPanel([FieldPanel("women"), FieldPanel("men")]),
            FieldPanel("partner", widget=forms.Select),
        ],
        base_form_class=InterventionAdminForm,
    )


class CommunityViewSetGroup(SnippetViewSetGroup):
    items = (
        TerritoryViewSet,
        OrganisationViewSet,
        ResidenceViewSet,
        ReferenceTenantViewSet,
        FollowUpViewSet,
        WorkingGroupViewSet,
        JoinRequestViewSet,
        ResidenceDiagnosisViewSet,
        VoiceViewSet,
        InterventionViewSet,
        InterventionKindViewSet,
        TrainingTopicViewSet,
        VoiceThemeViewSet,
    )
    menu_icon = "group"
    menu_label = _("Communauté")
    menu_name = "community"


register_snippet(CommunityViewSetGroup)


# --- The plan's activity records (community.activities): each territory's, scoped -----------


def select(name):
    """A plain select (limited to the user's territories by the form): quick on a phone."""
    return FieldPanel(name, widget=forms.Select)


def row(*names):
    return FieldRowPanel([FieldPanel(name) for name in names])


PLACE_ROW = FieldRowPanel([select("territory"), select("residence")])


def record_viewset(model, icon, menu_label, *, columns, panels, export=(), **options):
    """The admin screens of one activity record: list, filters, search, export and form.

    A record with a `territory_field` gets a ScopedSnippetViewSet (every view sees the user's
    territories only), its filters' choices along `choices` ({lookup path: model}, the territory
    by default) and its form on `form` (ScopedAdminForm by default); an agency-wide record (a
    call for tender, the team log) gets a BaseSnippetViewSet with plain filters.
    `options`: filters, search, select_related, form, choices and any viewset attribute."""
    filters = list(options.pop("filters", ()))
    attrs = {
        "model": model,
        "icon": icon,
        "menu_label": menu_label,
        "list_display": list(columns),
        "list_export": list(export or columns),
    }
    if "search" in options:
        attrs["search_fields"] = list(options.pop("search"))
    form = options.pop("form", ScopedAdminForm)
    choices = options.pop("choices", {"territory": Territory})
    if permissions.is_territorial(model):
        base = ScopedSnippetViewSet
        attrs["filterset_class"] = scoped_filterset(model, choices, filters)
        attrs["list_select_related"] = tuple(options.pop("select_related", ("territory",)))
        attrs["edit_handler"] = ObjectList(panels, base_form_class=form)
    else:
        base = BaseSnippetViewSet
        attrs["list_filter"] = filters
        attrs["panels"] = panels
    attrs.update(options)
    return type(f"{model.__name__}ViewSet", (base,), attrs)


LINKED = "linked_events"


class ProjectInspectView(InspectView):
    """A project's page lists its events (its actions), those the user may see: the events app
    tells them through community.registries.project_events."""

    def get_fields(self):
        fields = super().get_fields()
        return [*fields, *(f for f in ("partners", "working_groups") if f not in fields), LINKED]

    def get_field_label(self, field_name, field):
        if field_name == LINKED:
            return _("Événements du projet")
        return super().get_field_label(field_name, field)

    def get_linked_events_display_value(self):
        events = project_events.of(self.object.pk, self.request.user)
        if not events:
            return _("Aucun événement lié à ce projet.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> · {}</li>',
                (
                    (event.url, event.title, date_format(localtime(event.start), "j F Y"))
                    for event in events
                ),
            ),
        )


ACTIVITY_VIEWSETS = (
    record_viewset(
        PartnershipAgreement,
        "doc-full",
        _("Conventions"),
        columns=["title", "partner", "kind", "territory", "signed_on"],
        export=["title", "partner", "kind", "territory", "signed_on", "starts_on", "ends_on"],
        filters=["kind"],
        search=["title", "partner__name"],
        select_related=("partner", "territory"),
        panels=[
            FieldRowPanel([select("partner"), FieldPanel("kind")]),
            FieldPanel("title"),
            select("territory"),
            row("signed_on", "starts_on", "ends_on"),
            FieldPanel("document"),
            InlinePanel("objectives", label=_("Objectif"), heading=_("Objectifs")),
        ],
    ),
    record_viewset(
        Project,
        "folder-open-inverse",
        _("Projets"),
        columns=["title", "kind", "territory", "residence", "status", "starts_on"],
        export=[
            "title",
            "kind",
            "domain",
            "territory",
            "residence",
            "status",
            "starts_on",
            "ends_on",
        ],
        filters=["kind", "status"],
        search=["title", "outcomes"],
        select_related=("territory", "residence"),
        inspect_view_class=ProjectInspectView,
        panels=[
            FieldPanel("title"),
            row("kind", "domain", "status"),
            PLACE_ROW,
            row("starts_on", "ends_on"),
            FieldPanel("partners", widget=forms.CheckboxSelectMultiple),
            FieldPanel("working_groups", widget=forms.CheckboxSelectMultiple),
            FieldPanel("outcomes"),
        ],
    ),
    record_viewset(
        PartnerMeeting,
        "group",
        _("Rencontres partenaires"),
        columns=["date", "kind", "territory", "subject", "hours", "participants"],
        filters=["kind"],
        search=["subject"],
        panels=[
            row("kind", "date"),
            select("territory"),
            FieldPanel("subject"),
            FieldPanel("partners", widget=forms.CheckboxSelectMultiple),
            row("hours", "participants"),
        ],
    ),
    record_viewset(
        PartnerFollowUp,
        "clipboard-list",
        _("Suivis avec les partenaires"),
        columns=["opened_on", "partner", "territory", "age_band", "outcome"],
        # Pseudonymous in lists and exports: the named person is read by opening the follow-up.
        export=[
            "opened_on",
            "partner",
            "territory",
            "age_band",
            "gender",
            "reason",
            "outcome",
            "closed_on",
        ],
        filters=["outcome", "age_band"],
        search=["reason", "partner__name"],
        select_related=("partner", "territory"),
        form=PartnerFollowUpForm,
        panels=[
            FieldRowPanel([select("partner"), select("territory")]),
            row("age_band", "gender"),
            FieldPanel("reason"),
            row("opened_on", "outcome", "closed_on"),
            InlinePanel("steps", label=_("Étape"), heading=_("Étapes")),
            MultiFieldPanel(
                [FieldPanel("person"), FieldPanel("consent_method")],
                heading=_("Personne nommée (seulement avec son accord)"),
            ),
        ],
    ),
    record_viewset(
        CommunicationAction,
        "mail",
        _("Actions de communication"),
        columns=["date", "kind", "territory", "residence", "people_met"],
        export=[
            "date",
            "kind",
            "territory",
            "residence",
            "description",
            "doors_knocked",
            "leaflets",
            "people_met",
        ],
        filters=["kind"],
        choices={"territory": Territory, "residence": Residence},
        search=["description"],
        select_related=("territory", "residence"),
        panels=[
            row("kind", "date"),
            PLACE_ROW,
            FieldPanel("description"),
            row("doors_knocked", "leaflets", "people_met"),
        ],
    ),
    record_viewset(
        TenantCommittee,
        "group",
        _("Comités de locataires"),
        columns=["name", "territory", "residence", "supported_from", "supported_until"],
        search=["name", "support"],
        select_related=("territory", "residence"),
        panels=[
            FieldPanel("name"),
            PLACE_ROW,
            row("supported_from", "supported_until"),
            FieldPanel("support"),
        ],
    ),
    # For reading and export; mediators type the answers on their phone (/equipe/enquete/).
    record_viewset(
        KnowledgeSurveyAnswer,
        "help",
        _("Enquête de connaissance"),
        columns=["date", "territory", "place", *SURVEY_QUESTIONS],
        export=["date", "territory", "place", "age_band", *SURVEY_QUESTIONS],
        filters=["place"],
        panels=[
            FieldRowPanel([FieldPanel("date"), select("territory")]),
            row("place", "age_band"),
            *(FieldPanel(name) for name in SURVEY_QUESTIONS),
        ],
    ),
    record_viewset(
        CallForTender,
        "doc-full",
        _("Appels d'offre"),
        columns=["title", "issuer", "answered_on", "result", "decided_on"],
        export=["title", "issuer", "answered_on", "result", "decided_on", "amount"],
        filters=["result"],
        search=["title"],
        panels=[
            FieldPanel("title"),
            select("issuer"),
            row("answered_on", "result", "decided_on"),
            FieldPanel("amount"),
        ],
    ),
    record_viewset(
        TeamActivity,
        "calendar",
        _("Temps d'équipe"),
        columns=["date", "kind", "subject", "hours", "participants"],
        filters=["kind"],
        search=["subject"],
        panels=[row("kind", "date"), FieldPanel("subject"), row("hours", "participants")],
    ),
)


class ActivityViewSetGroup(SnippetViewSetGroup):
    items = ACTIVITY_VIEWSETS
    menu_icon = "folder-open-inverse"
    menu_label = _("Partenariats et actions")
    menu_name = "activities"


register_snippet(ActivityViewSetGroup)


# --- The service plan (community.plan): managers write it, mediators read it -------------------


class ServicePlanViewSet(BaseSnippetViewSet):
    model = ServicePlan
    icon = "list-ul"
    menu_label = _("Projets de service")
    list_display = ["title", "start_year", "end_year"]
    search_fields = ["title"]
    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("start_year"), FieldPanel("end_year")]),
    ]


class StakeViewSet(BaseSnippetViewSet):
    model = Stake
    icon = "list-ul"
    menu_label = _("Enjeux")
    list_display = ["__str__", "part", "plan", "sort_order"]
    list_filter = ["plan"]
    search_fields = ["title", "part"]
    list_select_related = ("plan",)
    panels = [
        FieldPanel("plan", widget=forms.Select),
        FieldPanel("part"),
        FieldRowPanel([FieldPanel("number"), FieldPanel("sort_order")]),
        FieldPanel("title"),
    ]


class AxisViewSet(BaseSnippetViewSet):
    model = Axis
    icon = "list-ul"
    menu_label = _("Axes")
    list_display = ["__str__", "stake", "sort_order"]
    list_filter = ["stake__plan"]
    search_fields = ["title", "why"]
    panels = [
        FieldPanel("stake", widget=forms.Select),
        FieldRowPanel([FieldPanel("number"), FieldPanel("sort_order")]),
        FieldPanel("title"),
        FieldPanel("why"),
    ]


class ObjectiveViewSet(BaseSnippetViewSet):
    model = Objective
    icon = "tick-inverse"
    menu_label = _("Objectifs opérationnels")
    list_display = ["text", "axis", "sort_order"]
    list_filter = ["axis__stake__plan", "axis"]
    search_fields = ["text"]
    panels = [
        FieldPanel("axis", widget=forms.Select),
        FieldPanel("text"),
        FieldPanel("sort_order"),
        InlinePanel(
            "corrective_actions", label=_("Action corrective"), heading=_("Actions correctives")
        ),
    ]


class PlanIndicatorViewSet(BaseSnippetViewSet):
    model = PlanIndicator
    icon = "doc-full"
    menu_label = _("Indicateurs du projet")
    list_display = ["label", "axis", "objective", "computed_key"]
    list_filter = ["axis__stake__plan", "kind"]
    search_fields = ["label"]
    edit_handler = ObjectList(
        [
            FieldPanel("axis", widget=forms.Select),
            FieldPanel("objective", widget=forms.Select),
            FieldPanel("label"),
            FieldRowPanel([FieldPanel("computed_key"), FieldPanel("kind")]),
            FieldPanel("sort_order"),
            InlinePanel("targets", label=_("Cible"), heading=_("Cibles par année")),
        ],
        base_form_class=PlanIndicatorForm,
    )


class IndicatorFigureViewSet(ScopedSnippetViewSet):
    model = IndicatorFigure
    icon = "form"
    menu_label = _("Chiffres saisis")
    list_display = ["indicator", "year", "territory", "value", "source"]
    filterset_class = scoped_filterset(IndicatorFigure, {"territory": Territory}, ["year"])
    list_export = ["indicator", "year", "territory", "value", "source"]
    search_fields = ["indicator__label", "source"]
    list_select_related = ("indicator", "territory")
    edit_handler = ObjectList(
        [
            FieldPanel("indicator", widget=forms.Select),
            FieldRowPanel(
                [
                    FieldPanel("year"),
                    FieldPanel("territory", widget=forms.Select),
                    FieldPanel("value"),
                ]
            ),
            FieldPanel("source"),
        ],
        base_form_class=IndicatorFigureForm,
    )


class ServicePlanViewSetGroup(SnippetViewSetGroup):
    items = (
        ServicePlanViewSet,
        StakeViewSet,
        AxisViewSet,
        ObjectiveViewSet,
        PlanIndicatorViewSet,
        IndicatorFigureViewSet,
    )
    menu_icon = "list-ul"
    menu_label = _("Projet de service")
    menu_name = "service-plan"


register_snippet(ServicePlanViewSetGroup)


@hooks.register("before_serve_document")
def refuse_agreement_documents_to_others(document, request):
    """An agreement's document: only for staff who see that agreement (on top of the private
    collection's restriction, which keeps everyone but staff out)."""
    if agreement_documents.may_download(request.user, document):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


@hooks.register("before_bulk_action")
def refuse_bulk_actions_on_foreign_objects(request, action_type, objects, action_class_instance):
    """Every bulk action of every app: one object the user may not see refuses it all."""
    admin_scoping.refuse_unless_visible(request, objects)


@hooks.register("before_delete_snippet")
def refuse_deleting_foreign_snippets(request, instances):
    """Runs before the delete confirmation page is shown too (single and bulk), so that page
    never lists a record the user may not see. A record other rows depend on is not deleted
    when the deletion is confirmed: the user is told why."""
    admin_scoping.refuse_unless_visible(request, instances)
    refusal = request.method == "POST" and admin_scoping.deletion_refusal(instances)
    if refusal:
        messages.error(request, refusal)
        viewset = type(instances[0]).snippet_viewset
        return redirect(viewset.get_url_name("list"))
    return None


@hooks.register("register_log_actions")
def register_community_log_actions(actions):
    actions.register_action(
        services.FOLLOW_UP_VIEW_ACTION,
        _("Ouverture d'une note de suivi"),
        _("Note de suivi consultée"),
    )


@hooks.register("register_log_actions")
def register_privacy_log_actions(actions):
    for action, label, message in (
        (privacy.EXPORT_ACTION, _("Export de données personnelles"), _("Données exportées")),
        (privacy.ANONYMISE_ACTION, _("Anonymisation d'une personne"), _("Personne anonymisée")),
        (privacy.ACCOUNT_DELETED_ACTION, _("Suppression d'un compte"), _("Compte supprimé")),
        (
            privacy.DATA_REQUEST_ACTION,
            _("Demande sur les données enregistrée"),
            _("Demande enregistrée"),
        ),
        (
            privacy.DATA_REQUEST_ANSWER_ACTION,
            _("Réponse à une demande sur les données"),
            _("Demande répondue"),
        ),
    ):
        actions.register_action(action, label, message)


@hooks.register("register_admin_urls")
def register_privacy_urls():
    return [
        path(
            "confidentialite/",
            include((privacy_admin.urlpatterns, "community_privacy")),
        )
    ]


class PrivacyMenuItem(MenuItem):
    def is_shown(self, request):
        return privacy.can_manage_requests(request.user)


@hooks.register("register_admin_menu_item")
def register_privacy_menu_item():
    return PrivacyMenuItem(
        _("Données personnelles"),
        reverse("community_privacy:requests"),
        icon_name="lock",
        order=950,
    )


@hooks.register("register_admin_urls")
def register_import_urls():
    return [path("community/import/", include((admin_views.urlpatterns, "community_import")))]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("community.add_importjob")


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("Import de tableurs"),
        reverse("community_import:upload"),
        icon_name="upload",
        order=900,
    )


@hooks.register("register_admin_urls")
def register_indicator_urls():
    return [path("indicateurs/", include((indicator_views.urlpatterns, "indicators")))]


class IndicatorsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("community.view_indicators")


class PlanMenuItem(MenuItem):
    def is_shown(self, request):
        return plan_views.can_see_plan(request.user)


class IndicatorsSubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        return request.user.has_perm("community.view_indicators") or plan_views.can_see_plan(
            request.user
        )


@hooks.register("register_admin_menu_item")
def register_indicators_menu_item():
    menu = Menu(
        items=[
            IndicatorsMenuItem(
                _("Tableau de bord"), reverse("indicators:dashboard"), icon_name="doc-full"
            ),
            IndicatorsMenuItem(
                _("Rapport annuel"), reverse("indicators:report"), icon_name="doc-full"
            ),
            PlanMenuItem(_("Projet de service"), reverse("indicators:plan"), icon_name="list-ul"),
        ]
    )
    return IndicatorsSubmenu(_("Indicateurs"), menu, icon_name="doc-full", order=850)


# --- Duplicate persons and their merge (community.merging.rules) ------------------------------------


@hooks.register("register_admin_urls")
def register_duplicates_urls():
    return [path("community/doublons/", include((merge_views.urlpatterns, "community_duplicates")))]


class DuplicatesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(merging.MERGE_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_duplicates_menu_item():
    return DuplicatesMenuItem(
        _("Doublons"), reverse("community_duplicates:list"), icon_name="group", order=910
    )


@hooks.register("register_log_actions")
def register_merge_log_action(actions):
    actions.register_action(
        merging.MERGE_ACTION, _("Fusion de deux fiches"), _("Fiche en double fusionnée")
    )
