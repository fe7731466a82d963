"""The mediators' phone page to log an intervention (/equipe/interventions/): pick a kind,
tap "Enregistrer"; the territory and today's date are filled in. Today's list below, which its
author may correct or delete until midnight. The rules are in community.interventions.rules."""

import secrets
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from community import permissions
from community.interventions import rules as interventions
from community.models import Intervention, InterventionKind, Organisation, Residence
from community.rule_errors import show_on_form


class KindChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # A detail of a kind ("Table ronde" of "Gestion de conflits") is marked as such.
        return f"↳ {obj.name}" if obj.parent_id else obj.name


class InterventionForm(forms.Form):
    kind = KindChoiceField(
        label=gettext_lazy("Type d'intervention"),
        queryset=InterventionKind.objects.filter(active=True).order_by("sort_order", "name"),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": gettext_lazy("Choisissez un type d'intervention.")},
    )
    territory = forms.ModelChoiceField(
        label=gettext_lazy("Territoire"),
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": gettext_lazy("Choisissez un territoire.")},
    )
    people = forms.IntegerField(
        label=gettext_lazy("Nombre de personnes"),
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        error_messages={"required": gettext_lazy("Indiquez le nombre de personnes.")},
    )
    date = forms.DateField(
        label=gettext_lazy("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": gettext_lazy("Indiquez la date de l'intervention.")},
    )
    residence = forms.ModelChoiceField(
        label=gettext_lazy("Résidence (facultatif)"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("—"),
    )
    partner = forms.ModelChoiceField(
        label=gettext_lazy("Mise en relation avec (facultatif)"),
        queryset=Organisation.objects.exclude(kind=Organisation.Kind.FUNDER).order_by("name"),
        required=False,
        empty_label=gettext_lazy("—"),
    )
    people_0_14 = forms.IntegerField(label=gettext_lazy("0 à 14 ans"), required=False)
    people_15_24 = forms.IntegerField(label=gettext_lazy("15 à 24 ans"), required=False)
    people_25_59 = forms.IntegerField(label=gettext_lazy("25 à 59 ans"), required=False)
    people_60_plus = forms.IntegerField(label=gettext_lazy("60 ans et plus"), required=False)
    women = forms.IntegerField(label=gettext_lazy("Femmes"), required=False)
    men = forms.IntegerField(label=gettext_lazy("Hommes"), required=False)
    client_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    DETAIL_FIELDS = ("residence", "partner")
    SPLIT_FIELDS = (*Intervention.AGE_FIELDS, "women", "men")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        territories = permissions.visible_territories(user)
        self.fields["territory"].queryset = territories
        self.fields["residence"].queryset = permissions.restrict_to_visible(
            Residence.objects.select_related("territory").order_by("name"), user
        )
        for name in self.SPLIT_FIELDS:
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "min": 0})
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())
            self.initial.setdefault("client_key", secrets.token_urlsafe(24))
            only = list(territories[:2])
            if len(only) == 1:
                self.initial.setdefault("territory", only[0].pk)

    def kind_families(self) -> list[dict]:
        """The kind tiles in order, each active sub-kind under its parent kind:
        [{"radio": parent's radio, "children": [sub-kinds' radios]}]."""
        radios = list(self["kind"])
        kind_of = {radio.data["value"].value: radio.data["value"].instance for radio in radios}
        children: dict[int, list] = {}
        for radio in radios:
            parent_id = kind_of[radio.data["value"].value].parent_id
            if parent_id in kind_of:
                children.setdefault(parent_id, []).append(radio)
        return [
            {"radio": radio, "children": children.get(radio.data["value"].value, [])}
            for radio in radios
            if kind_of[radio.data["value"].value].parent_id not in kind_of
        ]

    def describe_errors(self) -> None:
        """Point each field at fault to its message (aria-describedby), for screen readers."""
        for name in self.errors:
            if name in self.fields and name not in ("kind", "territory"):
                self.fields[name].widget.attrs["aria-describedby"] = f"{name}-error"


def staff_logger(view):
    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not interventions.can_log(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _page(request, form, status=200, editing=None):
    if form.is_bound:
        form.describe_errors()
    return render(
        request,
        "community/staff/interventions.html",
        {
            "form": form,
            "editing": editing,
            "today": list(interventions.logged_today(request.user)),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@staff_logger
def log(request):
    if request.method == "POST":
        form = InterventionForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                row, created = interventions.log_intervention(
                    request.user, form.cleaned_data, form.cleaned_data.get("client_key")
                )
            except ValidationError as exc:
                show_on_form(form, exc)
            else:
                if created:
                    messages.success(
                        request,
                        _("Intervention enregistrée : %(kind)s, %(people)s personne(s).")
                        % {"kind": row.kind.name, "people": row.people},
                    )
                else:
                    messages.info(request, _("Cette intervention était déjà enregistrée."))
                return redirect("staff_interventions:log")
        return _page(request, form, status=400)
    return _page(request, InterventionForm(user=request.user))


def _editable(request, pk) -> Intervention:
    intervention = (
        Intervention.objects.filter(pk=pk, author=request.user).select_related("kind").first()
    )
    if intervention is None or not permissions.can_see_territory(
        request.user, intervention.territory_id
    ):
        raise Http404
    return intervention


@require_http_methods(["GET", "POST"])
@staff_logger
def edit(request, pk: int):
    intervention = _editable(request, pk)
    if not interventions.can_edit(request.user, intervention):
        messages.error(request, _("Une intervention ne se modifie que le jour de sa saisie."))
        return redirect("staff_interventions:log")
    if request.method == "POST":
        form = InterventionForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                interventions.update_intervention(request.user, intervention.pk, form.cleaned_data)
            except ValidationError as exc:
                show_on_form(form, exc)
            else:
                messages.success(request, _("Intervention modifiée."))
                return redirect("staff_interventions:log")
        return _page(request, form, status=400, editing=intervention)
    initial = {name: getattr(intervention, name) for name in interventions.FIELDS}
    initial.update(
        {
            "kind": intervention.kind_id,
            "territory": intervention.territory_id,
            "residence": intervention.residence_id,
            "partner": intervention.partner_id,
        }
    )
    return _page(
        request, InterventionForm(initial=initial, user=request.user), editing=intervention
    )


@require_POST
@staff_logger
def delete(request, pk: int):
    intervention = _editable(request, pk)
    try:
        interventions.delete_intervention(request.user, intervention.pk)
    except PermissionDenied:
        messages.error(request, _("Une intervention ne se modifie que le jour de sa saisie."))
    else:
        messages.success(request, _("Intervention supprimée."))
    return redirect("staff_interventions:log")
