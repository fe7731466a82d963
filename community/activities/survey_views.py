"""The mediators' phone page for the knowledge survey (/equipe/enquete/): four yes/no taps per
person met at the door or at a stand, the territory and today's date filled in. The rules are in
community.activities.rules."""

import secrets
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from community import permissions
from community.activities import rules as activities
from community.models import KnowledgeSurveyAnswer
from community.rule_errors import show_on_form

YES_NO = [("1", gettext_lazy("Oui")), ("0", gettext_lazy("Non"))]


def _yes_no(label):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Répondez par oui ou par non.")},
    )


class SurveyForm(forms.Form):
    knows_service = _yes_no(gettext_lazy("Connaissez-vous la médiation sociale de l'Agence ?"))
    knows_mediators = _yes_no(gettext_lazy("Connaissez-vous les médiateurs de votre quartier ?"))
    knows_missions = _yes_no(gettext_lazy("Savez-vous ce que font les médiateurs ?"))
    has_called_on = _yes_no(gettext_lazy("Avez-vous déjà fait appel à eux ?"))
    territory = forms.ModelChoiceField(
        label=gettext_lazy("Territoire"),
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": gettext_lazy("Choisissez un territoire.")},
    )
    place = forms.ChoiceField(
        label=gettext_lazy("Lieu"),
        choices=KnowledgeSurveyAnswer.Place.choices,
        initial=KnowledgeSurveyAnswer.Place.DOOR,
        widget=forms.RadioSelect,
    )
    client_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    QUESTIONS = activities.SURVEY_QUESTIONS

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        territories = permissions.visible_territories(user)
        self.fields["territory"].queryset = territories
        if not self.is_bound:
            self.initial.setdefault("client_key", secrets.token_urlsafe(24))
            only = list(territories[:2])
            if len(only) == 1:
                self.initial.setdefault("territory", only[0].pk)


def surveyor(view):
    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not activities.can_survey(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@require_http_methods(["GET", "POST"])
@surveyor
def survey(request):
    if request.method == "POST":
        form = SurveyForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                _row, created = activities.record_survey_answer(
                    request.user, form.cleaned_data, form.cleaned_data.get("client_key")
                )
            except ValidationError as exc:
                show_on_form(form, exc)
            else:
                if created:
                    messages.success(request, _("Réponses enregistrées. Merci !"))
                else:
                    messages.info(request, _("Ces réponses étaient déjà enregistrées."))
                return redirect("staff_survey:survey")
        status = 400
    else:
        form = SurveyForm(user=request.user)
        status = 200
    return render(
        request,
        "community/staff/survey.html",
        {"form": form, "today": activities.answers_today(request.user).count()},
        status=status,
    )
