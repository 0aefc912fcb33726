from django import template
from django.urls import reverse

from ..counting import token_for
from ..views import most_read_list

register = template.Library()


@register.inclusion_tag("readership/includes/read_counter.html")
def read_counter(article):
    """``{% read_counter article %}``: what static/js/site.js needs to count a view of the
    article when a browser shows the page (the same for every reader, so it can be cached)."""
    return {"count_url": reverse("readership:count"), "token": token_for(article.pk)}


@register.inclusion_tag("readership/includes/most_read_panel.html", takes_context=True)
def most_read_panel(context):
    """``{% most_read_panel %}``: the short list of the last day's most read, for a sidebar."""
    request = context.get("request")
    return {"request": request, "most_read": most_read_list(request, "trong-ngay")}
