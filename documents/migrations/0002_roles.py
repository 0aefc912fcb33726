"""The registry's role: *Văn thư* manages the legal documents and the drafts for public comment
(and reads the comments), and nothing of the news; *Biên tập viên* may do the same. Reporters
(*Phóng viên*) get none of it.

Every permission of this app's models at this point, the drafts' included, but adding or
deleting the public's comments (NOT_GRANTED); a model added by a later migration grants its own
in that migration.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ARCHIVISTS = "Văn thư"
EDITORS = "Biên tập viên"
# The public's comments on drafts come from the public's form only, and are the record of a
# consultation: no group adds or deletes one (a superuser alone may delete).
NOT_GRANTED = ["add_draftcomment", "delete_draftcomment"]


def documents_permissions(apps):
    # Permissions are normally made after all migrations; make this app's own now.
    config = apps.get_app_config("documents")
    config.models_module = True
    try:
        create_permissions(config, apps=apps, verbosity=0)
    finally:
        config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="documents").exclude(
        codename__in=NOT_GRANTED
    )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = list(documents_permissions(apps))
    archivists, _created = Group.objects.get_or_create(name=ARCHIVISTS)
    archivists.permissions.add(*permissions)
    for editors in Group.objects.filter(name=EDITORS):
        editors.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="documents")
    for editors in Group.objects.filter(name=EDITORS):
        editors.permissions.remove(*permissions)
    Group.objects.filter(name=ARCHIVISTS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("news", "0003_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
