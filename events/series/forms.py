"""Forms of the Café Médiation pages: follow a series, propose a topic, answer a survey, and
the mediators' summary and paper answer."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from community import identity
from community.models import AgeBand
from events.models import Topic
from events.series.rules import SUMMARY_MAX_LENGTH
from events.signup.forms import (
    EXTRA_PARTICIPANTS,
    GUARDIAN_TEXT,
    CompanionFields,
    contact_fields,
)
from events.signup.rules import Contact, ParticipantData, SignupError, check_party

FOLLOW_CONSENT_TEXT = _(
    "J'accepte que Vivre Ensemble enregistre ces informations pour m'inscrire à chaque séance "
    "du cycle et me prévenir. J'arrête quand je veux, depuis le lien reçu par courriel."
)
ADULT_BANDS = [("", _("— choisir —"))] + [c for c in AgeBand.choices if c[0] != AgeBand.CHILD]


class FollowForm(CompanionFields, forms.Form):
    first_name, last_name, email, phone = contact_fields(
        _("Pour recevoir les rappels. Sans adresse, un médiateur vous appellera.")
    )
    age_band = forms.ChoiceField(label=_("Ma tranche d'âge"), choices=ADULT_BANDS)
    guardian_consent = forms.BooleanField(label=GUARDIAN_TEXT, required=False)
    consent = forms.BooleanField(label=FOLLOW_CONSENT_TEXT)
    # How many companion blocks the resident has opened ("+ Ajouter une personne").
    companion_rows = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=EXTRA_PARTICIPANTS
    )

    def __init__(self, *args, on_demand: bool = True, add_companion: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_companion_fields(on_demand, add_companion)

    def clean(self):
        """Every error in one pass: the fields, the companions, then the rules' checks of the
        contact and the party (the rule runs them again when following)."""
        data = super().clean()
        self.clean_companions(data)
        problems = []
        contact = Contact(
            data.get("first_name", ""),
            data.get("last_name", ""),
            data.get("email", ""),
            data.get("phone", ""),
            data.get("age_band", ""),
        )
        try:
            identity.clean(contact)
        except ValidationError as exc:
            problems.append(exc)
        if data.get("age_band"):
            party = [ParticipantData(contact.first_name or "-", data["age_band"])]
            party += [ParticipantData(p.first_name, p.age_band) for p in self.companions_data(data)]
            try:
                check_party(party, contact, data.get("guardian_consent", False))
            except SignupError as exc:
                problems.append(exc)
        self.show_rule_errors(problems)
        return data

    def contact(self) -> Contact:
        data = self.cleaned_data
        return Contact(
            data["first_name"],
            data["last_name"],
            data.get("email", ""),
            data.get("phone", ""),
            data["age_band"],
        )


class TopicForm(forms.Form):
    text = forms.CharField(
        label=_("Le sujet que vous proposez"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": Topic.MAX_LENGTH}),
        help_text=_("En une phrase. Un médiateur le relit avant qu'il soit affiché."),
    )


class SurveyForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Votre note, de 1 (pas du tout satisfait) à 5 (très satisfait)"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez une note de 1 à 5."),
            "invalid_choice": _("Choisissez une note de 1 à 5."),
        },
    )
    comment = forms.CharField(
        label=_("Un commentaire (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SummaryForm(forms.Form):
    text = forms.CharField(
        label=_("Compte rendu de la séance"),
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Publié sur la page de la séance. Aucun nom d'habitant."),
    )
