"""Every URL under /staff/ (and /admin/) for every role: deny by default, checked everywhere.

The URLs are found by walking the resolver, so pages other engineers add later are covered without
editing this file. The expected outcome of each request comes from the view's declared
`required_action` and heard.staff.access.can(); a hand-written table then pins the policy itself down
for a few key pages, so a mistake in access.py cannot make both sides agree on something wrong.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from heard.accounts.admin import is_administrator
from heard.feedback import services as s
from heard.feedback.models import Document, Feedback
from heard.letters import services as ls
from heard.staff.access import can, visible_feedback

pytestmark = pytest.mark.django_db

# Who to ask as: one user for each role, no role, a manager of another service, and nobody.
AS = {
    "customer_relations": "alice",
    "complaints_manager": "mo",
    "service_manager": "sam",
    "investigating_officer": "ian",
    "independent_person": "pat",
    "panel_member": "quinn",
    "director": "dina",
    "administrator": "ada",
    "no role": "charlie",
    "service manager of another service": "erin",
    "anonymous": None,
}


@dataclass
class Route:
    path: str  # e.g. staff/cases/<str:reference>/triage
    name: str
    callback: object
    kwargs: tuple[str, ...]


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            path = prefix + str(p.pattern)
            yield Route(
                path,
                f"{namespace.strip(':')}:{p.name}" if p.name else "",
                p.callback,
                tuple(re.findall(r"<(?:\w+:)?(\w+)>", path)),
            )


def routes(prefix: str) -> list[Route]:
    return [r for r in _walk(get_resolver().url_patterns) if r.path.startswith(prefix)]


@pytest.fixture
def world(people, social_care, early_help):
    """A social care complaint at stage 2 with Pat as its independent person and a letter waiting for
    approval, and one she is not on."""
    case = s.log_feedback(
        actor=people["alice"],
        kind="complaint",
        channel="email",
        received_on=date(2026, 3, 2),
        service=social_care,
        summary="Visits",
        points=["Visits cancelled"],
        today=date(2026, 3, 2),
    )
    s.respond(
        actor=people["sam"],
        feedback=case,
        on=date(2026, 3, 9),
        today=date(2026, 3, 9),
        findings={1: s.FindingInput("not_upheld")},
    )
    s.escalate_to_stage_2(
        actor=None, feedback=case, requested_on=date(2026, 3, 10), reason="unhappy", today=date(2026, 3, 10)
    )
    s.appoint_independent_person(actor=people["mo"], feedback=case, person=people["pat"])
    other = s.log_feedback(
        actor=people["alice"],
        kind="complaint",
        channel="email",
        received_on=date(2026, 3, 2),
        service=social_care,
        today=date(2026, 3, 2),
    )
    lesson = s.record_lesson(
        actor=people["sam"],
        feedback=case,
        action="Cover rota",
        owner=people["sam"],
        due_on=date(2026, 4, 30),
        on=date(2026, 3, 10),
    )
    s.approve_lesson_for_report(actor=people["mo"], lesson=lesson, text="Visits are now covered when staff are away.")
    letter = ls.submit_letter(
        actor=people["alice"],
        letter=ls.draft_letter(actor=people["alice"], feedback=case, kind="stage1_response", today=date(2026, 3, 10)),
    )
    return {"case": Feedback.objects.get(pk=case.pk), "other": other, "lesson": lesson, "letter": letter}


GUESSES = ("1", "2025", "html", "csv", "pdf", "summary", "x")


def fill(route: Route, world, people) -> tuple[str, bool]:
    """The URL with real objects for its parameters; and whether any had to be guessed (then the first
    guess its converter accepts, found by reversing)."""
    known: dict[str, str] = {}
    guessed = []
    for name in route.kwargs:
        if name == "reference":
            known[name] = world["case"].reference
        elif name in ("user_id", "person_id"):
            known[name] = str(people["sam"].pk)
        elif name == "lesson_id":
            known[name] = str(world["lesson"].pk)
        elif name == "letter_id":
            known[name] = str(world["letter"].pk)
        elif name == "document_id" and Document.objects.filter(feedback=world["case"]).exists():
            known[name] = str(Document.objects.filter(feedback=world["case"]).first().pk)
        else:
            guessed.append(name)
    for values in itertools.product(GUESSES, repeat=len(guessed)):
        try:
            return reverse(route.name, kwargs={**known, **dict(zip(guessed, values, strict=True))}), bool(guessed)
        except NoReverseMatch:
            continue
    raise AssertionError(f"cannot build a URL for {route.path}: add a value for it to fill()")


def expected(route: Route, user, case: Feedback, method: str = "GET") -> set[int]:
    """What the access policy says this user gets from this page (sending its form, for a POST)."""
    action = getattr(route.callback, "required_action", None)
    if action == "public":
        return {200, 302}
    if user is None:
        return {302}
    if action == "signed_in":
        return {200, 302, 405}
    allowed = {200, 302, 405}
    if getattr(route.callback, "case_scoped", False):
        if not visible_feedback(user).filter(pk=case.pk).exists():
            return {404}
        post_action = getattr(route.callback, "post_action", action) if method == "POST" else action
        return allowed if can(user, action, case) and can(user, post_action, case) else {403}
    return allowed if can(user, action) else {403}


def test_every_staff_view_declares_what_it_needs():
    missing = [r.path for r in routes("staff/") if getattr(r.callback, "required_action", None) is None]
    assert not missing, f"staff views without @case_view/@staff_view (required_action): {missing}"


def test_the_walk_finds_the_pages_of_this_part_of_the_app():
    names = {r.name for r in routes("staff/")}
    assert {"staff:home", "staff:log", "staff:search", "staff:triage", "staff:audit", "staff:login"} <= names


@pytest.mark.parametrize("who", list(AS))
def test_every_staff_url_answers_as_the_access_policy_says(client, people, world, who):
    user = people[AS[who]] if AS[who] else None
    if user is not None:
        client.force_login(user)
    wrong = []
    for route in routes("staff/"):
        if route.name == "staff:login" and user is not None:
            continue  # a signed-in user is sent on to the queue (302) or shown the page: both fine
        url, guessed = fill(route, world, people)
        want = expected(route, user, world["case"])
        if guessed and want & {200, 302}:
            want = want | {404}  # a made-up id for an object that does not exist
        response = client.get(url)
        if response.status_code == 405 and route.name != "staff:logout":  # POSTing that would sign us out
            # A POST-only action: GET proves nothing about its access check, so POST (an empty form:
            # a denied user must be refused before anything is read; an allowed one gets the form's errors).
            response = client.post(url, {})
            want = want | ({400} if want & {200} else set())
        got = response.status_code
        if user is None and got == 302 and "sign-in" not in response.url and route.callback.required_action != "public":
            wrong.append(f"{url}: anonymous redirected to {response.url}, not to sign in")
        if got not in want:
            wrong.append(f"{url} ({getattr(route.callback, 'required_action', None)}): got {got}, want {sorted(want)}")
        post_action = getattr(route.callback, "post_action", None)
        if user is not None and post_action not in (None, route.callback.required_action):
            # A page more roles may read than may send its form: send it (empty) too.
            want = expected(route, user, world["case"], "POST")
            want = want | ({400} if want & {200} else set()) | ({404} if guessed and want & {200, 302} else set())
            got = client.post(url, {}).status_code
            if got not in want:
                wrong.append(f"POST {url} ({post_action}): got {got}, want {sorted(want)}")
    assert not wrong, f"{who}:\n" + "\n".join(wrong)


# ------------------------------------------------------------------------ the policy, by hand


def status(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    got = client.get(url).status_code
    # A POST-only action answers GET with 405 before anything else: ask it the way it is used.
    return client.post(url, {}).status_code if got == 405 and not url.endswith("sign-out") else got


def test_charlie_with_no_role_gets_nothing_anywhere(client, people, world):
    charlie = people["charlie"]
    for route in routes("staff/"):
        if getattr(route.callback, "required_action", None) in ("public", "signed_in"):
            continue
        url, _ = fill(route, world, people)
        assert status(client, charlie, url) in (403, 404), url
    assert status(client, charlie, "/admin/") == 302  # to the admin's sign-in, not in


def test_the_administrator_gets_the_admin_but_no_case(client, people, world):
    ada = people["ada"]
    assert status(client, ada, "/admin/") == 200
    assert status(client, ada, reverse("staff:case", args=[world["case"].reference])) == 404
    assert status(client, ada, reverse("staff:home")) == 403
    assert status(client, ada, reverse("admin:feedback_feedback_changelist")) == 403


def test_a_manager_of_another_service_cannot_see_a_social_care_case(client, people, world):
    ref = world["case"].reference
    erin = people["erin"]
    assert status(client, erin, reverse("staff:home")) == 200
    for name in ("staff:case", "staff:triage"):
        assert status(client, erin, reverse(name, args=[ref])) == 404, name


def test_an_independent_person_sees_only_the_case_she_was_appointed_to(client, people, world):
    pat = people["pat"]
    assert status(client, pat, reverse("staff:case", args=[world["case"].reference])) == 200
    assert status(client, pat, reverse("staff:case", args=[world["other"].reference])) == 404
    assert status(client, pat, reverse("staff:triage", args=[world["case"].reference])) == 403


def test_the_audit_is_the_complaints_managers_alone(client, people, world):
    url = reverse("staff:audit_case", args=[world["case"].reference])
    for name in AS.values():
        user = people[name] if name else None
        want = 200 if name == "mo" else (302 if user is None else 403)
        assert status(client, user, url) == want, name


def test_the_director_reads_a_cases_letters_and_approves_them_but_does_not_write_them(client, people, world):
    """The director approves letters (the stage 3 response among them) and answers for the service, so they
    read a case's letters; writing, posting and resending are for those who run the case."""
    ref, letter = world["case"].reference, world["letter"]
    readers = {"alice", "mo", "sam", "dina"}  # on this case: Ian is not its officer; Pat is its independent person
    for url in (reverse("letters:case_letters", args=[ref]), reverse("letters:letter", args=[ref, letter.pk])):
        for who, name in AS.items():
            got = status(client, people[name] if name else None, url)
            if name in readers:
                assert got == 200, (who, url, got)
            else:
                assert got in ((302,) if name is None else (403, 404)), (who, url, got)
    dina = people["dina"]
    client.force_login(dina)
    assert (
        f'href="{reverse("letters:case_letters", args=[ref])}"'
        in client.get(reverse("staff:case", args=[ref])).content.decode()
    )
    page = client.get(reverse("letters:letter", args=[ref, letter.pk])).content.decode()
    assert "<textarea" not in page and reverse("letters:approve", args=[ref, letter.pk]) in page
    assert "Write a letter" not in client.get(reverse("letters:case_letters", args=[ref])).content.decode()
    assert client.get(reverse("letters:approve", args=[ref, letter.pk])).status_code == 200
    # Drafting, editing and recording posting are refused, and change nothing.
    assert client.post(reverse("letters:case_letters", args=[ref]), {"kind": "stage1_response"}).status_code == 403
    assert (
        client.post(
            reverse("letters:letter", args=[ref, letter.pk]),
            {"title": "x", "body": "The director's words", "version": letter.version, "then": "save"},
        ).status_code
        == 403
    )
    assert client.post(reverse("letters:posted", args=[ref, letter.pk])).status_code == 403
    letter.refresh_from_db()
    assert letter.body != "The director's words" and letter.feedback.letters.count() == 1


def test_letters_to_approve_are_for_those_who_approve_letters(client, people, world):
    url = reverse("letters:for_approval")
    for who, name in AS.items():
        got = status(client, people[name] if name else None, url)
        if name in ("mo", "sam", "dina", "erin"):
            assert got == 200, (who, got)
        else:
            assert got == (302 if name is None else 403), (who, got)


def test_lessons_are_approved_for_the_report_by_customer_relations_and_the_complaints_manager_alone(
    client, people, world
):
    ref = world["case"].reference
    urls = [
        reverse("staff:lesson_report", args=[ref]),
        reverse("staff:lesson_report_withdraw", args=[ref]),
        reverse("reports:lessons_this_year"),
        reverse("reports:lessons", args=[2025]),
        reverse("reports:lesson", args=[world["lesson"].pk]),
    ]
    for who, name in AS.items():
        user = people[name] if name else None
        for url in urls:
            got = status(client, user, url)
            if name in ("alice", "mo"):
                assert got in (200, 302), (who, url, got)
            elif user is None:
                assert got == 302, (who, url, got)
            else:
                # Service managers, the director and the rest: refused (404 where the case is not theirs to see).
                assert got in (403, 404), (who, url, got)


def test_concerns_resolved_informally_are_recorded_by_those_who_log_feedback_and_listed_for_the_director_too(
    client, people, world
):
    """Recording one is logging feedback (customer relations, the complaints manager); the list shows each one's
    internal note, so it is theirs and the director's, not a service manager's or anyone appointed to a case."""
    record, listing = reverse("staff:log_informal"), reverse("staff:informal_resolutions")
    for who, name in AS.items():
        user = people[name] if name else None
        for url, allowed in ((record, {"alice", "mo"}), (listing, {"alice", "mo", "dina"})):
            got = status(client, user, url)
            if name in allowed:
                assert got == 200, (who, url, got)
            else:
                assert got == (302 if user is None else 403), (who, url, got)


def test_the_admin_is_the_administrators_alone(client, people):
    for who, name in AS.items():
        user = people[name] if name else None
        got = status(client, user, "/admin/")
        if user is not None and is_administrator(user):
            assert got == 200, who
        else:
            assert got == 302, who  # sent to sign in to the admin; never shown it


CONFIGURATION = ("admin:accounts_", "admin:organisation_", "admin:axes_accessattempt_changelist")


def test_every_admin_page_is_closed_to_everyone_but_the_administrator(client, people):
    """Each admin changelist and add page: 200 only for the administrator (cases: superusers only)."""
    admin_routes = [r for r in routes("admin/") if r.name.endswith(("_changelist", "_add"))]
    assert admin_routes
    for route in admin_routes:
        url = reverse(route.name)
        for who, name in AS.items():
            user = people[name] if name else None
            got = status(client, user, url)
            if user is not None and is_administrator(user) and route.name.startswith(CONFIGURATION):
                assert got == 200, (url, who)
            elif user is not None and is_administrator(user):
                assert got in (200, 403), (url, who, got)  # other apps' admin pages decide for themselves
            else:
                assert got in (302, 403), (url, who, got)


def test_anonymous_is_a_real_anonymous_user():
    assert not AnonymousUser().is_authenticated
