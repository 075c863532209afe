"""Template filters for EPrints' ways of showing values: each is one of the item's facts
(``eprints_app.item_facts``), which every other surface reads too."""

from django import template

from eprints_app import item_facts

register = template.Library()

register.filter("filesize", item_facts.filesize)
register.filter("type_label", item_facts.type_label)
register.filter("licence_url", item_facts.document_licence_url)
register.filter("doi_url", item_facts.doi_url)
register.filter("official_url", item_facts.official_url)
