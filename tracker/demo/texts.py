"""Text building blocks of demo items: titles, descriptions, notes and comments.

Subjects begin with a feminine or plural noun, so that they read correctly after
"für", "zu" and "von" alike.
"""

from __future__ import annotations

from typing import NamedTuple

# Per topic: the area ("im Bereich ...") and subjects for titles.
AREAS: dict[str, str] = {
    "Digitalisierung": "Digitalisierung",
    "KI": "Künstliche Intelligenz",
    "Energiewende": "Energiesysteme",
    "Fachkräfte": "Fachkräftesicherung",
    "Förderung": "Innovationsförderung",
    "Kooperation": "Technologietransfer",
    "Internationalisierung": "Außenwirtschaft",
    "Nachhaltigkeit": "Kreislaufwirtschaft",
    "Quantentechnologie": "Quantentechnologie",
    "Sensorik": "Sensorik",
    "Wasserstoff": "Wasserstofftechnik",
    "Gesundheitswirtschaft": "Medizintechnik",
}

SUBJECTS: dict[str, tuple[str, ...]] = {
    "Digitalisierung": (
        "Digitalisierung der Auftragsabwicklung",
        "Einführung eines ERP-Systems",
        "Vernetzung von Bestandsmaschinen",
        "IT-Sicherheit in der Produktion",
        "Automatisierung der Angebotserstellung",
        "Cloud-Lösung für die Zeiterfassung",
    ),
    "KI": (
        "KI-Pilotprojekt in der Qualitätsprüfung",
        "Bilderkennung in der Wareneingangskontrolle",
        "Vorhersage von Maschinenausfällen",
        "Auswertung von Produktionsdaten mit KI",
        "Nutzung von Sprachmodellen im Kundenservice",
    ),
    "Energiewende": (
        "Energieeffizienzmaßnahmen",
        "Abwärmenutzung in der Produktion",
        "Umstellung auf Photovoltaik",
        "Senkung der Energiekosten",
        "Speicherlösung für Eigenstrom",
        "Lastspitzenkappung im Betrieb",
    ),
    "Fachkräfte": (
        "Gewinnung von Fachkräften",
        "Ausbildung in Mechatronik",
        "Integration ausländischer Fachkräfte",
        "Weiterbildung für Schichtleitungen",
        "Bindung von Auszubildenden",
    ),
    "Förderung": (
        "Finanzierung einer Produktionserweiterung",
        "Beantragung von Investitionszuschüssen",
        "Innovationsförderung im Mittelstand",
        "Markteinführung eines neuen Produkts",
    ),
    "Kooperation": (
        "Zusammenarbeit mit Forschungseinrichtungen",
        "Kooperation mit Zulieferern aus der Region",
        "Bündelung des Einkaufs",
        "Verbundforschung mit Hochschulen",
    ),
    "Internationalisierung": (
        "Markterschließung in Skandinavien",
        "Exportberatung für Nordamerika",
        "Teilnahme an einer Messe in Singapur",
        "Zertifizierung für den US-Markt",
        "Suche nach Vertriebspartnern in Polen",
    ),
    "Nachhaltigkeit": (
        "Nachhaltigkeitsberichterstattung nach CSRD",
        "Ermittlung des CO₂-Fußabdrucks",
        "Kreislaufführung von Kunststoffabfällen",
        "Umstellung auf recycelbare Verpackungen",
        "Ökobilanzierung von Produkten",
    ),
    "Quantentechnologie": (
        "Anwendung von Quantensensorik",
        "Erprobung von Quantencomputing für die Logistik",
        "Qualifizierung in Quantentechnologie",
        "Integration von Einzelphotonenquellen",
    ),
    "Sensorik": (
        "Zustandsüberwachung von Anlagen",
        "Entwicklung eines Feuchtesensors",
        "Kalibrierung optischer Sensoren",
        "Sensorintegration in Textilien",
    ),
    "Wasserstoff": (
        "Umstellung von Erdgas auf Wasserstoff",
        "Wasserstoffversorgung für den Fuhrpark",
        "Elektrolyse am eigenen Standort",
        "Zertifizierung von Wasserstoffkomponenten",
    ),
    "Gesundheitswirtschaft": (
        "Zulassung eines Medizinprodukts nach MDR",
        "Digitalisierung in der Pflege",
        "Gesundheitsförderung im Betrieb",
        "Erprobung in einer Klinik",
    ),
}


class Template(NamedTuple):
    pattern: str  # with {subject} or {area}
    topic: str | None = None  # a topic the title implies besides the item's main topic


TITLES: dict[str, tuple[Template, ...]] = {
    "need": (
        Template("Partner für {subject} gesucht", "Kooperation"),
        Template("Unterstützung bei {subject} benötigt"),
        Template("Dienstleister für {subject} gesucht"),
        Template("Fachkräfte für {subject} gesucht", "Fachkräfte"),
        Template("Pilotanwender für {subject} gesucht", "Kooperation"),
        Template("Erfahrungsaustausch zu {subject} gesucht"),
    ),
    "request": (
        Template("Fragen zur Förderung von {subject}", "Förderung"),
        Template("Kontakt zu Forschungseinrichtung im Bereich {area}", "Kooperation"),
        Template("Anfrage zu {subject}"),
        Template("Ansprechpartner·in für {subject} gesucht"),
        Template("Rechtliche Vorgaben bei {subject}"),
        Template("Hinweise auf Förderprogramme für {subject}", "Förderung"),
    ),
    "wish": (
        Template("Workshop zu {subject} gewünscht"),
        Template("Netzwerktreffen zum Thema {area} gewünscht"),
        Template("Unternehmensbesuch mit Schwerpunkt {area} gewünscht"),
        Template("Weiterbildungsangebot zu {subject} gewünscht", "Fachkräfte"),
        Template("Gemeinsamer Messestand im Bereich {area}", "Internationalisierung"),
        Template("Best-Practice-Austausch zu {subject}"),
    ),
}

OPENERS: dict[str, str] = {
    "need": "sucht Unterstützung im Bereich **{area}**",
    "request": "bittet um Informationen aus dem Bereich **{area}**",
    "wish": "regt ein gemeinsames Angebot im Bereich **{area}** an",
}

REASONS: tuple[str, ...] = (
    "Ein Großkunde verlangt bis Jahresende einen Nachweis.",
    "Die Frist des passenden Förderaufrufs endet im nächsten Quartal.",
    "Ein erster Anlauf im eigenen Haus ist gescheitert.",
    "Die Geschäftsführung hat das Thema für dieses Jahr zur Priorität erklärt.",
    "Zwei Stellen sind seit Monaten unbesetzt.",
    "Ein Wettbewerber hat das Thema bereits umgesetzt.",
    "Die Energiekosten sind im letzten Jahr deutlich gestiegen.",
    "Eine neue Fertigungslinie geht im Frühjahr in Betrieb.",
    "Das Unternehmen wächst und stößt an organisatorische Grenzen.",
    "Eine Hochschule hat Interesse an einer Zusammenarbeit signalisiert.",
)

WANTS: dict[str, tuple[str, ...]] = {
    "need": (
        "ein Umsetzungspartner mit Referenzen in der Region",
        "eine Ansprechperson an einer Hochschule oder einem Institut",
        "Erfahrungen anderer Mitgliedsunternehmen",
        "eine erste Einschätzung zu Aufwand und Kosten",
        "Unterstützung bei der Ausschreibung",
    ),
    "request": (
        "Hinweise auf passende Förderprogramme",
        "ein kurzer Termin mit einer Expertin oder einem Experten",
        "Informationen zu rechtlichen Vorgaben",
        "Kontakte zu Unternehmen mit ähnlichen Fragen",
        "eine Übersicht über Beratungsangebote",
    ),
    "wish": (
        "ein Workshop im Netzwerk",
        "ein Unternehmensbesuch bei einem Anwender",
        "eine Veranstaltung im ersten Halbjahr",
        "ein regelmäßiger Erfahrungsaustausch",
        "ein gemeinsamer Auftritt auf einer Fachmesse",
    ),
}

SOURCE_NOTES: dict[str, str] = {
    "meeting": "In der Netzwerkmanager-Runde vom {date} eingebracht.",
    "phone": "Aufgenommen nach einem Telefonat am {date}.",
    "mail": "Per E-Mail an das Netzwerk gemeldet ({date}).",
    "event": "Auf einer Netzwerkveranstaltung am {date} angesprochen.",
    "visit": "Beim Unternehmensbesuch am {date} besprochen.",
    "other": "",
}

RESOLUTIONS: tuple[str, ...] = (
    "Kontakt zu einem passenden Partner hergestellt; das erste Gespräch hat stattgefunden.",
    "Passendes Förderprogramm gefunden, der Antrag ist eingereicht.",
    "Workshop durchgeführt, zwölf Unternehmen haben teilgenommen.",
    "Das Unternehmen hat mit einem Mitglied des Netzwerks ein Projekt begonnen.",
    "Ansprechpartnerin an der Hochschule vermittelt; eine Bachelorarbeit ist vereinbart.",
    "Beratungsgespräch geführt, das Unternehmen setzt die Maßnahme selbst um.",
    "Zwei Dienstleister vorgeschlagen; das Unternehmen hat einen beauftragt.",
    "Informationen zusammengestellt und im Gespräch erläutert.",
)

DECLINE_REASONS: tuple[str, ...] = (
    "Das Unternehmen hat kein Interesse mehr.",
    "Doppelt erfasst; wird unter einem anderen Anliegen bearbeitet.",
    "Außerhalb des Auftrags der Initiative; an die zuständige Kammer verwiesen.",
    "Keine Rückmeldung des Unternehmens nach drei Nachfragen.",
    "Das Vorhaben wurde vom Unternehmen zurückgestellt.",
)

RETURN_REASONS: tuple[str, ...] = (
    "Passt nicht zu unserem Schwerpunkt, bitte anderes Netzwerk anfragen.",
    "Derzeit keine Kapazität im Netzwerk.",
    "Das Unternehmen wird bereits von einem anderen Netzwerk betreut.",
)

WAIT_REASONS: tuple[str, ...] = (
    "Warten auf Rückmeldung des Unternehmens.",
    "Warten auf die Antwort der Hochschule.",
    "Das Unternehmen prüft das Angebot intern.",
    "Termin mit der Förderbank steht noch aus.",
)

COMMENTS: tuple[str, ...] = (
    "Erstgespräch mit dem Unternehmen geführt.",
    "Zwei mögliche Partner angefragt, Rückmeldung steht aus.",
    "Unterlagen zum Förderprogramm an das Unternehmen geschickt.",
    "Termin vor Ort vereinbart.",
    "In der Runde besprochen: ein weiteres Netzwerk bringt Erfahrungen ein.",
    "Das Unternehmen hat weitere Unterlagen geschickt.",
    "Kurz telefoniert, das Anliegen ist weiterhin aktuell.",
    "Hinweis auf eine passende Veranstaltung gegeben.",
)
