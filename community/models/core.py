"""Who the agency is in touch with, where it works, and who on the staff works where."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.normalise import normalise_email, normalise_phone


class AgeBand(models.TextChoices):
    """The one fixed set of age bands every feature and indicator uses."""

    CHILD = "0-14", _("0 à 14 ans")
    YOUTH = "15-24", _("15 à 24 ans")
    ADULT = "25-59", _("25 à 59 ans")
    SENIOR = "60+", _("60 ans et plus")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required to create a user.")
        user = self.model(email=normalise_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff=True and is_superuser=True.")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class Territory(models.Model):
    """A team's sector: Lyon 7, Lyon 8, Lyon 9, EMH."""

    name = models.CharField(_("nom"), max_length=100, unique=True)
    full_name = models.CharField(
        _("nom développé"),
        max_length=200,
        blank=True,
        help_text=_("Quand le nom est un sigle (EMH) : son nom complet, affiché au survol et lu."),
    )
    slug = models.SlugField(_("identifiant d'URL"), max_length=100, unique=True)
    email = models.EmailField(_("adresse électronique de l'équipe"), blank=True)
    phone = models.CharField(_("téléphone de l'équipe"), max_length=20, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    territory_field = "pk"  # for community.permissions.restrict_records

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["sort_order", "name"]
        permissions = [("view_all_territories", _("Voir les données de tous les territoires"))]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A login: the email is the identifier; there is no username."""

    username = None
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    email = models.EmailField(_("adresse électronique"), unique=True)
    territories = models.ManyToManyField(
        Territory,
        verbose_name=_("territoires d'intervention"),
        related_name="staff",
        blank=True,
        help_text=_("Les territoires dont ce membre de l'équipe voit et gère les données."),
    )
    inactivity_warned_at = models.DateTimeField(
        _("prévenu de la suppression pour inactivité le"), null=True, blank=True, editable=False
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email) or ""
        super().save(*args, **kwargs)


class Organisation(models.Model):
    """A landlord, partner, funder, school, association or public body."""

    class Kind(models.TextChoices):
        LANDLORD = "landlord", _("Bailleur")
        PARTNER = "partner", _("Partenaire")
        FUNDER = "funder", _("Financeur")
        SCHOOL = "school", _("Établissement scolaire")
        ASSOCIATION = "association", _("Association")
        PUBLIC_BODY = "public_body", _("Institution publique")

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    website = models.URLField(_("site internet"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "kind"], name="organisation_name_kind_unique"),
        ]

    def __str__(self):
        return self.name


class Residence(models.Model):
    """A housing estate the agency works in."""

    name = models.CharField(_("nom"), max_length=200)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    territory = models.ForeignKey(
        Territory, verbose_name=_("territoire"), on_delete=models.PROTECT, related_name="residences"
    )
    landlord = models.ForeignKey(
        Organisation,
        verbose_name=_("bailleur"),
        on_delete=models.PROTECT,
        related_name="residences",
        null=True,
        blank=True,
        limit_choices_to={"kind": Organisation.Kind.LANDLORD},
    )
    homes = models.PositiveIntegerField(_("nombre de logements"), null=True, blank=True)
    renovation_project = models.TextField(
        _("projet de réhabilitation en cours"),
        blank=True,
        help_text=_("Travaux prévus ou en cours, calendrier, interlocuteur chez le bailleur."),
    )
    notes = models.TextField(_("notes"), blank=True)

    territory_field = "territory"

    class Meta:
        verbose_name = _("résidence")
        verbose_name_plural = _("résidences")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "territory"], name="residence_name_territory_unique"
            ),
        ]

    def __str__(self):
        return self.name


class PersonQuerySet(models.QuerySet):
    def active(self):
        return self.filter(anonymised_at__isnull=True)

    def with_email(self, email):
        return self.filter(email=normalise_email(email))


class Person(models.Model):
    """Anyone the agency is in touch with, with or without an account.

    Registrations, reference tenants, voices and subscribers point here, so a beneficiary is
    counted once. Anonymising blanks the personal fields and keeps the row for the figures.
    """

    first_name = models.CharField(_("prénom"), max_length=100, blank=True)
    last_name = models.CharField(_("nom"), max_length=100, blank=True)
    email = models.EmailField(_("adresse électronique"), null=True, blank=True)
    email_verified = models.BooleanField(_("adresse vérifiée"), default=False)
    phone = models.CharField(
        _("téléphone"),
        max_length=20,
        null=True,
        blank=True,
        help_text=_("Au format international (E.164)."),
    )
    phone_verified = models.BooleanField(_("téléphone vérifié"), default=False)
    age_band = models.CharField(
        _("tranche d'âge"), max_length=5, choices=AgeBand.choices, blank=True
    )
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territoire"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="persons",
    )
    user = models.OneToOneField(
        User,
        verbose_name=_("compte"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now, editable=False)
    anonymised_at = models.DateTimeField(_("anonymisée le"), null=True, blank=True, editable=False)

    objects = PersonQuerySet.as_manager()

    # For community.permissions.restrict_records: a person without territory is seen by staff
    # who see every territory (and where a query adds what else reaches them).
    territory_field = "territory"

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["last_name", "first_name", "pk"]
        permissions = [("merge_person", _("Fusionner des fiches en double"))]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="person_email_ci_unique",
                condition=models.Q(email__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["phone"],
                name="person_phone_unique",
                condition=models.Q(phone__isnull=False),
            ),
            models.CheckConstraint(
                condition=~models.Q(email=""), name="person_email_null_not_blank"
            ),
            models.CheckConstraint(
                condition=~models.Q(phone=""), name="person_phone_null_not_blank"
            ),
        ]
        indexes = [models.Index(fields=["territory", "age_band"], name="person_territory_age")]

    def __str__(self):
        if self.anonymised_at:
            return str(_("Personne anonymisée n° %(pk)s") % {"pk": self.pk})
        name = f"{self.first_name} {self.last_name}".strip()
        return name or self.email or self.phone or str(_("Personne n° %(pk)s") % {"pk": self.pk})

    def save(self, *args, **kwargs):
        # Stored normalised so matching by identifier is exact; blanks become NULL for uniqueness.
        self.email = normalise_email(self.email)
        self.phone = normalise_phone(self.phone)
        super().save(*args, **kwargs)


def territory_key(related_name: str, **options) -> models.ForeignKey:
    """The territory a record belongs to (what its `territory_field` names): protected, so a
    territory keeps its records."""
    return models.ForeignKey(
        Territory,
        verbose_name=_("territoire"),
        on_delete=models.PROTECT,
        related_name=related_name,
        **options,
    )


def residence_key(related_name: str) -> models.ForeignKey:
    """The residence a record is about, when it is about one: forgotten if the residence goes."""
    return models.ForeignKey(
        Residence,
        verbose_name=_("résidence"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
    )
