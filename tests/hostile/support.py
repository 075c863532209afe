"""What the hostile-input tests share: the hostile strings, records made of them, and the checks
that a page, an export or a feed shows them as inert text."""

import json
import re
from types import SimpleNamespace

import lxml.html
from lxml import etree

from eprints_app.models import Creator, Division, Item, Subject
from eprints_app.text import xml_text
from eprints_app.views.actions import edit_forms
from tests.factories import make_document, make_item
from tests.form_data import edit_data

# Strings that break out of markup, attributes, scripts, CDATA, templates, lines and directions.
PAYLOADS = {
    "script": "</script><script>alert(1)</script><!--",
    "event-handlers": '"><img src=x onerror=alert(1)><svg/onload=alert(1)>',
    "attribute-break": "' onmouseover='alert(1)' x='",
    "javascript-url": "javascript:alert(document.cookie)",
    "cdata": "]]><![CDATA[<x/>]]><!-- c -->",
    "entities": "&amp; &lt;b&gt; &#60;script&#62; & < >",
    "template-syntax": "{{ request }} {% csrf_token %} ${7*7} %(x)s {0}",
    "unicode": "\u202egnp.exe\u200b\u200c\u200d\u2060\ufeff Ze\u0301\u0334\u0361ro \U0001d54f \U0001f642",
    "control-characters": "tab\there\x0bvertical\x1bescape\x7fdelete\x01",
    "line-breaks": "one\r\ntwo\nTI  - injected\n@misc{x,\n%0 Injected",
}

# Elements that only a payload could have put there (the admin draws its icons with <svg>, so
# an injected <svg> or <img> shows by its event handler or its source instead).
INJECTED_TAGS = {"x", "iframe", "object", "embed"}
SCRIPT_URL = re.compile(r"^\s*(javascript|vbscript|data):", re.IGNORECASE)
# The site's own scripts: static files, and the admin's translation catalogue.
OWN_SCRIPT_SOURCES = ("/static/", "/admin/jsi18n/")
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}


def shown(text: str) -> str:
    """Text as a reader or a parser sees it: XML-forbidden characters dropped, spaces collapsed."""
    return " ".join(xml_text(text).split())


def text_fields(payload: str) -> dict[str, str]:
    """Every free-text field of an item holding the payload, cut to the field's length."""
    values = {}
    for field in Item._meta.get_fields():
        if getattr(field, "choices", None) or field.get_internal_type() not in {"CharField", "TextField"}:
            continue
        if field.name in {"date", "type"}:
            continue
        values[field.name] = payload[: field.max_length] if field.max_length else payload
    values["id_number"] = ("10.5555/" + payload)[:255]
    return values


def hostile_item(payload: str, **fields) -> Item:
    """A live article whose every text field, creator, document description, subject and division
    carries the payload."""
    item = make_item(type="article", creators=0, **{**text_fields(payload), **fields})
    Creator.objects.create(item=item, family=payload[:255], given=payload[:255], email="c@example.org")
    Creator.objects.create(item=item, position=1, role="editor", family="Plain", given=payload[:255])
    make_document(item, filename=file_name(payload), formatdesc=payload[:255])
    item.subjects.add(Subject.objects.create(code="HOSTILE", name=payload[:255]))
    item.divisions.add(Division.objects.create(code="HOSTILE", name=payload[:255]))
    return item


def file_name(payload: str) -> str:
    """The payload as an uploaded file's name: uploads keep only the part after the last slash."""
    return payload.replace("/", "_")[:200] + ".pdf"


def unchanged_edit_data(item: Item) -> dict:
    """What the actions view's edit form of the item sends back unchanged: ``edit_data`` of the
    forms the view shows (``edit_forms``), without rendering its page."""
    item_form, creator_formset, document_formset = edit_forms(item)
    forms = {"item_form": item_form, "creator_formset": creator_formset, "document_formset": document_formset}
    return edit_data(SimpleNamespace(context=forms))


def html_tree(response) -> lxml.html.HtmlElement:
    """The page parsed in the charset its answer declares (a fragment has no <meta charset>)."""
    return lxml.html.document_fromstring(response.content.decode(response.charset))


def inline_script_blocked(response) -> bool:
    """Whether the answer's Content Security Policy keeps inline script, ``javascript:`` links
    included, from running."""
    policy = response.get("Content-Security-Policy", "")
    directives = {words[0]: words[1:] for words in (part.split() for part in policy.split(";")) if words}
    sources = directives.get("script-src", directives.get("default-src"))
    return sources is not None and "'unsafe-inline'" not in sources


def assert_inert_html(response) -> lxml.html.HtmlElement:
    """The page, after checking it has no element, attribute or link a payload could have made.

    A ``javascript:`` link made from a stored address (the Official URL, which only a script
    could have set so) is inert only where the policy forbids inline script.
    """
    tree = html_tree(response)
    script_links_inert = inline_script_blocked(response)
    for element in tree.iter(etree.Element):
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        assert tag not in INJECTED_TAGS, lxml.html.tostring(element)[:200]
        assert not (tag == "img" and element.get("src") == "x"), lxml.html.tostring(element)[:200]
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (tag, name, value)
            if name in {"href", "src", "action", "formaction"} and SCRIPT_URL.match(value):
                assert script_links_inert and tag == "a", (tag, name, value)
        if tag == "script":
            if element.get("type") in DATA_SCRIPT_TYPES:
                json.loads(element.text)
            else:
                assert element.get("src", "").startswith(OWN_SCRIPT_SOURCES), lxml.html.tostring(element)
                assert not (element.text or "").strip()
    return tree


def page_text(tree: lxml.html.HtmlElement) -> str:
    """The text a reader sees, with line breaks (<br>) as spaces."""
    for br in tree.iter("br"):
        br.tail = " " + xml_text(br.tail or "")
    return tree.text_content()


def xml_tree(response) -> etree._Element:
    assert response.status_code == 200, response.status_code
    return etree.fromstring(response.content)


def assert_inert_xml(root: etree._Element) -> None:
    """Well-formed (it parsed) and no element a payload could have made."""
    for element in root.iter(etree.Element):
        assert etree.QName(element).localname.lower() not in INJECTED_TAGS | {"script"}


def xml_text_content(root: etree._Element) -> str:
    return " ".join(root.itertext())


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content
