"""Characters that no stored text keeps, and that no written document may contain.

Text pasted from Word or Excel brings control characters along (U+000B for a line break
in a cell, sometimes NUL). XML 1.0 forbids them, so a DOCX or XLSX that contains one
cannot be written, and PostgreSQL refuses NUL. Input is cleaned where it enters (every
form field, every model attribute of typed text); writers clean again, because rows stored
before the cleaning may still hold such characters.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar

# C0 controls except tab, line feed and carriage return, and DEL: never part of typed text.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# What XML 1.0 does not allow in a document: those controls, lone surrogates, U+FFFE/FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

T = TypeVar("T")


def clean_input(value: T) -> T:
    """Return typed text without control characters (tab and line breaks stay); else as is."""
    if isinstance(value, str):
        return _CONTROLS.sub("", value)
    return value


def xml_safe(value: T) -> T:
    """Return text without the characters XML 1.0 forbids; other values as they are."""
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    return value


def xml_safe_data(value: Any) -> Any:
    """Apply ``xml_safe`` to every text in a document's data (dataclasses, lists, dicts)."""
    if isinstance(value, str):
        return xml_safe(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: xml_safe_data(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.init
        }
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*(xml_safe_data(v) for v in value))
    if isinstance(value, list | tuple):
        return type(value)(xml_safe_data(v) for v in value)
    if isinstance(value, dict):
        return {k: xml_safe_data(v) for k, v in value.items()}
    return value
