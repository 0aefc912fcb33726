from django import template

from ..fragments import FragmentNode

register = template.Library()


@register.tag
def fragment(parser, token):
    """``{% fragment "name" %}…{% endfragment %}``: a part of the page kept in the shared cache
    (portal/caching/fragments.py). It varies by itself on everything its contents use."""
    bits = token.split_contents()[1:]
    if len(bits) != 1 or bits[0][0] not in "\"'" or bits[0][0] != bits[0][-1]:
        raise template.TemplateSyntaxError('{% fragment "name" %} takes one quoted name.')
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    origin = parser.origin.template_name if parser.origin else ""
    return FragmentNode(bits[0][1:-1], nodelist, origin or "")
