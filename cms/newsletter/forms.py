"""Forms of the newsletter: subscribing (public, account, paper sign-up) and sending."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.models import NewsletterTopic
from community.models import Territory


class InterestsForm(forms.Form):
    territories = forms.ModelMultipleChoiceField(
        label=_("Les nouvelles de quels territoires ?"),
        queryset=Territory.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Aucun coché : tous."),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Quels thèmes ?"),
        queryset=NewsletterTopic.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Aucun coché : tous."),
    )


class SubscribeForm(InterestsForm):
    email = forms.EmailField(
        label=_("Votre adresse électronique"),
        error_messages={"invalid": _("Saisissez une adresse électronique valide.")},
    )
    first_name = forms.CharField(label=_("Votre prénom"), max_length=100, required=False)
    consent = forms.BooleanField(
        label=_(
            "J'accepte de recevoir la lettre trimestrielle par courriel (désabonnement en un clic)."
        ),
        error_messages={"required": _("Cochez cette case pour vous abonner.")},
    )

    field_order = ["email", "first_name", "territories", "topics", "consent"]


class PaperSignupForm(SubscribeForm):
    """A sign-up gathered on paper at a stand, typed in by staff."""

    consent = forms.BooleanField(
        label=_("La personne a signé le bulletin d'abonnement (consentement écrit)."),
        error_messages={"required": _("Sans consentement signé, l'abonnement n'est pas possible.")},
    )


class SendForm(forms.Form):
    AUDIENCE_CHOICES = [
        ("all", _("Tous les abonnés")),
        ("some", _("Certains territoires ou thèmes")),
    ]

    audience = forms.ChoiceField(
        label=_("Destinataires"), choices=AUDIENCE_CHOICES, widget=forms.RadioSelect, initial="all"
    )
    territories = forms.ModelMultipleChoiceField(
        label=_("Territoires"),
        queryset=Territory.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Les abonnés qui ont choisi l'un d'eux, ou qui y habitent."),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Thèmes"),
        queryset=NewsletterTopic.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Avec des thèmes cochés : seuls les abonnés qui ont choisi l'un d'eux."),
    )
    scheduled_at = forms.DateTimeField(
        label=_("Programmer l'envoi le"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Laisser vide pour envoyer maintenant."),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )

    def clean_scheduled_at(self):
        value = self.cleaned_data.get("scheduled_at")
        if value and value < timezone.now():
            raise forms.ValidationError(_("Cette date est passée."))
        return value

    def clean(self):
        data = super().clean()
        if (
            data.get("audience") == "some"
            and not data.get("territories")
            and not data.get("topics")
        ):
            raise forms.ValidationError(_("Choisissez au moins un territoire ou un thème."))
        return data
