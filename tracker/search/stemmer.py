"""German word forms for the search: fold the spellings, then stem with Snowball.

One pipeline makes both the index and the query, on SQLite and PostgreSQL alike:

1. NFC and lower case;
2. fold ä → ae, ö → oe, ü → ue, ß → ss, so that "Förderung" and "Foerderung",
   "Schweißtechnik" and "Schweisstechnik" are the same word;
3. Snowball's German stemmer (PyStemmer), which reads ae, oe and ue as umlauts and
   returns the stem without them: "Fachkräfte", "fachkraefte" and "Fachkraft" all
   become ``fachkraft``, "Förderungen" becomes ``forder``.

The index stores the stems, one per word and in the words' order (phrases stay
findable); the database's own tokenizer then only splits at the spaces. Changing this
pipeline (or PyStemmer's version) changes the stems: the index is then rebuilt with
``flask search reindex``.
"""

from __future__ import annotations

import re
import unicodedata

import Stemmer

MIN_STEM = 4  # a stem this long or longer is searched as a prefix (compounds)

_TOKEN = re.compile(r"[^\W_]+")
FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_STEMMER = Stemmer.Stemmer("german")


def fold(text: str) -> str:
    """Return ``text`` in NFC and lower case, umlauts and ß in their ASCII spellings."""
    return unicodedata.normalize("NFC", text).lower().translate(FOLD)


def words(text: str) -> list[str]:
    """The words of ``text`` (runs of letters and digits), folded."""
    return _TOKEN.findall(fold(text))


def stem_words(folded: list[str]) -> list[str]:
    """Stem words that ``words`` returned."""
    return _STEMMER.stemWords(folded)


def stem(word: str) -> str:
    """Return the stem of one word: ``stem("Fachkräfte") == "fachkraft"``."""
    return "".join(stem_words(words(word)))


def stems(text: str) -> list[str]:
    """The stems of the words of ``text``, in order."""
    return stem_words(words(text))


def terms(text: str | None) -> str:
    """The text the index stores for ``text``: its stems, separated by spaces."""
    return " ".join(stems(text or ""))
