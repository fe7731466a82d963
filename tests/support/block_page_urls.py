"""The site's URLs plus one test page that renders the "upcoming events" block in the site's
layout (until the integrator wires the block into the home page's body)."""

from django.http import HttpResponse
from django.template import Template
from django.template.context import RequestContext
from django.urls import path

from cms.event_blocks import UpcomingEventsBlock
from config.urls import urlpatterns as site_urlpatterns

PAGE = Template(
    '{% extends "base.html" %}{% load wagtailcore_tags %}'
    "{% block content %}<h1>Page de test</h1>{% include_block upcoming %}{% endblock %}"
)


def block_page(request):
    block = UpcomingEventsBlock()
    value = block.to_python(
        {
            "heading": "Prochains rendez-vous",
            "territory": request.GET.get("territory") or None,
            "kinds": request.GET.getlist("kind"),
            "audience": "",
            "count": int(request.GET.get("count", 3)),
        }
    )
    bound = block.bind(value)
    return HttpResponse(PAGE.render(RequestContext(request, {"upcoming": bound})))


urlpatterns = [path("test-bloc/", block_page), *site_urlpatterns]
