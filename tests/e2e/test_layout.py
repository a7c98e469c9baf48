"""Layout at common screen widths: no sideways scrolling, the user menu in reach, words whole.

The data is as long as the real thing: the 19 networks of the demo data, long personal
names, long titles. Every page of the navigation is measured at every width.
"""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from tracker.demo.data import NETWORKS
from tracker.items.models import ItemKind, Priority
from tracker.meetings import agenda

from .conftest import ARTIFACTS, browser_login, settle

pytestmark = pytest.mark.e2e

DESKTOP_WIDTHS = (1920, 1366, 1280, 1200)  # 1200: the narrowest with the navigation open
PHONE_WIDTH = 390  # the navigation collapses behind the toggler
START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
NAMES = {
    "admin": "Dr. Katharina Vogelsang-Schwarzenberg",
    "manager": "Maximilian Müller-Lüdenscheidt",
    "observer": "Prof. Dr. Matthias Brenner-Hohenstein",
}
TITLES = (
    "Kooperationspartner für ein KI-Pilotprojekt in der optischen Qualitätsprüfung gesucht",
    "Drei Unternehmen fragen nach Förderprogrammen für Energieeffizienz im Maschinenpark",
    "Start-up sucht Kontakt zu Forschungseinrichtungen der Quantentechnologie",
)
# Text of the page as it is laid out: the document's width, the visible width, and every
# gendered word ("Ansprechpartner·in") that the browser broke over more than one line.
MEASURE = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    for (const match of node.data.matchAll(/[\\p{L}-]+·\\p{L}+/gu)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      if ([...range.getClientRects()].filter((r) => r.width > 0).length > 1) {
        broken.push(match[0]);
      }
    }
  }
  const root = document.documentElement;
  return {scroll: root.scrollWidth, visible: root.clientWidth, broken};
}"""
# The user menu's box, and whether a click at its centre reaches it (nothing on top).
USER_MENU = """() => {
  const menu = document.querySelector('#user-menu');
  const box = menu.getBoundingClientRect();
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return {left: box.left, right: box.right, top: box.top, bottom: box.bottom,
          reachable: menu.contains(hit), visible: document.documentElement.clientWidth,
          height: window.innerHeight};
}"""


@pytest.fixture
def world(make_network, make_user, make_topic, make_company, make_item, make_meeting):
    """The 19 networks, a user of each role with a long name, items, a company, a meeting."""
    networks = [make_network(n.short_name, name=n.name) for n in NETWORKS]
    home = next(n for n in networks if n.short_name == "HWKSaaleOrla")
    users = {
        "admin": make_user("admin", name=NAMES["admin"]),
        "manager": make_user("manager", home, name=NAMES["manager"]),
        "observer": make_user("observer", name=NAMES["observer"]),
        "admin-en": make_user("admin", name=NAMES["admin"], locale="en"),
    }
    topics = [make_topic(name) for name in ("Digitalisierung", "Energiewende", "Fachkräfte")]
    company = make_company("Präzisionsoptik und Lasermesstechnik Saale-Holzland GmbH & Co. KG")
    items = [
        make_item(
            actor=users["manager"],
            title=title,
            company=company,
            topics=topics,
            kind=kind,
            priority=Priority.URGENT,
            responsible_network=network,
        )
        for title, kind, network in zip(TITLES, ItemKind, networks[-3:], strict=True)
    ]
    meeting = make_meeting(starts_at=START)
    agenda.prepare_agenda(meeting, actor=users["admin"])
    settle(*users.values(), *networks, company, meeting, *items)
    pages = [
        "/",
        "/items/",
        f"/items/{items[0].id}",
        "/companies/",
        f"/companies/{company.id}",
        "/networks/",
        f"/networks/{home.id}",
        "/meetings/",
        f"/meetings/{meeting.id}",
        f"/meetings/{meeting.id}/live",
        "/overview",
        "/overview/clusters",
        "/reports/",
        "/search/?q=Unternehmen",
        "/meetings/tasks",
        "/account",
    ]
    editor_pages = ["/items/new", f"/items/{items[0].id}/edit"]
    admin_pages = [
        "/admin/users",
        "/admin/users/new",
        "/admin/networks",
        f"/admin/networks/{home.id}",
        "/admin/topics",
        "/import/",
        "/admin/audit",
    ]
    return {
        "users": users,
        "pages": {
            "admin": pages + editor_pages + admin_pages,
            "manager": pages + editor_pages,
            "observer": pages,
            "admin-en": pages + admin_pages,  # English labels are longer in places
        },
    }


def user_menu_problems(page: Page, where: str) -> list[str]:
    """Open the user menu; report if it is cut off, covered or opens outside the screen."""
    if page.viewport_size["width"] < 1200:  # Bootstrap's xl: the navigation is collapsed
        page.locator(".navbar-toggler").click()
        expect(page.locator("#nav-main")).to_have_class("navbar-collapse collapse show")
    box = page.evaluate(USER_MENU)
    problems = []
    if box["left"] < 0 or box["right"] > box["visible"] or box["top"] < 0:
        problems.append(f"{where}: user menu at {box['left']:.0f}–{box['right']:.0f} px")
    elif not box["reachable"]:
        problems.append(f"{where}: user menu covered by another element")
    else:
        page.locator("#user-menu").click()
        menu = page.locator("#user-menu + .dropdown-menu")
        expect(menu).to_be_visible()
        right = menu.evaluate("(m) => m.getBoundingClientRect().right")
        if right > box["visible"]:
            problems.append(f"{where}: user menu opens to {right:.0f} px")
        page.keyboard.press("Escape")
    return problems


def layout_problems(page: Page, path: str, width: int) -> list[str]:
    """Everything wrong with the page's layout at this width, as readable lines."""
    page.set_viewport_size({"width": width, "height": 900})
    where = f"{path} at {width} px"
    measured = page.evaluate(MEASURE)
    problems = []
    if measured["scroll"] > measured["visible"]:
        problems.append(f"{where}: page {measured['scroll']} px wide")
    problems += [f"{where}: “{word}” broken over two lines" for word in measured["broken"]]
    return problems + user_menu_problems(page, where)


@pytest.mark.parametrize("role", ["admin", "manager", "observer", "admin-en"])
def test_pages_fit_the_screen_with_user_menu_in_reach(page, live_server, world, role):
    page.emulate_media(reduced_motion="reduce")  # Bootstrap then opens menus without delay
    browser_login(page, live_server, world["users"][role])
    problems = []
    for path in world["pages"][role]:
        response = page.goto(f"{live_server}{path}")
        assert response.status == 200, path
        for width in (*DESKTOP_WIDTHS, PHONE_WIDTH):
            problems += layout_problems(page, path, width)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("role", "width"), [("admin", 1366), ("manager", 1280)])
def test_start_page_screenshot(page, live_server, world, role, width):
    page.set_viewport_size({"width": width, "height": 900})
    browser_login(page, live_server, world["users"][role])
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"layout-start-{role}-{width}.png")
    expect(page.locator("#user-menu")).to_be_in_viewport(ratio=1)
