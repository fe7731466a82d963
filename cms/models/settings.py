"""Site-wide settings editable by communications staff: the agency's details and its menus."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from cms import layout_cache
from cms.blocks import LinkBlock, SocialLinkBlock


class LayoutSetting(BaseSiteSetting):
    """A setting every page's layout reads: rendered pages take it from the layout cache."""

    class Meta:
        abstract = True

    @classmethod
    def for_request(cls, request):
        attr = cls.get_cache_attr_name()
        if not hasattr(request, attr):
            instance = layout_cache.setting_for_request(cls, request)
            instance._request = request
            setattr(request, attr, instance)
        return getattr(request, attr)


@register_setting(icon="site")
class AgencySettings(LayoutSetting):
    """Who the agency is and how to reach it, shown in every page's footer."""

    name = models.CharField(_("nom de la structure"), max_length=150, default="Vivre Ensemble")
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.TextField(_("adresse"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("adresse électronique"), blank=True)
    opening_hours = models.TextField(
        _("horaires d'ouverture"), blank=True, help_text=_("Une ligne par plage horaire.")
    )
    social_links = StreamField(
        [("link", SocialLinkBlock())], verbose_name=_("réseaux sociaux"), blank=True
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("logo"),
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("phone"), FieldPanel("email")], heading=_("Contact")
        ),
        FieldPanel("opening_hours"),
        FieldPanel("social_links"),
    ]

    class Meta:
        verbose_name = _("coordonnées de la structure")


@register_setting(icon="list-ul")
class NavigationSettings(LayoutSetting):
    """The main menu (header) and the footer menu."""

    main_menu = StreamField(
        [("link", LinkBlock())],
        verbose_name=_("menu principal"),
        blank=True,
        help_text=_("Cinq ou six entrées au plus : elles passent à la ligne sur téléphone."),
    )
    footer_menu = StreamField(
        [("link", LinkBlock())],
        verbose_name=_("menu de pied de page"),
        blank=True,
        help_text=_("Mentions légales, données personnelles, accessibilité, contact…"),
    )

    panels = [FieldPanel("main_menu"), FieldPanel("footer_menu")]

    class Meta:
        verbose_name = _("navigation")
