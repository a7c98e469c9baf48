"""Companies and their contacts (contacts are personal data)."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker import limits
from tracker.db import db, utcnow

_LEGAL_FORMS = re.compile(
    r"\b(gmbh|mbh|ag|kg|ug|e\.?\s?v|ohg|gbr|co|se|haftungsbeschränkt|& co)\b\.?", re.IGNORECASE
)


def company_key(name: str) -> str:
    """Return the matching key of a company name: case, accents, legal form and spaces ignored."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = _LEGAL_FORMS.sub(" ", text)
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())


def legal_key(name: str) -> str:
    """Return a company name's key with its legal form kept: "Optik AG" ≠ "Optik UG"."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = _LEGAL_FORMS.sub(lambda m: " " + re.sub(r"[^\w&]+", "", m.group(0)) + " ", text)
    text = re.sub(r"[^\w&]+", " ", text)
    return " ".join(text.split())


def legal_form(name: str) -> str:
    """Return the legal forms named in a company name, folded ("gmbh & co kg"), or ""."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(re.sub(r"[^\w&]+", "", m.group(0)) for m in _LEGAL_FORMS.finditer(text))


class Company(db.Model):
    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), info=limits.typed())
    # Not unique: "Optik AG" and "Optik UG" are two firms with the same key (see legal_key).
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    city: Mapped[str] = mapped_column(String(100), default="", info=limits.typed())
    website: Mapped[str] = mapped_column(String(300), default="", info=limits.typed())
    notes: Mapped[str] = mapped_column(Text, default="", info=limits.typed(limits.COMPANY_NOTES))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    contacts: Mapped[list[Contact]] = relationship(
        back_populates="company", order_by="Contact.name", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    def __str__(self) -> str:
        return self.name


class Contact(db.Model):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    name: Mapped[str] = mapped_column(String(200), info=limits.typed())
    function: Mapped[str] = mapped_column(String(200), default="", info=limits.typed())
    email: Mapped[str] = mapped_column(String(254), default="", info=limits.typed())
    phone: Mapped[str] = mapped_column(String(60), default="", info=limits.typed())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    anonymised_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    company: Mapped[Company] = relationship(back_populates="contacts")

    __mapper_args__ = {"version_id_col": version}

    def __str__(self) -> str:
        return self.name
