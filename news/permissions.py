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
