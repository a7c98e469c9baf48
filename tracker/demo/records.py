"""Rows of the demo's networks, users, topics, companies and contacts, ready for bulk insert."""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Iterator
from datetime import datetime, timedelta

from tracker.auth.models import UserRole, new_session_token
from tracker.companies.models import company_key
from tracker.demo import data

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slug(text: str, separator: str = "-") -> str:
    """Return ``text`` as lower-case ASCII words joined by ``separator``."""
    text = unicodedata.normalize("NFKD", text.lower().translate(_UMLAUTS))
    text = text.encode("ascii", "ignore").decode()
    return separator.join(re.findall(r"[a-z0-9]+", text))


def network_rows(start_id: int, created_at: datetime) -> list[dict]:
    """Return the 19 fictional networks in roll-call order."""
    return [
        {
            "id": start_id + index,
            "name": spec.name,
            "short_name": spec.short_name,
            "description": f"{spec.focus}; Sitz in {spec.city}. Fiktives Netzwerk der Demo.",
            "website": f"https://{slug(spec.name)}.example",
            "roll_call_position": index + 1,
            "active": True,
            "created_at": created_at,
            "version": 1,
        }
        for index, spec in enumerate(data.NETWORKS)
    ]


def _user(
    user_id: int,
    email: str,
    name: str,
    role: UserRole,
    network_id: int | None,
    password_hash: str,
    created_at: datetime,
) -> dict:
    return {
        "id": user_id,
        "email": email,
        "name": name,
        "password_hash": password_hash,
        "role": role,
        "network_id": network_id,
        "locale": None,
        "active": True,
        "session_token": new_session_token(),
        "created_at": created_at,
        "last_login_at": None,
        "version": 1,
    }


def _people(rng: random.Random) -> Iterator[tuple[str, str]]:
    """Yield distinct (first name, last name) pairs."""
    seen: set[tuple[str, str]] = set()
    while True:
        person = (rng.choice(data.FIRST_NAMES), rng.choice(data.LAST_NAMES))
        if person not in seen:
            seen.add(person)
            yield person


def managers_per_network(networks: int, managers: int | None) -> list[int]:
    """How many managers each network gets, in roll-call order.

    ``managers`` are spread evenly, the first networks taking one more where they do not
    divide; without it the networks have one and two managers in turn.
    """
    if managers is None:
        return [1 + index % 2 for index in range(networks)]
    share, rest = divmod(managers, networks)
    return [share + (index < rest) for index in range(networks)]


def user_rows(
    rng: random.Random,
    networks: list[dict],
    start_id: int,
    managers: int | None,
    password_hash: str,
    created_at: datetime,
) -> list[dict]:
    """Return the admin, the observer and the managers (see ``managers_per_network``)."""
    rows = [
        _user(
            start_id,
            data.ADMIN_EMAIL,
            data.ADMIN_NAME,
            UserRole.ADMIN,
            None,
            password_hash,
            created_at,
        ),
        _user(
            start_id + 1,
            data.OBSERVER_EMAIL,
            data.OBSERVER_NAME,
            UserRole.OBSERVER,
            None,
            password_hash,
            created_at,
        ),
    ]
    people = _people(rng)
    counts = managers_per_network(len(networks), managers)
    for network, count in zip(networks, counts, strict=True):
        for _ in range(count):
            first, last = next(people)
            email = f"{slug(first)}.{slug(last)}@{data.DEMO_DOMAIN}"
            rows.append(
                _user(
                    start_id + len(rows),
                    email,
                    f"{first} {last}",
                    UserRole.MANAGER,
                    network["id"],
                    password_hash,
                    created_at,
                )
            )
    return rows


def _brand(rng: random.Random) -> str:
    return rng.choice(data.BRAND_STARTS) + rng.choice(data.BRAND_ENDS)


def _company_name(rng: random.Random) -> tuple[str, str]:
    """Return a fictional company name without legal form, and its town."""
    city, adjective = rng.choice(data.CITIES)
    trade = rng.choice(data.TRADES)
    style = rng.random()
    if style < 0.3 and adjective:
        return f"{adjective} {trade}", city
    if style < 0.6:
        return f"{rng.choice(data.LAST_NAMES)} {trade}", city
    return f"{_brand(rng)} {trade}", city


def _unique_name(rng: random.Random, taken: set[str]) -> tuple[str, str]:
    name, city = _company_name(rng)
    for attempt in range(60):
        if company_key(name) not in taken:
            return name, city
        name, city = _company_name(rng)
        if attempt >= 30:  # the combinations run short in very large data sets
            name = f"{name} {rng.choice(data.NAME_SUFFIXES)} {rng.randint(2, 999)}"
    raise RuntimeError("no free company name found")


def company_rows(
    rng: random.Random, count: int, start_id: int, taken: set[str], created_before: datetime
) -> list[dict]:
    """Return ``count`` companies whose names match none in ``taken`` nor each other."""
    forms, weights = list(data.LEGAL_FORMS), list(data.LEGAL_FORMS.values())
    rows = []
    for index in range(count):
        base, city = _unique_name(rng, taken)
        taken.add(company_key(base))
        name = f"{base} {rng.choices(forms, weights)[0]}"
        rows.append(
            {
                "id": start_id + index,
                "name": name,
                "name_key": company_key(name),
                "city": city,
                "website": f"https://www.{slug(base)}.example" if rng.random() < 0.7 else "",
                "notes": "",
                "created_at": created_before
                - timedelta(days=rng.randint(31, 400), minutes=rng.randint(0, 600)),
                "version": 1,
            }
        )
    return rows


def contact_rows(rng: random.Random, companies: list[dict], start_id: int) -> list[dict]:
    """Return 0 to 3 contacts per company, with fictional names and addresses."""
    rows = []
    for company in companies:
        count = rng.choices((0, 1, 2, 3), (20, 40, 28, 12))[0]
        for _ in range(count):
            first, last = rng.choice(data.FIRST_NAMES), rng.choice(data.LAST_NAMES)
            title = "Dr. " if rng.random() < 0.08 else ""
            # 030 23125 xxx is a Berlin range kept free for use in fiction.
            phone = f"030 23125 {rng.randint(0, 999):03d}" if rng.random() < 0.5 else ""
            rows.append(
                {
                    "id": start_id + len(rows),
                    "company_id": company["id"],
                    "name": f"{title}{first} {last}",
                    "function": rng.choice(data.CONTACT_FUNCTIONS),
                    "email": f"{slug(first)}.{slug(last)}@example.com",
                    "phone": phone,
                    "created_at": company["created_at"] + timedelta(days=rng.randint(0, 30)),
                    "anonymised_at": None,
                    "version": 1,
                }
            )
    return rows
