"""The portal's identity row, so every page has a name and an address from the first request.

The values are the ministry's published name and address; editors change them in the admin
(Thông tin chung của cổng), and another agency replaces them with its own.
"""

from django.db import migrations


def create_identity(apps, schema_editor):
    SiteIdentity = apps.get_model("agency", "SiteIdentity")
    SiteIdentity.objects.get_or_create(
        pk=1,
        defaults={
            "name_vi": "Bộ Lao động – Thương binh và Xã hội",
            "name_en": "Ministry of Labour, Invalids and Social Affairs",
            "governing_body_vi": "Bộ Lao động – Thương binh và Xã hội",
            "governing_body_en": "Ministry of Labour, Invalids and Social Affairs",
            "address_vi": "12 Ngô Quyền, Hoàn Kiếm, Hà Nội",
            "address_en": "12 Ngo Quyen, Hoan Kiem, Hanoi",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("agency", "0001_initial")]

    operations = [migrations.RunPython(create_identity, migrations.RunPython.noop)]
