"""Who may do what to an album or a video, as news.permissions says it for articles: editors
(*Biên tập viên*) publish, unpublish and schedule; reporters (*Phóng viên*) make drafts, change
their own until they are published, and submit them for review. The admin asks here."""


def can_publish(user, model):
    """Publishing, unpublishing and scheduling need gallery.publish_<model>."""
    opts = model._meta
    return user.is_active and user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")


def can_change(user, model, obj):
    """Editors change any; reporters only their own that are not published."""
    opts = model._meta
    if not (
        user.is_active
        and user.is_staff
        and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
    ):
        return False
    if obj is None or can_publish(user, model):
        return True
    return obj.created_by_id == user.pk and obj.status != obj.Status.PUBLISHED
