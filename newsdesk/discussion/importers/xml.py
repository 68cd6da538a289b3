"""Strict, safe XML parsing for imports: defusedxml, no DTDs, no entity expansion."""

from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from newsdesk.discussion.importers.records import ImportFailed


def xml_read(path: Path) -> Element:
    """Parse the file, refusing anything malformed or with DTD or entity declarations."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise ImportFailed(f"Cannot read {path}: {error.strerror}.") from None
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except ParseError as error:
        line, column = error.position
        raise ImportFailed(
            f"{Path(path).name} is not well-formed XML (line {line}, column {column}): "
            f"{error.msg if hasattr(error, 'msg') else error}. Nothing was imported."
        ) from None
    except DefusedXmlException as error:
        raise ImportFailed(
            f"{Path(path).name} declares a DTD or entities, which imports refuse: {error}. "
            "Nothing was imported."
        ) from None


def local(tag: str) -> str:
    """A tag or attribute name without its namespace."""
    return tag.rsplit("}", 1)[-1]


def child_text(element: Element, name: str) -> str:
    for child in element:
        if local(child.tag) == name:
            return (child.text or "").strip()
    return ""


def child(element: Element, name: str) -> Element | None:
    for item in element:
        if local(item.tag) == name:
            return item
    return None


def attribute(element: Element | None, name: str) -> str:
    if element is None:
        return ""
    for key, value in element.attrib.items():
        if local(key) == name:
            return value.strip()
    return ""
