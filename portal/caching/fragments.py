"""Fragments: parts of pages, and values, that many pages or readers share.

In a template, ``{% fragment "name" %}…{% endfragment %}`` (``{% load caching %}``) keeps what
it renders. Its key is made of the generation, the language and the values of everything the
fragment's contents use from the context (variables, the arguments of tags, the templates it
includes): found when the template is compiled, resolved when it renders. Nothing is listed by
hand, so a new flag in the header cannot be forgotten. A model instance counts by its primary
key (what it holds is the generation's business), a list by its items.

In Python, ``fragment(request, name, load, *vary)`` keeps ``load()``'s value under ``name`` and
``vary``, and the request keeps it too, so asking twice costs one lookup.

Both are stale at once when anything readers see changes, and neither outlives the next
scheduled change (portal.caching.store). When the cache is unreachable, they are computed as
if there were no cache.
"""

import datetime
import hashlib
import time
from decimal import Decimal

from django.conf import settings
from django.db.models import Model, QuerySet
from django.template import Node, NodeList, TemplateSyntaxError
from django.template.base import FilterExpression, Variable, VariableNode
from django.template.defaultfilters import date as date_format
from django.template.defaulttags import CsrfTokenNode, ForNode, NowNode, WithNode
from django.template.library import InclusionNode, SimpleNode
from django.template.loader import get_template
from django.template.loader_tags import BlockNode, IncludeNode
from django.templatetags.i18n import BlockTranslateNode
from django.utils import timezone, translation
from django.utils.functional import Promise

from . import store
from .state import cache_state, query_without_tracking
from .store import generation, lifetime, shared_cache

# What a fragment varies on when its contents read the request in ways that cannot be seen (a
# tag that takes the context): the page's whole address, tracking parameters aside.
PAGE = "page:"
NOW = "now:"


def _generation(request):
    state = cache_state(request)
    if state.generation is None:
        state.generation = generation()
    return state.generation


def fragment_key(current, suffix):
    """The cache key of the fragment ``suffix`` (name and digest) in generation ``current``."""
    return f"fragment:{current}:{suffix}"


def _suffix(name, variations):
    digest = hashlib.md5(  # noqa: S324 - a cache key, not a secret
        "\x1f".join(variations).encode(), usedforsecurity=False
    ).hexdigest()
    return f"{name}:{digest}"


def _fetch(request, name, variations, make, language, seconds=None):
    """``make()``'s result, from the cache when a current copy is there. With ``seconds``, the
    copy is kept at most that long, and so is every fragment and page that holds it."""
    state = cache_state(request)
    own_end = time.time() + seconds if seconds else None
    if not settings.PORTAL_FRAGMENT_CACHE_SECONDS or state.unavailable:
        state.keep_until = _earliest(state.keep_until, own_end)
        return make()
    store = shared_cache()
    suffix = _suffix(name, [language or "", *variations])
    if suffix not in state.used:
        state.used.append(suffix)
    try:
        key = fragment_key(_generation(request), suffix)
        # Read with the page's other fragments before it was made (pages.py), or now.
        value = state.prefetched[suffix] if suffix in state.prefetched else store.get(key)
    except Exception as error:  # noqa: BLE001 - the cache being down must not break pages
        _unavailable(state, error)
        state.keep_until = _earliest(state.keep_until, own_end)
        return make()
    if isinstance(value, _Until):  # a copy kept for less: what holds it is, too
        value, end = value
        state.keep_until = _earliest(state.keep_until, end)
        return value
    if value is not None:
        return value
    # What make() uses that is kept for less bounds this fragment too (and the page, after).
    outer, state.keep_until = state.keep_until, None
    try:
        value = make()
    finally:
        end = _earliest(state.keep_until, own_end)
        state.keep_until = _earliest(outer, end)
    try:
        seconds = lifetime(settings.PORTAL_FRAGMENT_CACHE_SECONDS, state)
        if end is not None:
            seconds = min(seconds, int(end - time.time()))
        if seconds > 0:
            store.set(key, value if end is None else _Until((value, end)), seconds)
    except Exception as error:  # noqa: BLE001
        _unavailable(state, error)
    return value


class _Until(tuple):
    """A fragment stored with the moment it ends, (value, end): one kept for less than the
    rest (``seconds``), or holding one."""


def _earliest(*moments):
    moments = [moment for moment in moments if moment is not None]
    return min(moments) if moments else None


def _unavailable(state, error):
    store.warn(error)
    state.unavailable = True


def fragment(request, name, load, *vary, per_language=True, lazy=False, seconds=None):
    """``load()``'s value, shared by every request that asks with the same ``name`` and
    ``vary`` (and language, unless ``per_language`` is false: a value that holds every
    language) until anything readers see changes or the next scheduled change; asked again in
    the same request, it is not looked up again.

    With ``lazy=True`` the value is read (or made) only when first used, and a template
    fragment that uses it counts it by its own key: a page whose template fragment is stored
    never reads it. For data a template only shows (``{{ day_news.sections }}``).

    With ``seconds``, the value is kept at most that long, and so is every fragment and page
    that shows it: for what changes without a save (counts written in batches)."""
    variations = [identity(value) for value in vary]
    language = translation.get_language() if per_language else ""
    memo_key = (name, language, *variations)
    values = cache_state(request).values
    if memo_key not in values:
        if lazy:
            return LazyFragment(request, name, load, variations, language, seconds)
        values[memo_key] = _fetch(request, name, variations, load, language, seconds)
    return values[memo_key]


class LazyFragment:
    """A fragment's value, read from the cache or made when the page first uses it: its items
    (``lazy["sections"]``, as a template's ``lazy.sections`` reads them), its attributes, its
    length, truth and iteration are the value's."""

    def __init__(self, request, name, load, variations, language, seconds=None):
        self._args = (request, name, variations, load, language, seconds)
        self.fragment_key = _suffix(name, [language or "", *variations])
        self._value = _UNREAD

    @property
    def value(self):
        if self._value is _UNREAD:
            self._value = _fetch(*self._args)
        return self._value

    def __getitem__(self, key):
        return self.value[key]

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.value, name)

    def __iter__(self):
        return iter(self.value)

    def __len__(self):
        return len(self.value)

    def __bool__(self):
        return bool(self.value)


_UNREAD = object()


def identity(value):
    """What a value counts as in a key: a model instance by its primary key, a sequence by its
    items, anything else by its text."""
    if value is None or isinstance(
        value, (bool, int, float, str, Decimal, datetime.date, datetime.time, Promise)
    ):
        return str(value)
    if isinstance(value, Model):
        return f"{value._meta.label}:{value.pk}"
    if isinstance(value, LazyFragment):  # what it holds is its key's business
        return value.fragment_key
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}={identity(v)}" for k, v in sorted(value.items())) + "}"
    if isinstance(value, (set, frozenset)):  # no order of its own: the same in every process
        return "{" + ",".join(sorted(identity(item) for item in value)) + "}"
    # Only these are iterated: iter() on anything else (a file, for one) could open it.
    if isinstance(value, (list, tuple, QuerySet)):
        return "[" + ",".join(identity(item) for item in value) + "]"
    return str(value)


# -- what a fragment's contents use ---------------------------------------------------------


class _Uses:
    """The context variables a piece of template reads, as dotted paths, outermost first."""

    def __init__(self):
        self.paths = []

    def add(self, path, local):
        root = path.split(".", 1)[0]
        if root in ("True", "False", "None", "block", "forloop"):
            return  # constants, and what a block or a loop says of itself
        if root not in local and path not in self.paths:
            self.paths.append(path)

    def expression(self, value, local):
        if isinstance(value, FilterExpression):
            self.expression(value.var, local)
            for _func, args in value.filters:
                for lookup, arg in args:
                    if lookup:
                        self.expression(arg, local)
        elif isinstance(value, Variable) and value.lookups is not None:
            self.add(value.var, local)
        elif hasattr(value, "first") or hasattr(value, "value"):  # an {% if %} condition
            for part in (getattr(value, "first", None), getattr(value, "second", None)):
                if part is not None:
                    self.expression(part, local)
            if hasattr(value, "value"):
                self.expression(value.value, local)

    def nodelist(self, nodelist, local):
        for node in nodelist:
            self.node(node, local)

    def node(self, node, local):
        if isinstance(node, CsrfTokenNode):
            raise TemplateSyntaxError(
                "{% csrf_token %} cannot be kept in a {% fragment %}: it is each reader's own."
            )
        if isinstance(node, NowNode):  # varies with what it prints: the day, for "Y-m-d"
            self.paths.append(NOW + node.format_string)
            return
        if isinstance(node, VariableNode):
            self.expression(node.filter_expression, local)
            return
        inner = set(local)
        if isinstance(node, ForNode):
            self.expression(node.sequence, local)
            inner.update(node.loopvars)
        elif isinstance(node, WithNode):
            for value in node.extra_context.values():
                self.expression(value, local)
            inner.update(node.extra_context)
        elif isinstance(node, IncludeNode):
            self.include(node, local)
            return
        elif isinstance(node, BlockTranslateNode):
            for value in node.extra_context.values():
                self.expression(value, local)
            if node.counter is not None:
                self.expression(node.counter, local)
            names = set(node.extra_context) | {node.countervar}
            for token in [*node.singular, *node.plural]:
                if token.token_type.name == "VAR" and token.contents not in names:
                    self.add(token.contents, local)
            return
        else:
            if isinstance(node, (SimpleNode, InclusionNode)) and node.takes_context:
                self.add(PAGE, local)
            for name, value in vars(node).items():
                if name in ("nodelist", "origin", "token") or isinstance(value, NodeList):
                    continue
                self._attribute(value, local)
            for name in ("target_var", "asvar"):
                if getattr(node, name, None):
                    inner.add(getattr(node, name))
            if isinstance(node, InclusionNode) and isinstance(node.filename, str):
                self.inclusion(node, local)
            if not isinstance(node, (BlockNode, FragmentNode)) and not _known(node):
                self.add(PAGE, local)
        if hasattr(node, "conditions_nodelists"):  # {% if %}
            for condition, nodelist in node.conditions_nodelists:
                if condition is not None:
                    self.expression(condition, local)
                self.nodelist(nodelist, inner)
            return
        for child in node.child_nodelists:
            self.nodelist(getattr(node, child, None) or [], inner)

    def _attribute(self, value, local):
        if isinstance(value, (FilterExpression, Variable)):
            self.expression(value, local)
        elif isinstance(value, (list, tuple)):
            for item in value:
                self._attribute(item, local)
        elif isinstance(value, dict):
            for item in value.values():
                self._attribute(item, local)

    def inclusion(self, node, local):
        # An inclusion tag's template sees what the tag returns, made from the arguments counted
        # above, and the page's context only if the tag takes it; a {% now %} counts either way.
        inside = _Uses()
        inside.nodelist(get_template(node.filename).template.nodelist, set())
        for path in inside.paths:
            if node.takes_context or path.startswith((NOW, PAGE)):
                self.add(path, local)

    def include(self, node, local):
        for value in node.extra_context.values():
            self.expression(value, local)
        name = node.template.var
        if not isinstance(name, str):  # the template is chosen at render time: unknowable
            self.expression(node.template, local)
            self.add(PAGE, local)
            return
        included = _Uses()
        included.nodelist(get_template(name).template.nodelist, set())
        for path in included.paths:
            if path.split(".", 1)[0] not in node.extra_context:
                self.add(path, local)


def _known(node):
    """Django's own tags that read nothing but what their attributes name."""
    return type(node).__module__.startswith(("django.template", "django.templatetags"))


def uses(nodelist):
    """The context paths ``nodelist`` reads, for a fragment's key."""
    found = _Uses()
    found.nodelist(nodelist, set())
    return found.paths


class FragmentNode(Node):
    child_nodelists = ("nodelist",)

    def __init__(self, name, nodelist, origin_name, seconds=None):
        self.name = f"{origin_name}:{name}"
        self.nodelist = nodelist
        self.seconds = seconds
        self._paths = None

    def render(self, context):
        if self._paths is None:
            self._paths = [_Path(path) for path in uses(self.nodelist)]
        return _fetch(
            context.get("request"),
            self.name,
            _variations(self._paths, context),
            lambda: self.nodelist.render(context),
            translation.get_language(),
            self.seconds,
        )


class _Path:
    """A path a fragment uses, ready to resolve: ``article.title``, or ``now:`` or ``page:``."""

    def __init__(self, path):
        self.path = path
        special = path.startswith((NOW, PAGE))
        self.variable = None if special else Variable(path)
        root, dot, _rest = path.partition(".")
        self.root = root if dot and not special else None
        self.root_variable = Variable(root) if self.root else None


def _variations(paths, context):
    """``path=identity`` for each path a fragment uses. A path into a model instance
    (``article.title``) counts as the instance (``article``): what it holds is the generation's
    business, and resolving each of its fields would cost more than the lookup saves. A path
    into a lazy fragment counts as the fragment's key, and does not read it."""
    variations, roots = [], {}
    for used in paths:
        path = used.path
        if used.root is not None:
            if used.root not in roots:
                roots[used.root] = _resolve(used.root, used.root_variable, context)
            if isinstance(roots[used.root], (Model, LazyFragment)):
                path, value = used.root, roots[used.root]
            else:
                value = _resolve(path, used.variable, context)
        else:
            value = _resolve(path, used.variable, context)
        variation = f"{path}={identity(value)}"
        if variation not in variations:
            variations.append(variation)
    return variations


def _resolve(path, variable, context):
    if path == PAGE:
        request = context.get("request")
        if request is None:
            return None
        return f"{request.build_absolute_uri(request.path)}?{query_without_tracking(request.META)}"
    if path.startswith(NOW):  # what {% now %} prints at this moment
        tzinfo = timezone.get_current_timezone() if settings.USE_TZ else None
        return date_format(datetime.datetime.now(tz=tzinfo), path.removeprefix(NOW))
    try:
        return variable.resolve(context)
    except Exception:  # noqa: BLE001 - a missing value renders as "" and counts as such
        return None
