"""{% event_cards events %}: the cards of a list of events (events.cards)."""

from django import template

from events.cards import cards_html

register = template.Library()


@register.simple_tag
def event_cards(events):
    return cards_html(events)
