"""The admin's autocomplete boxes, safe with whatever a form posts.

A form sent back with errors shows the values it was posted with. Django's autocomplete
widgets look those up in the database as they are, so a value that is not a key at all ("abc"
for a section) raised while the page was drawn: a 500 where the editor should see the form
with its error. These widgets look up only the values the related model's key accepts; the
field itself still refuses the rest with its own message.

Every admin of the portal gets them through ``AutocompleteAdminMixin`` (mixed into
``portal.admin_history.GuardedHistoryMixin`` and into the inlines that use autocomplete); a
test renders every autocomplete field of every registered admin with a posted "abc".
"""

from django.contrib.admin import widgets
from django.core.exceptions import ValidationError


class _PostedValuesOnly:
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [item for item in value if self._is_key(item)], attr)

    def _is_key(self, item):
        remote = self.field.remote_field
        opts = remote.model._meta
        target = opts.get_field(getattr(remote, "field_name", None) or opts.pk.name)
        try:
            target.to_python(item)
        except ValidationError:
            return False
        return True


class AutocompleteSelect(_PostedValuesOnly, widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(_PostedValuesOnly, widgets.AutocompleteSelectMultiple):
    pass


class AutocompleteAdminMixin:
    """For a ModelAdmin or an inline: its ``autocomplete_fields`` get the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
