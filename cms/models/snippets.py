"""Snippets of the public site: the testimonials of the team and of residents."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from community.models import Territory


class Testimonial(index.Indexed, models.Model):
    """A short quote, signed with a first name and a role (as in the service plan)."""

    quote = models.TextField(_("citation"), max_length=500)
    first_name = models.CharField(_("prénom"), max_length=60)
    role = models.CharField(
        _("rôle"), max_length=100, help_text=_("Ex. : médiatrice sociale, habitant de Mermoz")
    )
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territoire"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="testimonials",
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    panels = [
        FieldPanel("quote"),
        FieldPanel("first_name"),
        FieldPanel("role"),
        FieldPanel("territory"),
    ]
    search_fields = [
        index.SearchField("quote"),
        index.SearchField("first_name"),
        index.AutocompleteField("first_name"),
        index.SearchField("role"),
        index.FilterField("territory"),
    ]

    class Meta:
        verbose_name = _("témoignage")
        verbose_name_plural = _("témoignages")
        ordering = ["first_name", "pk"]

    def __str__(self):
        return f"{self.first_name}, {self.role}"
