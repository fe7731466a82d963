from django.urls import path

from cms import views
from cms.newsletter import views as newsletter_views

app_name = "cms"
urlpatterns = [path("recherche/", views.search, name="search")]

urlpatterns += [  # the newsletter (cms/newsletter/views.py)
    path("lettre/abonnement/", newsletter_views.subscribe, name="newsletter_subscribe"),
    path("lettre/abonnement/merci/", newsletter_views.thanks, name="newsletter_thanks"),
    path("lettre/confirmer/<str:token>/", newsletter_views.confirm, name="newsletter_confirm"),
    path(
        "lettre/desabonnement/<str:token>/",
        newsletter_views.unsubscribe,
        name="newsletter_unsubscribe",
    ),
    path("lettre/mon-abonnement/", newsletter_views.my_subscription, name="newsletter_mine"),
]
