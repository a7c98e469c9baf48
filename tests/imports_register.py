"""A generated office register: German headers, dates, network names, companies repeating.

``register_csv(3000)`` is the file the speed tests and the browser test upload;
``python tests/imports_register.py 10000 > register.csv`` writes one for a measurement.
"""

from __future__ import annotations

import csv
import io
import random
import sys
from datetime import date, timedelta

HEADERS = [
    "Unternehmen", "Ansprechpartner", "Titel", "Art", "Themen", "Status", "Wiedervorlage",
    "meldendes Netzwerk", "Zuständig", "Priorität", "Erfasst am", "Beschreibung",
]  # fmt: skip
NETWORKS = ("NetzA", "NetzB")
TOPICS = ("KI", "Digitalisierung", "Förderung", "Fachkräfte", "Energiewende")
KINDS = ("Bedarf", "Anfrage", "Wunsch")
STATUSES = ("neu", "neu", "in Bearbeitung", "wartet", "erledigt", "abgelehnt")
PRIORITIES = ("hoch", "normal", "normal", "niedrig")
FORMS = ("GmbH", "AG", "GmbH & Co. KG", "e.K.", "UG")
WORDS = ("Optik", "Sensorik", "Laser", "Bäckerei", "Stadtwerke", "Maschinenbau", "Logistik",
         "Holz", "Glas", "Medizintechnik", "Software", "Kunststoff")  # fmt: skip
NEEDS = ("KI-Pilot", "Förderantrag", "Fachkräfte", "Energieberatung", "Partner gesucht",
         "Schulung", "Digitalisierung", "Prototyp", "Messeauftritt", "Zertifizierung")  # fmt: skip
PEOPLE = ("Frau Schulz", "Herr Weiß", "Frau Öztürk", "Herr Müller", "Frau Krause", "")


def register_rows(count: int, seed: int = 7) -> list[list[str]]:
    """``count`` rows of a register, the same for the same seed; about 8 rows per company."""
    rng = random.Random(seed)
    companies = [
        f"{rng.choice(WORDS)} {rng.choice(WORDS)} {n} {rng.choice(FORMS)}"
        for n in range(max(1, count // 8))
    ]
    start = date(2024, 1, 8)
    rows = []
    for n in range(count):
        status = rng.choice(STATUSES)
        responsible = rng.choice(NETWORKS) if status != "neu" else ""
        rows.append([
            rng.choice(companies),
            rng.choice(PEOPLE),
            f"{rng.choice(NEEDS)} {n + 1}",
            rng.choice(KINDS),
            ", ".join(rng.sample(TOPICS, rng.randint(0, 2))),
            status,
            (date(2027, 1, 4) + timedelta(days=n % 300)).strftime("%d.%m.%Y"),
            rng.choice(NETWORKS),
            responsible,
            rng.choice(PRIORITIES),
            (start + timedelta(days=n % 700)).strftime("%d.%m.%Y"),
            f"Zeile {n + 1}: " + rng.choice(NEEDS) + " für die Fertigung.",
        ])  # fmt: skip
    return rows


def register_csv(count: int, seed: int = 7) -> bytes:
    """The register as a semicolon CSV in UTF-8, as Excel writes it in Germany."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADERS)
    writer.writerows(register_rows(count, seed))
    return out.getvalue().encode("utf-8-sig")


if __name__ == "__main__":
    sys.stdout.buffer.write(register_csv(int(sys.argv[1]) if len(sys.argv) > 1 else 3000))
