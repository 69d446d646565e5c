"""In a real browser, an unterminated U+202E in a title reverses nothing after it (issue 24: 17).

Saves screenshots under var/screenshots/ (bidi-development-desktop/phone.png).
"""

import datetime as dt

import pytest

from tests.browser import SCREENSHOTS
from tests.factories import make_claim, make_development, make_source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where each character of a needle sits in the page: [top, left] of each, in reading order.
_PLACES = """needle => {
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  const place = (node, i) => {
    const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
    const box = r.getBoundingClientRect(); return [Math.round(box.top), box.left];
  };
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(needle);
    if (at >= 0) return [...needle].map((_, i) => place(node, at + i));
  }
  return null;
}"""


def reads_left_to_right(places: list[list[float]]) -> bool:
    """Each character right of the one before it on the same line (a wrapped line starts again)."""
    pairs = [(a, b) for a, b in zip(places, places[1:], strict=False) if a[0] == b[0]]
    return bool(pairs) and all(a[1] < b[1] for a, b in pairs)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_date_after_a_title_with_an_unterminated_override_reads_left_to_right(browser, live_server,
                                                                                  width):
    source = make_source(outlet="Example News", title="Report \u202eon the corridor",
                         url="https://news.example.org/report", published_on=dt.date(2023, 9, 20))
    development = make_development(sources=[source])
    make_claim(development=development, sources=[source])
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/stories/{development.story.slug}/developments/{development.pk}/")
    # "20 Sept 2023", not "3202 tpeS 02"
    assert reads_left_to_right(page.evaluate(_PLACES, "20 Sept 2023"))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    label = "desktop" if width > 400 else "phone"
    page.screenshot(path=str(SCREENSHOTS / f"bidi-development-{label}.png"), full_page=True)
    context.close()
