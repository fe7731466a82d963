"""The mediation day's public forms: one booking for several sessions, and a stand request."""

from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import Organisation
from events.signup.forms import SignupForm

STAND_CONSENT_TEXT = _(
    "J'accepte que Vivre Ensemble enregistre ces informations pour étudier notre demande de "
    "stand et me répondre."
)


class ProgrammeBookingForm(SignupForm):
    """The sign-up form with the sessions to pick; each session's checkbox is drawn in the
    timeline by the template."""

    sessions = forms.MultipleChoiceField(
        label=_("Les séances que je choisis"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins une séance.")},
    )

    field_order = ["sessions"]

    def __init__(self, *args, sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].choices = [(str(s.pk), s.title) for s in sessions]
        self.fields["accept_waitlist"].label = _(
            "Si une séance est complète, m'inscrire sur sa liste d'attente (les autres restent "
            "confirmées)"
        )

    def chosen_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data.get("sessions", [])]

    def chosen_values(self) -> set[str]:
        """The ticked sessions, kept when the form comes back with an error."""
        if self.is_bound:
            return set(self.data.getlist("sessions"))
        return set()


class StandRequestForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Votre organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("— autre, je l'écris ci-dessous —"),
    )
    organisation_name = forms.CharField(
        label=_("Nom de l'organisation, si elle n'est pas dans la liste"),
        max_length=200,
        required=False,
    )
    contact_name = forms.CharField(label=_("Personne à contacter"), max_length=150, required=False)
    contact_email = forms.CharField(
        label=_("Adresse électronique"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_phone = forms.CharField(
        label=_("Téléphone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        help_text=_("Une adresse électronique ou un téléphone est nécessaire."),
    )
    needs_table = forms.BooleanField(label=_("Nous avons besoin d'une table"), required=False)
    needs_power = forms.BooleanField(
        label=_("Nous avons besoin d'une prise électrique"), required=False
    )
    description = forms.CharField(
        label=_("Ce que vous présenterez (facultatif)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(label=STAND_CONSENT_TEXT)
