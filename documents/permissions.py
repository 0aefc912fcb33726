"""Who may do what with the library. The admin asks Django's model permissions; the preview
and the files of unpublished documents ask here."""

ARCHIVISTS = "Văn thư"


def can_preview_documents(user):
    """Staff who may change documents see any of them, published or not, as readers will."""
    return bool(user.is_active and user.is_staff and user.has_perm("documents.change_document"))
