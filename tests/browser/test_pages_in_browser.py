"""Every page type in Chromium at phone and desktop widths: axe-core finds no
WCAG 2.1 A/AA violation, the keyboard reaches everything with a visible focus
and never gets stuck, text at 200% and a 320 px viewport need no horizontal
scrolling. Screenshots go to test-artifacts/screenshots/ (not committed).
"""

from __future__ import annotations

import pytest

from browser.pages import ARTIFACTS, PAGE_TYPES, VIEWPORTS

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCREENSHOTS = ARTIFACTS / "screenshots"

pages = pytest.mark.parametrize("name", list(PAGE_TYPES))
widths = pytest.mark.parametrize("width", list(VIEWPORTS))


def axe_violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe  # noqa: PLC0415

    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    return Axe().run(page, options=options).response["violations"]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"][:10]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {', '.join(map(str, node['target']))}: {summary}")
            lines.append(f"      {node['html'][:200]}")
    return "\n".join(lines)


# What sticks out past the right edge, to say why a page scrolls sideways.
OVERFLOW_JS = """() => {
  const root = document.documentElement;
  const limit = root.clientWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.right > limit + 1 && box.width > 0) {
      const name = `${el.tagName.toLowerCase()}.${el.className}`;
      wide.push(`${name} (right edge ${Math.round(box.right)})`);
    }
  }
  return {scroll: root.scrollWidth, client: limit, wide: wide.slice(0, 8)};
}"""


def assert_no_horizontal_scroll(page, what: str):
    sizes = page.evaluate(OVERFLOW_JS)
    assert sizes["scroll"] <= sizes["client"], (
        f"{what}: horizontal scrolling, document {sizes['scroll']} px wide in a "
        f"{sizes['client']} px window; too wide: {sizes['wide']}"
    )


@pages
@widths
def test_no_accessibility_violations(open_page, name, width):
    page = open_page(name, width)
    violations = axe_violations(page)
    assert not violations, (
        f"axe-core: {len(violations)} WCAG 2.1 A/AA violation(s) on {name} at {width} px:\n"
        + describe_violations(violations)
    )


@pages
@widths
def test_screenshot_and_no_horizontal_scroll(open_page, name, width):
    page = open_page(name, width)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    assert_no_horizontal_scroll(page, f"{name} at {width} px")


@pages
def test_text_at_200_percent_and_320_pixels_reflow(open_page, name):
    page = open_page(name, 1280)
    # WCAG 1.4.4: text resized to 200% — the root font size, as every length
    # in the stylesheet is in rem or em — at desktop and phone widths.
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    assert_no_horizontal_scroll(page, f"{name}, text at 200%, 1280 px")
    page.set_viewport_size(VIEWPORTS[390])
    assert_no_horizontal_scroll(page, f"{name}, text at 200%, 390 px")
    # WCAG 1.4.10: 1280 px at 400% zoom is a 320 CSS px viewport.
    page.evaluate("document.documentElement.style.fontSize = ''")
    page.set_viewport_size({"width": 320, "height": 640})
    assert_no_horizontal_scroll(page, f"{name} at 320 px")


# Computed styles of every focusable element before any has focus, and the
# elements that Tab should reach: shown, enabled, not taken out of the order.
RECORD_UNFOCUSED_JS = """() => {
  const props = ["outlineStyle", "outlineWidth", "outlineColor", "boxShadow",
                 "backgroundColor", "color", "textDecorationLine", "borderBottomColor"];
  window.__props = props;
  window.__unfocused = new Map();
  window.__seen = new Set();
  window.__expected = [];
  const focusable = document.querySelectorAll(
    "a[href], button, input, select, textarea, summary, [tabindex]");
  for (const el of focusable) {
    const style = getComputedStyle(el);
    window.__unfocused.set(el, Object.fromEntries(props.map(p => [p, style[p]])));
    if (el.tabIndex >= 0 && !el.disabled && el.checkVisibility({visibilityProperty: true})) {
      window.__expected.push(el);
    }
  }
  return window.__expected.length;
}"""

DESCRIBE_JS = """el => `${el.tagName.toLowerCase()}.${el.className} "${
  (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 40)}"`"""

# The focused element now: did its look change, and has Tab been here before?
FOCUSED_JS = (
    """() => {
  const describe = """
    + DESCRIBE_JS
    + """;
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const now = Object.fromEntries(window.__props.map(p => [p, style[p]]));
  const before = window.__unfocused.get(el) || {};
  const changed = window.__props.filter(p => now[p] !== before[p]);
  const box = el.getBoundingClientRect();
  const repeat = window.__seen.has(el);
  window.__seen.add(el);
  const outline = now.outlineStyle !== "none" && parseFloat(now.outlineWidth) >= 2
    && !/rgba\\(.*, 0\\)$/.test(now.outlineColor);
  return {
    what: describe(el),
    skipLink: el.classList.contains("skip-link"),
    repeat, changed,
    indicator: (outline && changed.some(p => p.startsWith("outline")))
      || changed.includes("boxShadow") || changed.includes("backgroundColor"),
    visible: box.width > 0 && box.height > 0,
  };
}"""
)

MISSED_JS = (
    "() => { const describe = "
    + DESCRIBE_JS
    + "; return window.__expected.filter(el => !window.__seen.has(el)).map(describe); }"
)


@pages
@widths
def test_keyboard_alone(open_page, name, width):
    page = open_page(name, width)
    # The first Tab shows the skip link; Enter moves focus to <main>, and the
    # next Tab continues there, not in the header.
    page.keyboard.press("Tab")
    first = page.evaluate(
        "() => { const el = document.activeElement; const box = el.getBoundingClientRect();"
        " return {cls: el.className, top: box.top, height: box.height}; }"
    )
    assert first["cls"] == "skip-link", f"first Tab stop is {first['cls']!r}, not the skip link"
    assert first["top"] >= 0 and first["height"] > 0, "the focused skip link is not on screen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "noi-dung"
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('noi-dung').contains(document.activeElement)")

    # Then Tab through the whole page from the top: every element is reached,
    # each shows where the focus is, and focus never gets stuck. Loaded again
    # without the skip link's "#noi-dung": a reload would keep the fragment,
    # and Chromium then starts tabbing after it (past the header) whenever
    # the fragment is applied before the first Tab — a flake under load.
    page.goto(page.url.split("#", 1)[0], wait_until="load")
    expected = page.evaluate(RECORD_UNFOCUSED_JS)
    stops = []
    for _ in range(expected + 5):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED_JS)
        if stop is None or (stop["repeat"] and stop["skipLink"]):
            break  # focus left the page, or came round to the start: the end
        assert not stop["repeat"], (
            f"keyboard trap on {name}: Tab came back to {stop['what']} after "
            f"{[s['what'] for s in stops[-5:]]}"
        )
        stops.append(stop)
    else:
        pytest.fail(f"{name}: still tabbing after {len(stops)} stops ({expected} expected)")
    missed = page.evaluate(MISSED_JS)
    assert not missed, f"{name} at {width} px: Tab never reaches {missed}"
    hidden = [s["what"] for s in stops if not s["visible"]]
    assert not hidden, f"{name} at {width} px: Tab stops on elements that are not shown: {hidden}"
    unmarked = [s["what"] for s in stops if not s["indicator"]]
    assert not unmarked, f"{name} at {width} px: no visible focus indicator on {unmarked}"


@widths
def test_search_results_are_accessible(open_page, site, width):
    # The results list is made by js/search.js from the Pagefind index.
    page = open_page("search", width)
    page.goto(site.page_url("search") + "?q=thi+dua", wait_until="load")
    page.wait_for_selector(".search-result mark", timeout=15_000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"search-results-{width}.png"), full_page=True)
    assert_no_horizontal_scroll(page, f"search results at {width} px")
    violations = axe_violations(page)
    assert not violations, (
        f"axe-core: {len(violations)} violation(s) on the search results at {width} px:\n"
        + describe_violations(violations)
    )
