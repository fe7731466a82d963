"""The sign-up forms residents fill in: who they are, who comes, and what they agree to."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from community import identity, sms
from community.models import AgeBand
from community.rule_errors import messages_by_field
from events.signup.rules import (
    Contact,
    ParticipantData,
    SignupError,
    check_party,
    check_sms_consent,
)

CONSENT_TEXT = _(
    "J'accepte que Vivre Ensemble enregistre ces informations pour gérer mon inscription et "
    "me contacter au sujet de cet événement. Elles sont anonymisées un an après l'événement."
)
GUARDIAN_TEXT = _(
    "Je suis le responsable légal des enfants de moins de 15 ans que j'inscris et je donne mon accord."
)
SMS_CONSENT_TEXT = _(
    "Je préfère recevoir par SMS, sur ce numéro de portable, les messages de cette inscription "
    "(confirmation, rappel, changement)."
)
SMS_CONSENT_HELP = _("Répondez STOP à l'un de ces SMS pour ne plus en recevoir.")
ACCESS_CONSENT_TEXT = _(
    "J'accepte que ces besoins soient communiqués aux seuls organisateurs ; ils seront effacés "
    "un mois après l'événement."
)
AGE_CHOICES = [("", _("— choisir —")), *AgeBand.choices]
EXTRA_PARTICIPANTS = 5


class CompanionFields:
    """The companion blocks of the forms that sign a party up (a one-off sign-up, following a
    series): a first name and an age band each, shown on demand ("+ Ajouter une personne")
    or all at once. The form declares `guardian_consent` and a hidden `companion_rows`."""

    def add_companion_fields(self, on_demand: bool, add_companion: bool) -> None:
        """`on_demand`: one companion block, and a button to add another (the public forms);
        otherwise every block is shown. `add_companion`: one more block than last time."""
        self.on_demand = on_demand
        for index in range(1, EXTRA_PARTICIPANTS + 1):
            self.fields[f"other_first_name_{index}"] = forms.CharField(
                label=_("Prénom de la personne %(n)s") % {"n": index},
                max_length=100,
                required=False,
            )
            self.fields[f"other_age_band_{index}"] = forms.ChoiceField(
                label=_("Tranche d'âge de la personne %(n)s") % {"n": index},
                choices=AGE_CHOICES,
                required=False,
            )
        self.visible_rows = self._visible_rows(add_companion) if on_demand else EXTRA_PARTICIPANTS
        self.initial["companion_rows"] = self.visible_rows

    def _visible_rows(self, add_companion: bool) -> int:
        """The companion blocks opened so far (at least one, and every filled one)."""
        source = self.data if self.is_bound else self.initial
        try:
            opened = int(source.get("companion_rows") or 1)
        except (TypeError, ValueError):
            opened = 1
        filled = [
            i
            for i in range(1, EXTRA_PARTICIPANTS + 1)
            if source.get(f"other_first_name_{i}") or source.get(f"other_age_band_{i}")
        ]
        rows = max(opened, *filled, 1) + (1 if add_companion else 0)
        return min(rows, EXTRA_PARTICIPANTS)

    def other_rows(self):
        return [
            (self[f"other_first_name_{i}"], self[f"other_age_band_{i}"])
            for i in range(1, self.visible_rows + 1)
        ]

    def can_add_companion(self) -> bool:
        return self.on_demand and self.visible_rows < EXTRA_PARTICIPANTS

    def as_reopened(self, **kwargs):
        """The same answers in an unbound form (no errors shown), with one more companion block:
        what "+ Ajouter une personne" returns."""
        initial = {name: self[name].data for name in self.fields}
        return type(self)(initial=initial, on_demand=True, add_companion=True, **kwargs)

    def clean_companions(self, data) -> None:
        """A companion needs both a first name and an age band."""
        for index in range(1, EXTRA_PARTICIPANTS + 1):
            name = (data.get(f"other_first_name_{index}") or "").strip()
            band = data.get(f"other_age_band_{index}")
            if name and not band:
                self.add_error(
                    f"other_age_band_{index}", _("Indiquez la tranche d'âge de cette personne.")
                )
            if band and not name:
                self.add_error(
                    f"other_first_name_{index}", _("Indiquez le prénom de cette personne.")
                )

    def companions_data(self, data=None) -> list[ParticipantData]:
        data = data if data is not None else self.cleaned_data
        people = []
        for index in range(1, EXTRA_PARTICIPANTS + 1):
            name = (data.get(f"other_first_name_{index}") or "").strip()
            band = data.get(f"other_age_band_{index}")
            if name and band:
                people.append(ParticipantData(name, band))
        return people

    def show_rule_errors(self, problems) -> None:
        """The rules' refusals (raised when checking the contact and the party) on their
        fields, unless the field already says what is wrong."""
        for problem in problems:
            for field, messages in messages_by_field(problem):
                target = field if field in self.fields else None
                if target is not None and target in self.errors:
                    continue
                for message in messages:
                    self.add_error(target, message)


def contact_fields(email_help, phone_help=""):
    """The contact of a party's form (a one-off sign-up, following a series), in this order:
    first name, last name, email, phone (either of the last two is enough)."""
    return (
        forms.CharField(label=_("Prénom"), max_length=100),
        forms.CharField(label=_("Nom"), max_length=100),
        forms.CharField(
            label=_("Adresse électronique"),
            max_length=254,
            required=False,
            widget=forms.EmailInput(attrs={"autocomplete": "email"}),
            help_text=email_help,
        ),
        forms.CharField(
            label=_("Téléphone"),
            max_length=30,
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            help_text=phone_help,
        ),
    )


class SignupForm(CompanionFields, forms.Form):
    first_name, last_name, email, phone = contact_fields(
        _("Pour recevoir la confirmation. Sans adresse, un médiateur vous appellera."),
        _("Une adresse électronique ou un téléphone est nécessaire."),
    )
    sms_consent = forms.BooleanField(
        label=SMS_CONSENT_TEXT, help_text=SMS_CONSENT_HELP, required=False
    )
    participates = forms.BooleanField(
        label=_("Je participe moi-même"), required=False, initial=True
    )
    age_band = forms.ChoiceField(label=_("Ma tranche d'âge"), choices=AGE_CHOICES, required=False)
    guardian_consent = forms.BooleanField(label=GUARDIAN_TEXT, required=False)
    access_needs = forms.CharField(
        label=_("Besoins d'accessibilité (facultatif)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Par exemple : fauteuil roulant, boucle magnétique, accompagnement."),
    )
    access_needs_consent = forms.BooleanField(label=ACCESS_CONSENT_TEXT, required=False)
    accept_waitlist = forms.BooleanField(
        label=_("S'il n'y a plus assez de places, m'inscrire sur la liste d'attente"),
        required=False,
        initial=True,
    )
    consent = forms.BooleanField(label=CONSENT_TEXT)
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    # How many companion blocks the resident has opened ("+ Ajouter une personne").
    companion_rows = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=EXTRA_PARTICIPANTS
    )

    def __init__(self, *args, on_demand: bool = False, add_companion: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)
        if not sms.enabled():
            del self.fields["sms_consent"]  # no texts on this installation: none offered
        self.add_companion_fields(on_demand, add_companion)

    def clean(self):
        data = super().clean()
        if data.get("participates") and not data.get("age_band"):
            self.add_error("age_band", _("Indiquez votre tranche d'âge."))
        self.clean_companions(data)
        if not data.get("participates") and not self.participants_data(data):
            self.add_error("participates", _("Indiquez au moins une personne qui participe."))
        self._check_rules(data)
        return data

    def _check_rules(self, data) -> None:
        """The sign-up rules' checks of the contact and the party, run here too so that every
        error shows in one pass (the rules run them again when registering)."""
        contact = Contact(
            data.get("first_name", ""),
            data.get("last_name", ""),
            data.get("email", ""),
            data.get("phone", ""),
            data.get("age_band", ""),
        )
        problems = []
        try:
            identity.clean(contact)
        except ValidationError as exc:
            problems.append(exc)
        # A missing name is already said on its field: the party's own checks go on.
        participants = [
            ParticipantData(p.first_name or "-", p.age_band) for p in self.participants_data(data)
        ]
        if participants:
            try:
                check_party(participants, contact, data.get("guardian_consent", False))
            except SignupError as exc:
                problems.append(exc)
        try:
            check_sms_consent(contact, data.get("sms_consent", False))
        except SignupError as exc:
            problems.append(exc)
        self.show_rule_errors(problems)

    def participants_data(self, data=None) -> list[ParticipantData]:
        data = data if data is not None else self.cleaned_data
        people = []
        if data.get("participates") and data.get("age_band"):
            people.append(ParticipantData(data.get("first_name", ""), data["age_band"]))
        return people + self.companions_data(data)

    def contact(self) -> Contact:
        data = self.cleaned_data
        return Contact(
            data["first_name"],
            data["last_name"],
            data.get("email", ""),
            data.get("phone", ""),
            data.get("age_band", ""),
        )
