"""Forms of the mediators' phone pages: signing a resident up on their behalf, and walk-ins."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import AgeBand
from events.models.bookings import Booking
from events.signup.forms import CONSENT_TEXT, SignupForm

ASSISTED_SOURCES = [
    (Booking.Source.PHONE.value, _("Par téléphone")),
    (Booking.Source.DOOR_TO_DOOR.value, _("En porte-à-porte")),
    (Booking.Source.AT_VENUE.value, _("Sur place")),
]


class AssistedSignupForm(SignupForm):
    """The sign-up form, filled in by a mediator with the resident: the same fields and rules,
    plus how the resident gave their consent."""

    source = forms.ChoiceField(
        label=_("Comment la personne s'inscrit"),
        choices=ASSISTED_SOURCES,
        widget=forms.RadioSelect,
        initial=Booking.Source.PHONE.value,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].label = _("Son prénom")
        self.fields["last_name"].label = _("Son nom")
        self.fields["email"].help_text = _(
            "Facultatif. Sans adresse, la confirmation arrive sur votre liste d'appels."
        )
        self.fields["participates"].label = _("La personne participe elle-même")
        self.fields["age_band"].label = _("Sa tranche d'âge")
        self.fields["guardian_consent"].label = _(
            "La personne déclare être le responsable légal des enfants de moins de 15 ans "
            "inscrits et donne son accord."
        )
        self.fields["access_needs_consent"].label = _(
            "La personne accepte que ces besoins soient communiqués aux seuls organisateurs."
        )
        self.fields["accept_waitlist"].label = _(
            "S'il n'y a plus assez de places, l'inscrire sur la liste d'attente"
        )
        self.fields["consent"].label = _(
            "Je lui ai lu le texte ci-dessus et la personne a donné son accord."
        )
        self.fields["consent"].error_messages["required"] = _(
            "Sans l'accord de la personne, elle ne peut pas être inscrite."
        )
        if "sms_consent" in self.fields:
            self.fields["sms_consent"].label = _(
                "La personne préfère recevoir par SMS, sur ce numéro de portable, les messages "
                "de cette inscription (sinon ils sont sur votre liste d'appels)."
            )
            self.fields["sms_consent"].help_text = _(
                "Dites-lui qu'elle peut répondre STOP pour ne plus en recevoir."
            )

    consent_notice = CONSENT_TEXT

    def consent_text(self, user) -> str:
        """What is stored as the booking's consent: the text read out, how and by whom."""
        how = dict(ASSISTED_SOURCES)[self.cleaned_data["source"]]
        return _("%(text)s — Accord donné %(how)s, recueilli par %(who)s.") % {
            "text": CONSENT_TEXT,
            "how": str(how).lower(),
            "who": user.get_full_name() or user.email,
        }


class WalkInForm(forms.Form):
    count = forms.IntegerField(
        label=_("Nombre de personnes"),
        initial=1,
        error_messages={
            "required": _("Indiquez un nombre de personnes d'au moins 1."),
            "invalid": _("Indiquez un nombre de personnes d'au moins 1."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    age_band = forms.ChoiceField(
        label=_("Tranche d'âge"),
        choices=[("", _("— choisir —")), *AgeBand.choices],
        error_messages={"required": _("Indiquez la tranche d'âge.")},
    )
    first_name = forms.CharField(label=_("Prénom (facultatif)"), max_length=100, required=False)
    contact = forms.CharField(
        label=_("Téléphone ou adresse électronique (facultatif)"),
        max_length=254,
        required=False,
    )
    consent = forms.BooleanField(
        label=_("La personne accepte que son prénom et son contact soient notés."),
        required=False,
    )
    client_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    CONSENT_TEXT = _(
        "La personne a accepté que son prénom et son contact soient notés pour la suite de "
        "l'action ; ils sont anonymisés un an après l'événement."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_key", uuid.uuid4().hex)


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Chercher une personne (nom, courriel ou téléphone)"),
        max_length=100,
        required=False,
    )
