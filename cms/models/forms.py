"""Forms residents and partners send: contact, newcomer welcome, service requests.

Submissions are stored (admin) and emailed to staff by a task; a newcomer request goes to the
mediators of the territory the resident names. The consent text shown is stored with each
submission.
"""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import (
    AbstractEmailForm,
    AbstractFormField,
    AbstractFormSubmission,
)
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from modelcluster.fields import ParentalKey

from community import ratelimit
from community.models import Territory
from community.services import mediators_of

DEFAULT_CONSENT = (
    "J'accepte que l'équipe de médiation utilise ces informations pour me répondre. "
    "Elles sont conservées le temps de traiter ma demande, au plus la durée fixée par notre "
    "politique de données personnelles."
)


class Submission(AbstractFormSubmission):
    """A form submission, with what the staff need beyond Wagtail's JSON of the answers."""

    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territoire"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="form_submissions",
    )
    consent_text = models.TextField(_("texte de consentement accepté"), blank=True)
    recipients = models.TextField(_("envoyée à"), blank=True)
    emailed_at = models.DateTimeField(_("envoyée par courriel le"), null=True, blank=True)

    # Scoped by community.permissions: a request without territory (contact, service) is read
    # by those who see every territory only.
    territory_field = "territory"

    class Meta:
        verbose_name = _("réponse à un formulaire")
        verbose_name_plural = _("réponses aux formulaires")
        ordering = ["-submit_time", "-pk"]
        indexes = [models.Index(fields=["submit_time"], name="cms_submission_time")]

    def __str__(self):
        return f"{self.page.title} · {self.submit_time:%d/%m/%Y %H:%M}"

    @property
    def summary(self) -> str:
        """The first answers, for a list of submissions."""
        values = [str(v) for k, v in self.form_data.items() if v and k != "territory"]
        return " · ".join(values)[:80]


RATE_LIMIT_SCOPE = "forms"
ratelimit.declare(RATE_LIMIT_SCOPE)


class SubmissionFormMixin(models.Model):
    """What every form page of the site shares: consent text, thank-you text, and a submission
    recorded and emailed through `cms.services`."""

    consent_text = models.TextField(
        _("texte de consentement"),
        default=DEFAULT_CONSENT,
        blank=True,
        help_text=_(
            "Affiché à côté d'une case à cocher obligatoire et enregistré avec chaque réponse. "
            "Laisser vide pour ne pas demander de consentement."
        ),
    )
    thank_you_text = RichTextField(
        _("message de remerciement"), blank=True, features=["bold", "italic", "link"]
    )

    email_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("Courriel à l'équipe"),
        ),
    ]

    class Meta:
        abstract = True

    def get_submissions_list_view_class(self):
        from cms.submission_exports import SafeSubmissionsListView  # noqa: PLC0415 -- circle: cms.submission_exports imports cms.models

        return SafeSubmissionsListView

    def get_submission_class(self):
        return Submission

    def get_form_class(self):
        base = super().get_form_class()
        extra = self.extra_form_fields()
        if not extra:
            return base
        return type(base.__name__, (base,), extra)

    def get_form(self, *args, **kwargs):
        """The form, with each field in error pointing to its message (and its help text) for
        screen readers."""
        form = super().get_form(*args, **kwargs)
        if form.is_bound and form.errors:
            for name in form.errors:
                if name not in form.fields:
                    continue
                bound = form[name]
                ids = [f"{bound.auto_id}_helptext"] if form.fields[name].help_text else []
                ids.append(f"{bound.auto_id}_erreur")
                form.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)
        return form

    def extra_form_fields(self) -> dict:
        fields = {}
        if self.consent_text:
            fields["consent"] = forms.BooleanField(
                label=self.consent_text,
                required=True,
                error_messages={"required": _("Cochez cette case pour envoyer votre demande.")},
            )
        return fields

    def serve(self, request, *args, **kwargs):
        """A POST over the public forms' rate limits is refused before the form is read."""
        if request.method == "POST":
            refusal = ratelimit.check(request, RATE_LIMIT_SCOPE, self.address_field_names())
            if refusal is not None:
                return refusal
        return super().serve(request, *args, **kwargs)

    def address_field_names(self) -> list[str]:
        """The fields where a person types an email or a phone (counted per address)."""
        return [
            field.clean_name
            for field in self.get_form_fields()
            if field.field_type in ("email", "tel")
            or any(word in field.clean_name for word in ("electronique", "mail", "telephone"))
        ]

    def process_form_submission(self, form):
        from cms import services  # noqa: PLC0415 -- circle: cms.services imports cms.models

        return services.record_submission(self, form)

    def submission_recipients(self, submission) -> list[str]:
        """The email addresses a submission is sent to (by default, the page's "to" field)."""
        return [a.strip() for a in self.to_address.split(",") if a.strip()]


class FormField(AbstractFormField):
    page = ParentalKey("FormPage", on_delete=models.CASCADE, related_name="form_fields")


class FormPage(SubmissionFormMixin, AbstractEmailForm):
    """Contact, or the newcomer welcome request ("protocole d'accueil des nouveaux arrivants")."""

    class Kind(models.TextChoices):
        CONTACT = "contact", _("Contact")
        NEWCOMER = "newcomer", _("Accueil des nouveaux arrivants")

    kind = models.CharField(
        _("type de formulaire"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.CONTACT,
        help_text=_(
            "Accueil des nouveaux arrivants : la personne choisit son territoire et la demande "
            "part aux médiateurs de ce territoire seulement."
        ),
    )
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [
        FormSubmissionsPanel(),
        *AbstractEmailForm.content_panels,
        FieldPanel("kind"),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Champs du formulaire")),
        FieldPanel("consent_text"),
        FieldPanel("thank_you_text"),
        *SubmissionFormMixin.email_panels,
    ]
    search_fields = [*AbstractEmailForm.search_fields, index.SearchField("intro")]

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("formulaire")
        verbose_name_plural = _("formulaires")

    def __str__(self):
        return self.title

    def extra_form_fields(self) -> dict:
        fields = {}
        if self.kind == self.Kind.NEWCOMER:
            fields["territory"] = forms.ModelChoiceField(
                queryset=Territory.objects.all(),
                label=_("Votre territoire"),
                empty_label=_("Choisissez votre territoire"),
                help_text=_("L'équipe de médiation de ce territoire vous répondra."),
                error_messages={"required": _("Choisissez votre territoire.")},
            )
        return {**fields, **super().extra_form_fields()}

    def submission_recipients(self, submission) -> list[str]:
        if self.kind == self.Kind.NEWCOMER:
            if submission.territory_id is None:
                return []
            emails = list(mediators_of(submission.territory_id).values_list("email", flat=True))
            if not emails and submission.territory.email:
                emails = [submission.territory.email]
            return emails
        return super().submission_recipients(submission)
