"""The newsroom's roles as groups: reporters write and submit, editors check and publish."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTER_PERMISSIONS = [
    "add_article",
    "change_article",
    "view_article",
    "view_category",
    "add_image",
    "change_image",
    "view_image",
]
EDITOR_PERMISSIONS = [
    "add_article",
    "change_article",
    "delete_article",
    "view_article",
    "publish_article",
    "add_category",
    "change_category",
    "delete_category",
    "view_category",
    "add_image",
    "change_image",
    "delete_image",
    "view_image",
]


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; make news' own now.
    news_config = apps.get_app_config("news")
    news_config.models_module = True
    try:
        create_permissions(news_config, apps=apps, verbosity=0)
    finally:
        news_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in [
        ("Phóng viên", REPORTER_PERMISSIONS),
        ("Biên tập viên", EDITOR_PERMISSIONS),
    ]:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="news", codename__in=codenames)
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Phóng viên", "Biên tập viên"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0002_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
