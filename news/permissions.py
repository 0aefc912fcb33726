"""Who may do what to an article. The admin, the preview and the actions all ask here."""

REPORTERS = "Phóng viên"
EDITORS = "Biên tập viên"


def can_publish(user):
    """Publishing, unpublishing and scheduling all need news.publish_article."""
    return user.is_active and user.has_perm("news.publish_article")


def can_change_article(user, article):
    """Editors change any article; reporters only their own that are not published yet."""
    if not (user.is_active and user.is_staff and user.has_perm("news.change_article")):
        return False
    if article is None or can_publish(user):
        return True
    return article.created_by_id == user.pk and article.status != article.Status.PUBLISHED


def can_change_image(user, image):
    """Editors change any library image. Reporters change only images they uploaded that
    nothing public shows yet: a new file or caption on a published photo goes live at once."""
    if not (user.is_active and user.is_staff and user.has_perm("news.change_image")):
        return False
    if image is None or can_publish(user):
        return True
    return image.uploaded_by_id == user.pk and not image_in_public_use(image)


def image_in_public_use(image):
    """Whether a published (or scheduled) article shows ``image``, or anything else refers to
    it (the site's logo, a leader's photo): what only an editor may then change."""
    from .models import Article

    if Article.objects.filter(status=Article.Status.PUBLISHED).using_image(image).exists():
        return True
    for relation in type(image)._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and relation.is_relation and not relation.concrete):
            continue  # not a reverse relation: a foreign key from another model to images
        if relation.related_model is Article:
            continue
        users = relation.related_model._default_manager.filter(**{relation.field.name: image})
        if users.exists():
            return True
    return False
