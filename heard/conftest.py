# Shared pytest plugins: fixtures every app's tests use.
# heard.testing.browser: Playwright in Debian's chromium + axe-core (page, phone_page, no_js_page).
pytest_plugins = ["heard.testing.fixtures", "heard.testing.browser"]
