"""The public site's models, one module per kind; each is re-exported here."""

from cms.models.agenda import AgendaPage
from cms.models.forms import FormField, FormPage, Submission
from cms.models.mediation_day import (
    MediationDayIndexPage,
    MediationDayPage,
    MediationDayPartner,
    MediationDayPhoto,
    MediationDaySpeaker,
    StandRequest,
)
from cms.models.newsletter import (
    Campaign,
    Delivery,
    NewsletterIndexPage,
    NewsletterIssuePage,
    NewsletterTopic,
    OptOut,
    Subscription,
)
from cms.models.pages import (
    AccessibilityStatementPage,
    HomePage,
    HomePartner,
    HomeTestimonial,
    MissionIndexPage,
    MissionPage,
    PrivacyPage,
    ServiceCatalogPage,
    ServiceFormField,
    ServicePage,
    StandardPage,
    TerritoryIndexPage,
    TerritoryPage,
)
from cms.models.settings import AgencySettings, NavigationSettings
from cms.models.snippets import Testimonial

__all__ = [
    "Subscription",
    "OptOut",
    "NewsletterTopic",
    "NewsletterIssuePage",
    "NewsletterIndexPage",
    "Delivery",
    "Campaign",
    "AgendaPage",
    "AccessibilityStatementPage",
    "AgencySettings",
    "FormField",
    "FormPage",
    "HomePage",
    "HomePartner",
    "HomeTestimonial",
    "MediationDayIndexPage",
    "MediationDayPage",
    "MediationDayPartner",
    "MediationDayPhoto",
    "MediationDaySpeaker",
    "MissionIndexPage",
    "MissionPage",
    "NavigationSettings",
    "PrivacyPage",
    "ServiceCatalogPage",
    "ServiceFormField",
    "ServicePage",
    "StandRequest",
    "StandardPage",
    "Submission",
    "TerritoryIndexPage",
    "TerritoryPage",
    "Testimonial",
]
