"""The library's template helpers: the schema.org description of a document."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from documents.models import SCHEMA_LEGAL_FORCE

register = template.Library()

# The escapes Django's json_script uses: nothing in the data can close the <script> element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def document_json_ld(context, document, files, fields):
    """A schema.org Legislation for search engines, safe to place in a <script> element."""
    request = context["request"]
    body = {"@type": "GovernmentOrganization", "name": document.issuing_body.name}
    data = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "name": document.title,
        "description": document.summary,
        "legislationIdentifier": document.number,
        "legislationType": document.document_type.name,
        "legislationDate": document.issued_on.isoformat(),
        "legislationDateOfApplicability": (document.effective_on or document.issued_on).isoformat(),
        "legislationPassedBy": body,
        "author": body,
        "legislationLegalForce": SCHEMA_LEGAL_FORCE[document.legal_status],
        "inLanguage": "vi",
        "url": request.build_absolute_uri(document.get_public_url()),
    }
    if document.signer:
        data["legislationResponsible"] = {"@type": "Person", "name": document.signer}
    if document.expires_on:
        data["expires"] = document.expires_on.isoformat()
    if fields:
        data["keywords"] = ", ".join(field.name for field in fields)
    if files:
        data["encoding"] = [
            {
                "@type": "MediaObject",
                "name": stored.download_name,
                "contentUrl": request.build_absolute_uri(stored.get_absolute_url()),
                "encodingFormat": stored.type_info.content_type if stored.type_info else None,
                "contentSize": f"{stored.size} B",
            }
            for stored in files
        ]
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308
