"""Signing in: password rules, lockout that reveals nothing, sign-out by POST, password change."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from heard.testing.fixtures import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, username, password):
    return client.post(reverse("staff:login"), {"username": username, "password": password})


def test_signing_in_goes_to_the_work_queue(client, people):
    response = sign_in(client, "alice", PASSWORD)
    assert response.status_code == 302 and response.url == reverse("staff:home")
    assert client.get(reverse("staff:home")).status_code == 200


def test_a_wrong_password_gets_the_same_message_as_an_unknown_username(client, people):
    wrong = sign_in(client, "alice", "not the password").content.decode()
    unknown = sign_in(client, "nobody-here", "not the password").content.decode()
    message = "Enter a correct username and password"
    assert message in wrong and message in unknown


def test_the_sign_in_page_is_govuk_styled_with_an_error_summary(client, people):
    html = client.post(reverse("staff:login"), {}).content.decode()
    assert "govuk-error-summary" in html and "Enter your username" in html and "Enter your password" in html
    assert html.count("<title>Error: ") == 1


def test_five_failures_lock_the_account_and_the_page_says_so_without_the_username(client, people, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "alice", "wrong password")
    response = sign_in(client, "alice", PASSWORD)  # even the right password is refused now
    html = response.content.decode()
    assert response.status_code == 429
    assert "Your account is locked for 30 minutes after 5 failed attempts" in html
    assert "alice" not in html
    assert "_auth_user_id" not in client.session


def test_an_unknown_username_is_locked_the_same_way_so_lockout_reveals_nothing(client, people, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "no-such-user", "wrong password")
    response = sign_in(client, "no-such-user", "wrong password")
    assert response.status_code == 429 and "Your account is locked" in response.content.decode()


def test_the_lockout_is_per_username_not_per_office(client, people, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "alice", "wrong password")
    assert sign_in(client, "mo", PASSWORD).status_code == 302


def test_signing_out_is_a_post_and_ends_the_session(client, people):
    client.force_login(people["alice"])
    assert client.get(reverse("staff:logout")).status_code == 405
    response = client.post(reverse("staff:logout"))
    assert response.status_code == 302 and response.url == reverse("staff:login")
    assert client.get(reverse("staff:home")).status_code == 302


def test_every_staff_page_shows_a_sign_out_button_in_a_form(client, people):
    client.force_login(people["alice"])
    html = client.get(reverse("staff:home")).content.decode()
    assert f'action="{reverse("staff:logout")}"' in html and "Sign out" in html


def test_sessions_expire_after_30_idle_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST


def test_passwords_must_be_long_and_not_common(people):
    for weak in ("short1", "password1234", "123456789012"):
        with pytest.raises(ValidationError):
            validate_password(weak, people["alice"])
    validate_password("a long unusual phrase 93", people["alice"])


def test_changing_a_password_checks_the_rules(client, people):
    client.force_login(people["charlie"])  # any signed-in user may change their own password
    url = reverse("staff:password_change")
    html = client.post(
        url, {"old_password": PASSWORD, "new_password1": "password1234", "new_password2": "password1234"}
    ).content.decode()
    assert "This password is too common" in html
    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "a long unusual phrase 93",
            "new_password2": "a long unusual phrase 93",
        },
    )
    assert response.status_code == 302
    people["charlie"].refresh_from_db()
    assert people["charlie"].check_password("a long unusual phrase 93")


def test_a_user_with_no_role_signs_in_but_sees_no_work_queue(client, people):
    sign_in(client, "charlie", PASSWORD)
    assert client.get(reverse("staff:home")).status_code == 403
