"""Word lists of the demo data: fictional networks, people, places and company names."""

from __future__ import annotations

from typing import NamedTuple

# Shared by every demo login and printed by ``flask demo ensure``; never a real account.
DEMO_PASSWORD = "Demo-Passwort-2026"  # noqa: S105
DEMO_DOMAIN = "demo.example"
ADMIN_EMAIL = f"admin@{DEMO_DOMAIN}"
OBSERVER_EMAIL = f"beobachtung@{DEMO_DOMAIN}"
ADMIN_NAME = "Katrin Vogelsang"
OBSERVER_NAME = "Dr. Matthias Brenner"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


class NetworkSpec(NamedTuple):
    name: str
    short_name: str
    city: str
    focus: str
    activity: int  # relative number of items the network brings in


NETWORKS: tuple[NetworkSpec, ...] = (
    NetworkSpec(
        "Netzwerk Photonik Saaletal", "PhotonikSaale", "Jena", "Optik, Photonik und Lasertechnik", 6
    ),
    NetworkSpec(
        "Sensorik-Cluster Ilmtal", "SensorIlm", "Ilmenau", "Sensorik, Mess- und Prüftechnik", 5
    ),
    NetworkSpec(
        "Kunststoffnetzwerk Ostthüringen",
        "KunststoffOst",
        "Gera",
        "Kunststoffverarbeitung und Werkstoffe",
        4,
    ),
    NetworkSpec(
        "Zulieferverbund Mobilität Westthüringen",
        "MobilWest",
        "Eisenach",
        "Fahrzeugbau und Zulieferindustrie",
        5,
    ),
    NetworkSpec(
        "MedTech-Allianz Mittelthüringen",
        "MedTechMitte",
        "Erfurt",
        "Medizintechnik und Gesundheitswirtschaft",
        4,
    ),
    NetworkSpec(
        "Energieregion Nordthüringen",
        "EnergieNord",
        "Nordhausen",
        "Erneuerbare Energien und Speicher",
        4,
    ),
    NetworkSpec(
        "Wasserstoffbündnis Wartburgregion", "H2Wartburg", "Eisenach", "Wasserstoffwirtschaft", 3
    ),
    NetworkSpec(
        "Digitalnetzwerk Rennsteig", "DigitalRennsteig", "Suhl", "Digitalisierung im Mittelstand", 5
    ),
    NetworkSpec(
        "Holz- und Möbelcluster Thüringer Wald",
        "HolzWald",
        "Schleusingen",
        "Holzbe- und -verarbeitung",
        2,
    ),
    NetworkSpec(
        "Ernährungsverbund Thüringer Becken", "FoodBecken", "Sömmerda", "Ernährungswirtschaft", 3
    ),
    NetworkSpec(
        "Maschinenbau-Netzwerk Südthüringen",
        "MaschinenSued",
        "Schmalkalden",
        "Maschinen- und Werkzeugbau",
        5,
    ),
    NetworkSpec(
        "Quanteninitiative Jena-Weimar",
        "QuantenJW",
        "Weimar",
        "Quantentechnologien und ihre Anwendung",
        2,
    ),
    NetworkSpec(
        "Umwelttechnik-Netzwerk Unstrut-Hainich",
        "UmweltUnstrut",
        "Mühlhausen",
        "Umwelt- und Kreislauftechnik",
        3,
    ),
    NetworkSpec(
        "Gesundheitsnetz Elster-Pleiße",
        "GesundElster",
        "Altenburg",
        "Gesundheits- und Pflegewirtschaft",
        2,
    ),
    NetworkSpec(
        "Glas- und Keramiknetzwerk Schiefergebirge",
        "GlasKeramik",
        "Lauscha",
        "Glas, Keramik und technische Werkstoffe",
        2,
    ),
    NetworkSpec(
        "Handwerkskammer Saale-Orla, Innovationsberatung",
        "HWKSaaleOrla",
        "Pößneck",
        "Innovationsberatung für das Handwerk",
        4,
    ),
    NetworkSpec(
        "Industrie- und Handelsforum Kyffhäuser",
        "IHFKyffhaeuser",
        "Sondershausen",
        "Außenwirtschaft und Unternehmensservice",
        3,
    ),
    NetworkSpec(
        "Wirtschaftsförderagentur Thüringer Mitte",
        "WFAMitte",
        "Arnstadt",
        "Ansiedlung, Förderung und Fachkräfte",
        5,
    ),
    NetworkSpec(
        "Gründungsnetzwerk Erfurt-Weimar",
        "StartupEW",
        "Erfurt",
        "Gründungen und junge Technologieunternehmen",
        3,
    ),
)

# Topics of DESIGN.md 2, with the relative frequency of items about them.
TOPICS: dict[str, int] = {
    "Digitalisierung": 14,
    "KI": 11,
    "Energiewende": 12,
    "Fachkräfte": 12,
    "Förderung": 9,
    "Kooperation": 7,
    "Internationalisierung": 6,
    "Nachhaltigkeit": 8,
    "Quantentechnologie": 3,
    "Sensorik": 6,
    "Wasserstoff": 5,
    "Gesundheitswirtschaft": 5,
}

# Thuringian towns with the adjective used in company names ("Saalfelder ..."), or None.
CITIES: tuple[tuple[str, str | None], ...] = (
    ("Erfurt", "Erfurter"),
    ("Jena", "Jenaer"),
    ("Gera", "Geraer"),
    ("Weimar", "Weimarer"),
    ("Gotha", "Gothaer"),
    ("Eisenach", "Eisenacher"),
    ("Nordhausen", "Nordhäuser"),
    ("Suhl", "Suhler"),
    ("Ilmenau", "Ilmenauer"),
    ("Mühlhausen", "Mühlhäuser"),
    ("Altenburg", "Altenburger"),
    ("Saalfeld", "Saalfelder"),
    ("Rudolstadt", "Rudolstädter"),
    ("Arnstadt", "Arnstädter"),
    ("Sonneberg", "Sonneberger"),
    ("Apolda", "Apoldaer"),
    ("Meiningen", "Meininger"),
    ("Greiz", "Greizer"),
    ("Pößneck", "Pößnecker"),
    ("Sömmerda", "Sömmerdaer"),
    ("Schmalkalden", "Schmalkalder"),
    ("Hermsdorf", "Hermsdorfer"),
    ("Sondershausen", "Sondershäuser"),
    ("Hildburghausen", "Hildburghäuser"),
    ("Eisenberg", "Eisenberger"),
    ("Schleiz", "Schleizer"),
    ("Lauscha", "Lauschaer"),
    ("Ruhla", "Ruhlaer"),
    ("Bad Salzungen", None),
    ("Zeulenroda-Triebes", None),
    ("Heilbad Heiligenstadt", None),
    ("Bad Langensalza", None),
    ("Leinefelde-Worbis", None),
    ("Zella-Mehlis", None),
    ("Bad Frankenhausen", None),
)

FIRST_NAMES: tuple[str, ...] = _words(
    """
    Anna Andreas Anja Bernd Birgit Christian Claudia Daniel Doreen Elena Felix Franziska
    Frank Heike Ines Jan Jana Jens Julia Kai Karin Katja Kerstin Lars Lea Lukas Maik
    Mandy Marco Maria Martin Michael Mirko Nadine Nico Paul Peggy Petra Philipp Ronny
    Sabine Sandra Sebastian Silke Simone Stefan Steffen Susanne Thomas Tino Torsten
    Ulrike Uwe Yvonne Sophie Emil Leonie Hannes Mareike Tobias
    """
)

LAST_NAMES: tuple[str, ...] = _words(
    """
    Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch
    Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hartmann Lange
    Werner Krause Lehmann Köhler Herrmann König Walter Möller Kaiser Fuchs Peters Lang
    Scholz Jung Hahn Vogel Friedrich Günther Keller Berger Frank Roth Beck Lorenz
    Baumann Franke Albrecht Winter Ludwig Sommer Seidel Heinrich Brandt Haas Schreiber
    Graf Dietrich Ziegler Kühn Pohl Engel Horn Sauer Arnold Thomas Bergmann Pfeiffer
    Voigt Götze Ebert Kretschmer Reinhardt Rößler Heller Kirchner Steinbach Thiele
    Wunderlich Hesse Fritzsche Gruner Lindner Ullrich Wendt Hüttner Trautmann Eckardt
    Schubert
    """
)

# The trade in a company name; "Saalfelder Präzisionsoptik GmbH".
TRADES: tuple[str, ...] = _words(
    """
    Präzisionsoptik Sensortechnik Messtechnik Kunststofftechnik Metallbau Medizintechnik
    Softwarelösungen Anlagenbau Glaswerk Lasertechnik Automatisierungstechnik Holzbau
    Feinmechanik Elektronik Photonik Werkzeugbau Logistik Datenanalyse Biotechnologie
    Energiesysteme Solartechnik Oberflächentechnik Gießerei Verpackungen Backwaren
    Brauerei Haustechnik Umwelttechnik Prüftechnik Mikrosysteme Mikroelektronik
    Antriebstechnik Fahrzeugteile Textiltechnik Keramik Labortechnik Wasseraufbereitung
    Recycling IT-Service Systemhaus Ingenieurbüro Kältetechnik Stahlbau Spritzguss
    Druckerei Leiterplatten Robotik Bildverarbeitung Quantensysteme Wasserstofftechnik
    Baustoffe Beschichtungen Fördertechnik Lebensmitteltechnik Mühlenwerke Pflegedienste
    Möbelwerkstätten Zerspanungstechnik Hydraulik Dentaltechnik
    """
)

# Syllables for invented brand names ("Lumatec Sensortechnik GmbH").
BRAND_STARTS: tuple[str, ...] = _words(
    """
    Lum Sens Vit Quant Opt Terr Aqu Nov Cel Hel Ferr Mik Therm Vel Ark Sol Lin Pol Kor
    Zen Val Tri
    """
)
BRAND_ENDS: tuple[str, ...] = _words(
    """
    atec ion alis avo ora onik ix ento ulan umo eon ida
    """
)
# Added to a name that is taken already, before falling back to a number.
NAME_SUFFIXES: tuple[str, ...] = _words("Nord Süd Ost West Mitte Service Systeme Technik Solutions")

LEGAL_FORMS: dict[str, int] = {
    "GmbH": 60,
    "GmbH & Co. KG": 12,
    "AG": 4,
    "UG (haftungsbeschränkt)": 8,
    "KG": 5,
    "e.K.": 6,
}

CONTACT_FUNCTIONS: tuple[str, ...] = (
    "Geschäftsführung",
    "Leitung Entwicklung",
    "Personalleitung",
    "Innovationsmanagement",
    "Einkauf",
    "Vertriebsleitung",
    "Technische Leitung",
    "Assistenz der Geschäftsführung",
    "Qualitätsmanagement",
    "Produktionsleitung",
    "Nachhaltigkeitsbeauftragte·r",
    "",
)
