from django import template

from ..fragments import FragmentNode

register = template.Library()


@register.tag
def fragment(parser, token):
    """``{% fragment "name" %}…{% endfragment %}``: a part of the page kept in the shared cache
    (portal/caching/fragments.py). It varies by itself on everything its contents use.
    ``{% fragment "name" seconds=60 %}`` keeps it, and the page that shows it, at most that
    long: for what changes without a save."""
    bits = token.split_contents()[1:]
    seconds = None
    if len(bits) == 2 and bits[1].startswith("seconds=") and bits[1][8:].isdigit():
        seconds = int(bits[1][8:]) or None
        bits = bits[:1]
    if len(bits) != 1 or bits[0][0] not in "\"'" or bits[0][0] != bits[0][-1]:
        raise template.TemplateSyntaxError(
            '{% fragment "name" %} takes one quoted name, and may end with seconds=N.'
        )
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    origin = parser.origin.template_name if parser.origin else ""
    return FragmentNode(bits[0][1:-1], nodelist, origin or "", seconds)
