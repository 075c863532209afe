"""Dublin Core ``DC.*`` meta tags (with ``<link rel="schema.DC">`` in the template), the fields
EPrints' Dublin Core export gives (reference: eprints-output/export_1_DC.txt).

Google Scholar reads these only as a last resort; other harvesters and reference managers
still do.
"""

from eprints_app.citation import build_citation
from eprints_app.item_facts import (
    authors,
    doi_url,
    download_url,
    licence_url,
    open_documents,
    page_url,
    type_name,
)
from eprints_app.metadata.fields import Tag, non_empty
from eprints_app.models import Item


def dublin_core_tags(item: Item) -> list[Tag]:
    """The item's ``DC.*`` tags as (name, content) pairs, empty values left out."""
    documents = open_documents(item)
    tags: list[Tag] = [("DC.title", item.title)]
    tags += [("DC.creator", person.name) for person in authors(item)]
    tags += [("DC.subject", subject.name) for subject in item.subject_list]
    tags += [
        ("DC.description", item.abstract),
        ("DC.publisher", item.publisher),
        ("DC.date", item.date),
        ("DC.type", type_name(item)),
        ("DC.type", "PeerReviewed" if item.refereed else "NonPeerReviewed"),
    ]
    tags += [("DC.format", mime) for mime in dict.fromkeys(d.mime_type for d in documents)]
    tags += [("DC.language", lang) for lang in dict.fromkeys(d.language for d in item.document_list)]
    tags += [("DC.identifier", download_url(document)) for document in documents]
    tags += [
        ("DC.identifier", doi_url(item)),
        ("DC.identifier", build_citation(item).text),
        ("DC.rights", licence_url(item)),
        ("DC.relation", page_url(item)),
        ("DC.relation", item.official_url),
    ]
    return non_empty(tags)
