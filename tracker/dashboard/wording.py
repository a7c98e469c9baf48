"""Significant words of item titles, reduced to stems, for the clusters of similar wording."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from os.path import commonprefix

from tracker.words import STOPWORDS as LIST_STOPWORDS

STEM_LENGTH = 6
TOKEN = re.compile(r"[^\W\d_]+")

# Function words, the phrasing every request shares ("Partner gesucht", "Fragen zur ...")
# and formats of help (workshop, exchange): they would group items by how they are worded
# rather than by what is asked for.
_MORE_STOPWORDS = """
    ab am an ans auch bei beim bis bzw da dadurch dafür daher damit dann darf dazu denn
    deren dessen dies diese diesem diesen dieser dieses durch eigene eigenen einige etwa
    etc euch falls ganz gegen gibt hier ihr ihre ihrem ihren ihrer im in ins ist je jetzt
    kann kein keine können man mehr mein meine muss müssen neu neue neuem neuen neuer
    neues nur ob ohne pro schon sehr so soll sollen sowie um uns unser unsere viel viele
    vom was weg weil welche welcher wenn wer werden wieder will wird wo zu zwischen
    anfrage anfragen angebot ansprechpartner ansprechpartnerin benötigt benötigen bereich
    bitte dienstleister
    erfahrungsaustausch frage fragen gesucht gewünscht hilfe hinweis hinweise idee ideen
    interesse kontakt kontakte möglichkeit möglichkeiten partner problem rahmen suche
    sucht suchen thema themen unterstützung unternehmen unternehmens wunsch
    austausch einführung erprobung netzwerktreffen nutzung treffen umsetzung veranstaltung
    vortrag workshop workshops
    for and the to of in on at by or our we looking request
"""
STOPWORDS = LIST_STOPWORDS | frozenset(_MORE_STOPWORDS.split())


def _significant(word: str) -> bool:
    low = word.lower()
    if low in STOPWORDS:
        return False
    # Acronyms such as "KI" or "IT" count; other short words seldom carry a subject.
    return len(low) >= 4 or (len(word) >= 2 and word.isupper())


@lru_cache(maxsize=65536)
def title_stems(title: str) -> tuple[tuple[str, str], ...]:
    """The title's significant (stem, word) pairs, one per stem, in order of appearance."""
    seen: dict[str, str] = {}
    for word in TOKEN.findall(title):
        if _significant(word):
            seen.setdefault(word.lower()[:STEM_LENGTH], word)
    return tuple(seen.items())


def word_label(forms: Counter) -> str:
    """A readable name for a stem from the word forms behind it: "Wasserstoff", "Förder…"."""
    common = [word for word, _n in forms.most_common(3)]
    if not common:
        return ""
    prefix = commonprefix([w.lower() for w in common])
    whole = next((w for w in common if w.lower() == prefix), None)
    if whole:
        return whole
    if len(common) == 1 or len(prefix) < STEM_LENGTH:
        return common[0]
    return common[0][: len(prefix)] + "…"
