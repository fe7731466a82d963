"""A resident's account area: their profile, their data as one JSON file, and deleting their
account. Thin: the rules are in community.privacy.rules.

The download and the deletion ask for the password again (allauth's re-authentication, valid
ACCOUNT_REAUTHENTICATION_TIMEOUT seconds): a session left open on a shared computer, or taken
over, must not hand out everything or erase it. The suspended POST resumes once it is typed."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from allauth.account.decorators import reauthentication_required

from community import services
from community.models import AgeBand, Territory
from community.normalise import normalise_phone
from community.privacy import rules as privacy
from community.rule_errors import show_on_form


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=gettext_lazy("Prénom"), max_length=100)
    last_name = forms.CharField(label=gettext_lazy("Nom"), max_length=100, required=False)
    phone = forms.CharField(
        label=gettext_lazy("Téléphone"),
        max_length=20,
        required=False,
        help_text=gettext_lazy(
            "Pour que l'équipe puisse vous appeler. Un numéro saisi ici n'est pas vérifié : il "
            "ne donne accès à aucune inscription faite sous ce numéro."
        ),
    )
    territory = forms.ModelChoiceField(
        label=gettext_lazy("Votre quartier"),
        queryset=Territory.objects.all(),
        required=False,
        empty_label=gettext_lazy("Je préfère ne pas le dire"),
    )
    age_band = forms.ChoiceField(
        label=gettext_lazy("Votre âge"),
        choices=[("", gettext_lazy("Je préfère ne pas le dire")), *AgeBand.choices],
        required=False,
    )

    def clean_phone(self):
        try:
            return normalise_phone(self.cleaned_data["phone"]) or ""
        except ValidationError as exc:
            raise ValidationError(exc.messages[0]) from exc


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "Je veux supprimer mon compte et mes données personnelles. Je sais que c'est définitif."
        ),
        required=False,
    )

    def clean_confirm(self):
        if not self.cleaned_data.get("confirm"):
            raise ValidationError(_("Cochez la case pour confirmer la suppression."))
        return True


@login_required
def account(request):
    person = services.link_person_to_user(request.user)
    initial = {}
    if person is not None:
        initial = {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "phone": person.phone or "",
            "territory": person.territory_id,
            "age_band": person.age_band,
        }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            privacy.update_profile(request.user, **form.cleaned_data)
        except (ValidationError, privacy.ProfileError) as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("Votre profil est enregistré."))
            return redirect("community:account")
    return render(
        request,
        "community/account.html",
        {"form": form, "person": person},
    )


@login_required
@require_POST
@reauthentication_required
def download_data(request):
    person = privacy.person_of(request.user)
    if person is None:
        messages.error(
            request,
            _("Aucune donnée n'est rattachée à votre compte : confirmez d'abord votre adresse."),
        )
        return redirect("community:account")
    response = HttpResponse(
        privacy.export_json(person, by=request.user), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-vivre-ensemble.json"'
    return response


@login_required
@reauthentication_required(allow_get=True)
def delete_account(request):
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            privacy.delete_account(request.user)
        except ValidationError as exc:
            show_on_form(form, exc)
        else:
            logout(request)
            messages.success(
                request,
                _("Votre compte est supprimé et vos données personnelles sont effacées."),
            )
            return redirect("/")
    return render(request, "community/account_delete.html", {"form": form})
