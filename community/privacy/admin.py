"""The managers' privacy screens in the admin: data requests made by letter or at the desk (find
a person, export their data, anonymise them, the request and the answer logged), what the next
retention run will remove, and the audit list. Thin: the rules are in community.privacy.rules."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from community.models import DataRequest, Person
from community.privacy import rules as privacy
from community.rule_errors import show_on_form


def _require(request):
    if not privacy.can_manage_requests(request.user):
        raise PermissionDenied


class NewRequestForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Demande"), choices=DataRequest.Kind.choices)
    channel = forms.ChoiceField(
        label=gettext_lazy("Reçue par"), choices=DataRequest.Channel.choices
    )
    received_on = forms.DateField(
        label=gettext_lazy("Reçue le"), widget=forms.DateInput(attrs={"type": "date"})
    )
    details = forms.CharField(
        label=gettext_lazy("Détails"),
        help_text=gettext_lazy("Ce que la personne demande, comment son identité a été vérifiée."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Réponse"),
        choices=[c for c in DataRequest.Outcome.choices if c[0] != DataRequest.Outcome.OPEN],
    )
    answer = forms.CharField(
        label=gettext_lazy("Réponse apportée"),
        help_text=gettext_lazy(
            "Ce qui a été transmis ou fait, et comment la personne a été informée."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "Je confirme : l'anonymisation efface définitivement les données de la personne."
        ),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == DataRequest.Outcome.ANONYMISED and not cleaned.get("confirm"):
            self.add_error("confirm", _("Cochez la case pour confirmer l'anonymisation."))
        return cleaned


def requests_list(request):
    """Open and answered requests, and the search for a person to record a new one."""
    _require(request)
    query = request.GET.get("q", "")[:100]
    persons = list(privacy.find_persons(query)) if query else []
    requests = DataRequest.objects.select_related("person", "answered_by")[:100]
    return TemplateResponse(
        request,
        "community/admin/privacy_requests.html",
        {
            "page_title": _("Demandes sur les données personnelles"),
            "header_icon": "user",
            "query": query,
            "persons": persons,
            "requests": requests,
        },
    )


def new_request(request, person_pk):
    _require(request)
    person = get_object_or_404(Person.objects.active(), pk=person_pk)
    form = NewRequestForm(request.POST or None, initial={"received_on": None})
    if request.method == "POST" and form.is_valid():
        data_request = privacy.record_request(request.user, person=person, **form.cleaned_data)
        messages.success(request, _("Demande enregistrée."))
        return redirect("community_privacy:request", pk=data_request.pk)
    return TemplateResponse(
        request,
        "community/admin/privacy_request_new.html",
        {
            "page_title": _("Nouvelle demande"),
            "page_subtitle": str(person),
            "header_icon": "user",
            "person": person,
            "form": form,
        },
    )


def request_detail(request, pk):
    _require(request)
    data_request = get_object_or_404(
        DataRequest.objects.select_related("person", "answered_by", "created_by"), pk=pk
    )
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            privacy.answer_request(
                request.user,
                data_request.pk,
                outcome=form.cleaned_data["outcome"],
                answer=form.cleaned_data["answer"],
            )
        except ValidationError as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("Réponse enregistrée."))
            return redirect("community_privacy:request", pk=data_request.pk)
    return TemplateResponse(
        request,
        "community/admin/privacy_request.html",
        {
            "page_title": _("Demande sur les données personnelles"),
            "page_subtitle": str(data_request),
            "header_icon": "user",
            "data_request": data_request,
            "form": form,
        },
    )


@require_POST
def request_export(request, pk):
    """Download the person's data as one JSON file (POST, so a guessed link exports nothing;
    every export is logged)."""
    _require(request)
    data_request = get_object_or_404(DataRequest.objects.select_related("person"), pk=pk)
    person = data_request.person
    if person is None or person.anonymised_at is not None:
        messages.error(request, _("Cette personne a été anonymisée : il n'y a rien à exporter."))
        return redirect("community_privacy:request", pk=data_request.pk)
    body = privacy.export_json(person, by=request.user, data_request=data_request)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="donnees-personne-{person.pk}.json"'
    return response


def retention_preview(request):
    _require(request)
    return TemplateResponse(
        request,
        "community/admin/privacy_retention.html",
        {
            "page_title": _("Durées de conservation"),
            "header_icon": "time",
            "rows": privacy.preview_retention(),
        },
    )


def audit_list(request):
    _require(request)
    paginator = Paginator(privacy.audit_entries(), 50)
    page = paginator.get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "community/admin/privacy_audit.html",
        {
            "page_title": _("Journal des accès aux données personnelles"),
            "header_icon": "history",
            "page_obj": page,
        },
    )


urlpatterns = [
    path("", requests_list, name="requests"),
    path("personnes/<int:person_pk>/demande/", new_request, name="new_request"),
    path("demandes/<int:pk>/", request_detail, name="request"),
    path("demandes/<int:pk>/export.json", request_export, name="export"),
    path("conservation/", retention_preview, name="retention"),
    path("journal/", audit_list, name="audit"),
]
