"""The desk front page's read, for the admin index template (the default admin site, unchanged)."""

from django import template

from desk.front import FrontPage, attention_text, front_page

register = template.Library()


@register.simple_tag(takes_context=True)
def desk_front_page(context) -> FrontPage:
    return front_page(context["request"].user)


register.filter("attention_text", attention_text)
