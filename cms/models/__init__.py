"""The public site's models, one module per kind; each is re-exported here."""

from .forms import FormField, FormPage, Submission
from .mediation_day import (
    MediationDayIndexPage,
    MediationDayPage,
    MediationDayPartner,
    MediationDayPhoto,
    MediationDaySpeaker,
    StandRequest,
)
from .pages import (
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
from .settings import AgencySettings, NavigationSettings
from .snippets import Testimonial

__all__ = [
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
from ..agenda import AgendaPage  # noqa: E402,F401 -- a page of the events issue, kept in cms/agenda.py
from .newsletter import (  # noqa: E402,F401 -- the newsletter issue (cms/models/newsletter.py)
    Campaign,
    Delivery,
    NewsletterIndexPage,
    NewsletterIssuePage,
    NewsletterTopic,
    OptOut,
    Subscription,
)
