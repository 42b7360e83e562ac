"""Browser tests: Debian's Chromium driven by Playwright, checked with axe-core.

Registered in heard/conftest.py. Fixtures:

- ``browser`` (session): Chromium from /usr/bin/chromium, headless. Never a downloaded browser.
- ``page``: a fresh context per test, 1280×900 (desktop).
- ``phone_page``: a fresh context per test, 375×812, touch, mobile viewport.
- ``no_js_page``: a fresh context per test with JavaScript off, 1280×900. (Playwright's own calls
  still work: ``fill``, ``click``, even ``evaluate`` of synchronous code; nothing asynchronous runs.)

Helpers (import them: ``from heard.testing.browser import assert_accessible, screenshot``):

- ``assert_accessible(page)``: runs axe-core (WCAG 2.0/2.1/2.2 A and AA) on the page as it is now and
  fails listing every violation. Zero violations is the bar.
- ``screenshot(page, name)``: a full-page PNG in test-artifacts/screenshots/ (gitignored).

A browser test is marked ``@pytest.mark.browser`` and ``@pytest.mark.django_db(transaction=True)``
and opens ``live_server.url``. The tests skip, with the reason, when /usr/bin/chromium or the built
assets (``make assets``) are missing, so the suite still passes on a machine without them.

Every page fixture fails the test if the page raised a JavaScript error, so a broken ``initAll()``
can't go unnoticed.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# Playwright's sync API runs an event loop in the test's thread, so Django sees "an async context"
# and refuses ORM calls (SynchronousOnlyOperation) for the rest of the session. The documented
# workaround for Playwright with Django: the calls really are synchronous, from one thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _never_serve_media() -> None:
    """Heard sets MEDIA_URL = None (documents go only through an audited view), but Django's live
    server wraps every request in a media handler that parses MEDIA_URL and, given None, compares
    str paths with bytes and answers every request with a 500. A base URL on another host makes that
    handler step aside for every path, so the live server serves no media either."""
    from django.test import testcases

    handler = testcases._MediaFilesHandler
    original = handler.get_base_url
    handler.get_base_url = lambda self: original(self) or "http://media.invalid/"  # type: ignore[method-assign]


_never_serve_media()

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = Path(os.environ.get("HEARD_CHROMIUM", "/usr/bin/chromium"))
BUILT_ASSETS = [ROOT / "heard/static/build/heard.css", ROOT / "heard/static/build/govuk-frontend.min.js"]
AXE = ROOT / "node_modules/axe-core/axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts/screenshots"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TIMEOUT_MS = 10_000


def missing_requirements() -> str | None:
    """Why browser tests can't run here, or None if they can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium); browser tests skipped"
    missing = [str(p.relative_to(ROOT)) for p in [*BUILT_ASSETS, AXE] if not p.exists()]
    if missing:
        return f"front-end assets not built ({', '.join(missing)} missing: run `make assets`)"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    reason = missing_requirements()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _open_page(browser: Browser, **context_options: Any) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London", **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    js_errors: list[str] = []
    page.on("pageerror", lambda error: js_errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    if js_errors:
        pytest.fail("JavaScript errors on the page:\n" + "\n".join(js_errors), pytrace=False)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A desktop page (1280×900) in a fresh browser context."""
    yield from _open_page(browser, viewport=DESKTOP)


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    """A phone-sized page (375×812, touch) in a fresh browser context."""
    yield from _open_page(browser, viewport=PHONE, is_mobile=True, has_touch=True)


@pytest.fixture
def no_js_page(browser: Browser) -> Iterator[Page]:
    """A desktop page with JavaScript turned off: what every page must work without."""
    for page in _open_page(browser, viewport=DESKTOP, java_script_enabled=False):
        page.heard_javascript_disabled = True  # type: ignore[attr-defined]  (see _axe_on_a_copy)
        yield page


def axe_violations(page: Page, *, disable: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """axe-core's violations for the page as it is now (WCAG 2.0–2.2, levels A and AA)."""
    options = {
        "runOnly": {"type": "tag", "values": AXE_TAGS},
        "resultTypes": ["violations"],
        "rules": {rule: {"enabled": False} for rule in disable},
    }
    if getattr(page, "heard_javascript_disabled", False):
        return _axe_on_a_copy(page, options)
    return _run_axe(page, options)


def _run_axe(page: Page, options: dict[str, Any]) -> list[dict[str, Any]]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate("options => window.axe.run(document, options)", options)["violations"]


def _axe_on_a_copy(page: Page, options: dict[str, Any]) -> list[dict[str, Any]]:
    """axe is asynchronous and a page with JavaScript off never runs its timers, so axe never
    finishes there. Instead: copy the page's DOM without its scripts (what a no-JS visitor gets) and
    check the copy, served at the same URL (so the same stylesheet loads) in a page with JS on."""
    html = page.evaluate(
        """() => {
            const copy = document.documentElement.cloneNode(true);
            copy.querySelectorAll("script").forEach(script => script.remove());
            return "<!DOCTYPE html>" + copy.outerHTML;
        }"""
    )
    url = page.url
    assert page.context.browser is not None
    context = page.context.browser.new_context(viewport=page.viewport_size, locale="en-GB")
    try:
        copy = context.new_page()
        copy.route(
            lambda candidate: candidate == url,
            lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html),
        )
        copy.goto(url)
        return _run_axe(copy, options)
    finally:
        context.close()


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}  {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(json.dumps(t) if not isinstance(t, str) else t for t in node["target"])
            summary = re.sub(r"\s+", " ", node.get("failureSummary") or "").strip()
            lines.append(f"    {target}: {summary}")
    return "\n".join(lines)


def assert_accessible(page: Page, *, disable: tuple[str, ...] = ()) -> None:
    """Fail, listing every violation (rule, impact, target, help), unless axe finds none.

    ``disable`` turns rules off by id: only with a comment saying why it's a false positive.
    """
    violations = axe_violations(page, disable=disable)
    if violations:
        pytest.fail(
            f"{len(violations)} accessibility violation(s) on {page.url}:\n{format_violations(violations)}",
            pytrace=False,
        )


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG of the page to test-artifacts/screenshots/<name>.png and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
