"""The newsroom's roles for albums and videos, as news' 0003_roles made them for articles:
reporters make and change drafts and submit them; editors also publish and delete."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTER_PERMISSIONS = [
    "add_album",
    "change_album",
    "view_album",
    "add_albumphoto",
    "change_albumphoto",
    "delete_albumphoto",
    "view_albumphoto",
    "add_video",
    "change_video",
    "view_video",
]
EDITOR_PERMISSIONS = [
    *REPORTER_PERMISSIONS,
    "delete_album",
    "publish_album",
    "delete_video",
    "publish_video",
]


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; make the gallery's own now.
    config = apps.get_app_config("gallery")
    config.models_module = True
    try:
        create_permissions(config, apps=apps, verbosity=0)
    finally:
        config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in [
        ("Phóng viên", REPORTER_PERMISSIONS),
        ("Biên tập viên", EDITOR_PERMISSIONS),
    ]:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="gallery", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(
        name__in=["Phóng viên", "Biên tập viên"]
    ):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="gallery"))


class Migration(migrations.Migration):
    dependencies = [
        ("gallery", "0001_initial"),
        ("news", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
