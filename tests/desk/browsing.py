"""The desk in a real browser: log in at a width, check with axe-core, take a screenshot."""

from __future__ import annotations

from tests.browser import SCREENSHOTS

DESKTOP, PHONE = 1280, 390
SERIOUS = ("serious", "critical")


def logged_in(browser, live_server, user, *, width: int = DESKTOP):
    """A page of a new browser context, `width` px wide, logged in to the desk as `user`."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw-for-tests-only")
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    return page


def serious_violations(page) -> list[str]:
    """What axe-core finds serious or critical on the page (WCAG 2 A and AA rules)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag",
                                                   "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: {v['nodes'][0]['target']})"
            for v in results.response["violations"] if v.get("impact") in SERIOUS]


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)


def duplicate_ids(page) -> list[str]:
    return page.evaluate("""() => {
        const seen = {}; document.querySelectorAll('[id]').forEach(e => seen[e.id] = (seen[e.id] || 0) + 1);
        return Object.keys(seen).filter(id => seen[id] > 1);
    }""")
