"""Signing in and out, the lockout page, and changing a password.

Sign-in goes through Django's LoginView with django-axes: after AXES_FAILURE_LIMIT failures for a
username, that username is locked for AXES_COOLOFF_TIME, whether or not such a user exists, so the
lockout page reveals nothing about which usernames are real.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.views import LoginView, PasswordChangeView, redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_POST

from heard.accounts.admin import is_administrator
from heard.forms import GovukFormMixin
from heard.staff.access import can


def public_view(view):
    """No sign-in needed (the sign-in page itself). Marked for the permission-matrix test."""
    view.required_action = "public"
    view.case_scoped = False
    return view


def signed_in_view(view):
    """Any signed-in user, whatever their role (signing out, changing one's own password)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.required_action = "signed_in"
    wrapper.case_scoped = False
    return wrapper


class SignInForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        # The same words whether the username or the password is wrong: nothing to learn from them.
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "Enter a correct username and password. Both are case-sensitive.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})
        self.fields["password"].error_messages["required"] = "Enter your password"


class GovukPasswordChangeForm(GovukFormMixin, PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.fields["new_password1"].label = "New password"
        self.fields[
            "new_password1"
        ].help_text = f"At least {_min_length()} characters. Avoid common passwords and ones like your name."
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"
        for name in ("new_password1", "new_password2"):
            self.fields[name].widget.attrs["autocomplete"] = "new-password"
        self.fields["old_password"].widget.attrs["autocomplete"] = "current-password"


def _min_length() -> int:
    for validator in settings.AUTH_PASSWORD_VALIDATORS:
        if validator["NAME"].endswith("MinimumLengthValidator"):
            return validator.get("OPTIONS", {}).get("min_length", 8)
    return 8


class SignInView(LoginView):
    template_name = "staff/auth/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        # The administrator configures Heard and has no work queue (they see no case): the admin's home,
        # which links to what is configured in Heard's own pages (letter templates), not a 403.
        user = self.request.user
        if is_administrator(user) and not can(user, "work_queue"):
            return reverse("admin:index")
        return super().get_default_redirect_url()


login = public_view(SignInView.as_view())


@signed_in_view
@require_POST
def logout(request):
    auth_logout(request)
    messages.success(request, "You have signed out")
    return redirect("staff:login")


class StaffPasswordChangeView(PasswordChangeView):
    template_name = "staff/auth/password_change.html"
    form_class = GovukPasswordChangeForm
    success_url = reverse_lazy("staff:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password has been changed")
        return response


password_change = signed_in_view(StaffPasswordChangeView.as_view())


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the same page for any username, real or not (no username in it or in
    the URL), with 429 Too Many Requests."""
    minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes, "form": None}
    return render(request, "staff/auth/locked.html", context, status=429)
