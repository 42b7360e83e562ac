"""No input, however odd, makes a public page fail: every form POST answers 200, 302, 400 or 429."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heard.public.journeys import JOURNEYS
from heard.public.tests.conftest import adult_complaint_answers, walk

pytestmark = pytest.mark.django_db

OK = {200, 302, 400, 429}
text = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "99999999999999999999",
            "２０２６",
            "31",
            "2",
            "1900",
            "0000",
            "yes",
            "not_sure",
            "email",
            "anonymous",
            "complaint",
            "\u202e",
            "<script>",
            "'; DROP TABLE x;--",
        ]
    ),
    st.integers(min_value=5000, max_value=120_000).map(lambda n: "x" * n),
)
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def _fields(journey, slug):
    step = journey.step(slug)
    names = set(step.form.base_fields) if step else set()
    expanded = set()
    for n in names:
        expanded |= {n, f"{n}_day", f"{n}_month", f"{n}_year"}
    return sorted(expanded | {"website", "key", "action", "remove", "detail", "email", "phone", "address", "name"})


@FUZZ
@given(data=st.data())
def test_no_input_to_any_complaint_page_is_a_server_error(client, council, data):
    if not client.session.get("public:complaint"):
        walk(client, "complaint", adult_complaint_answers(council))
    journey = JOURNEYS["complaint"]
    slug = data.draw(st.sampled_from([s.slug for s in journey.steps] + ["documents", "check-your-answers"]))
    url = f"/complaint/{slug}" + data.draw(st.sampled_from(["", "?change=1"]))
    keys = _fields(journey, slug)
    payload = data.draw(st.dictionaries(st.sampled_from(keys), text, max_size=len(keys)))
    assert client.post(url, payload).status_code in OK


@FUZZ
@given(name=st.sampled_from(["compliment", "comment", "young-people"]), data=st.data())
def test_no_input_to_the_other_journeys_is_a_server_error(client, council, name, data):
    journey = JOURNEYS[name]
    slug = data.draw(st.sampled_from([s.slug for s in journey.steps] + ["check-your-answers"]))
    keys = _fields(journey, slug)
    payload = data.draw(st.dictionaries(st.sampled_from(keys), text, max_size=len(keys)))
    assert client.post(f"/{name}/{slug}", payload).status_code in OK


@FUZZ
@given(reference=text, email=text, reason=text, token=st.from_regex(r"[A-Za-z0-9_-]{1,120}", fullmatch=True))
def test_no_input_to_the_follow_up_pages_is_a_server_error(client, db, reference, email, reason, token):
    assert client.post("/follow-up", {"reference": reference, "email": email}).status_code in OK
    assert client.post(f"/follow-up/link/{token}").status_code in OK | {410}
    assert client.post("/follow-up/your-case/next-stage", {"reason": reason}).status_code in OK


def test_fuzzing_reaches_the_error_messages_not_just_redirects(client, council):
    # A guard that the strategies above hit real validation: an odd date gets a GOV.UK message.
    walk(client, "complaint", adult_complaint_answers(council))
    r = client.post(
        "/complaint/when",
        {"matter_date_day": "99999999999999999999", "matter_date_month": "2", "matter_date_year": "2026"},
    )
    assert r.status_code == 200 and re.search(r"The date it happened must be a real date", r.content.decode())
