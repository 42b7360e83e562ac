"""The young people's version: their words, an advocate offered on every page, a quick way out."""

import re
from html import unescape

import pytest

from heard.public.tests.conftest import walk

pytestmark = pytest.mark.django_db

# The reference annual report: young people asked professionals to stop using these words.
BANNED = ["contact", "LAC", "stat visit", "placement", "LAC review", "siblings"]

YOUNG_COMPLAINT = {
    "what": {"kind": "complaint"},
    "story": {"summary_text": "My worker never calls me back."},
    "better": {"desired_outcome": "A worker who calls back"},
    "advocate": {"advocacy": "yes"},
    "name": {"name": "Kai"},
    "reply": {"preferred_contact": "email"},
    "details": {"detail": "kai@example.com"},
}


def visible_text(html: str) -> str:
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    html = re.sub(r'(?s)<div class="govuk-visually-hidden" aria-hidden="true">.*?</div>', " ", html)  # honeypot
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def young_pages(client):
    """Every young people's page, each with its errors showing too."""
    pages = {"/young-people/": client.get("/young-people/").content.decode()}
    for slug in YOUNG_COMPLAINT:
        empty = client.post(f"/young-people/{slug}", {})
        if empty.status_code == 200:  # the page with its error showing (optional questions just move on)
            pages[f"/young-people/{slug} (error)"] = empty.content.decode()
        url = f"/young-people/{slug}"
        pages[url] = client.get(url).content.decode()
        client.post(url, YOUNG_COMPLAINT[slug])
    pages["check"] = client.get("/young-people/check-your-answers").content.decode()
    key = re.search(r'name="key" value="([0-9a-f]+)"', pages["check"]).group(1)
    client.post("/young-people/check-your-answers", {"key": key})
    pages["sent"] = client.get("/young-people/sent").content.decode()
    return pages


def test_no_young_peoples_page_uses_the_words_young_people_asked_us_not_to(client, council):
    for url, html in young_pages(client).items():
        text = visible_text(html)
        for word in BANNED:
            assert not re.search(rf"\b{re.escape(word)}", text, flags=re.IGNORECASE), f"{word!r} on {url}"


def test_every_young_peoples_page_offers_an_advocate_and_a_way_to_exit(client, council, settings):
    for url, page in young_pages(client).items():
        html = unescape(page)
        assert "You can have an advocate" in html and settings.HEARD_ADVOCACY_SERVICE in html, url
        assert "govuk-exit-this-page" in html and 'href="https://www.bbc.co.uk/weather"' in html, url


def test_no_young_peoples_page_asks_for_an_email_address_unless_they_choose_email(client, council):
    walk(
        client,
        "young-people",
        {**YOUNG_COMPLAINT, "reply": {"preferred_contact": "phone"}, "details": {"detail": "07700 900982"}},
    )
    for slug in YOUNG_COMPLAINT:
        html = client.get(f"/young-people/{slug}").content.decode()
        assert 'type="email"' not in html, slug
