"""Public forms: "I want to join" a working group, and a resident's voice."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from community.models import AgeBand, Territory, VoiceTheme
from community.normalise import normalise_phone


class JoinRequestForm(forms.Form):
    name = forms.CharField(label=_("Votre nom"), max_length=150)
    email = forms.EmailField(label=_("Adresse électronique"), required=False)
    phone = forms.CharField(
        label=_("Téléphone"),
        max_length=20,
        required=False,
        help_text=_("L'adresse ou le téléphone suffit : l'un des deux."),
    )
    message = forms.CharField(
        label=_("Un message (facultatif)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    consent = forms.BooleanField(
        label=_("J'accepte que l'équipe de médiation me recontacte au sujet de ce groupe."),
        required=False,
    )

    def clean_phone(self):
        try:
            return normalise_phone(self.cleaned_data["phone"]) or ""
        except ValidationError as exc:
            raise ValidationError(exc.messages[0]) from exc

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("email")
            and not cleaned.get("phone")
            and not self.has_error("email")
            and not self.has_error("phone")
        ):
            raise ValidationError(
                _(
                    "Laissez une adresse électronique ou un numéro de téléphone pour être recontacté."
                )
            )
        if not cleaned.get("consent"):
            self.add_error(
                "consent",
                _("Cochez cette case pour que l'équipe puisse vous recontacter."),
            )
        return cleaned


class VoiceForm(forms.Form):
    text = forms.CharField(
        label=_("Votre idée, votre besoin, ce que vous voulez dire"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
    )
    territory = forms.ModelChoiceField(
        label=_("Votre quartier"), queryset=Territory.objects.all(), empty_label=_("Choisissez")
    )
    theme = forms.ModelChoiceField(
        label=_("Thème (facultatif)"), queryset=VoiceTheme.objects.all(), required=False
    )
    age_band = forms.ChoiceField(
        label=_("Votre âge (facultatif)"),
        choices=[("", _("Je préfère ne pas le dire")), *AgeBand.choices],
        required=False,
    )
    wants_contact = forms.BooleanField(
        label=_("Je souhaite que l'équipe me recontacte."), required=False
    )
    contact_name = forms.CharField(label=_("Votre nom"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("Adresse électronique"), required=False)
    contact_phone = forms.CharField(label=_("Téléphone"), max_length=20, required=False)
    consent = forms.BooleanField(
        label=_(
            "J'accepte que l'équipe garde mon nom et mes coordonnées pour me recontacter à ce sujet."
        ),
        required=False,
    )

    def clean_contact_phone(self):
        try:
            return normalise_phone(self.cleaned_data["contact_phone"]) or ""
        except ValidationError as exc:
            raise ValidationError(exc.messages[0]) from exc

    def clean(self):
        cleaned = super().clean()
        gave_contact = any(
            cleaned.get(key) for key in ("contact_name", "contact_email", "contact_phone")
        )
        missing = not (cleaned.get("contact_email") or cleaned.get("contact_phone")) and not (
            self.has_error("contact_email") or self.has_error("contact_phone")
        )
        if cleaned.get("wants_contact") and missing:
            self.add_error(
                "contact_email",
                _("Pour être recontacté, laissez une adresse électronique ou un téléphone."),
            )
        if (cleaned.get("wants_contact") or gave_contact) and not cleaned.get("consent"):
            self.add_error(
                "consent",
                _(
                    "Cochez cette case pour que nous gardions vos coordonnées, ou effacez-les "
                    "pour envoyer votre message sans nom."
                ),
            )
        return cleaned
