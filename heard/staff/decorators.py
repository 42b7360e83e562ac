"""Every staff view declares what it needs, and the check runs before the view: deny by default.

    @case_view("respond")
    def respond(request, feedback): ...     # the case comes from the URL's <reference>

    @staff_view("work_queue")
    def queue(request): ...

    @case_view("read_letters", post="letters")
    def case_letters(request, feedback): ...  # read by more roles than may send its form

A case the user may not see is a 404 (its existence is not revealed); a case they may see but not act on
is a 403. Each view carries `required_action` (and `post_action`, what a POST needs) so the
permission-matrix test can check every URL.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from heard.feedback.models import Feedback
from heard.staff.access import can, visible_feedback
from heard.staff.models import AccessRecord


def record_access(user, action: str, feedback: Feedback | None = None, detail: str = "") -> None:
    AccessRecord.objects.create(user=user, feedback=feedback, action=action, detail=detail[:200], at=timezone.now())


def case_view(action: str, *, post: str | None = None) -> Callable:
    """`action` to open the page; `post`, if given, to send its form (a POST needs both)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, reference: str, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            feedback = (
                visible_feedback(user)
                .filter(reference=reference)
                .select_related("service", "team", "theme", "complainant", "child", "assignee")
                .first()
            )
            if feedback is None:
                raise Http404("No case with that reference that you can see.")
            needed = [action, post] if post and request.method == "POST" else [action]
            for each in needed:
                if not can(user, each, feedback):
                    record_access(user, AccessRecord.Action.DENIED, feedback, each)
                    raise PermissionDenied(f"Your role cannot {each.replace('_', ' ')} on this case.")
            if request.method == "GET" and action == "view":
                record_access(user, AccessRecord.Action.VIEWED, feedback, request.resolver_match.url_name or "")
            return view(request, feedback, *args, **kwargs)

        wrapper.required_action = action  # type: ignore[attr-defined]
        wrapper.post_action = post or action  # type: ignore[attr-defined]
        wrapper.case_scoped = True  # type: ignore[attr-defined]
        return wrapper

    return decorate


def staff_view(action: str) -> Callable:
    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can(request.user, action):
                raise PermissionDenied(f"Your role cannot use {action.replace('_', ' ')}.")
            return view(request, *args, **kwargs)

        wrapper.required_action = action  # type: ignore[attr-defined]
        wrapper.case_scoped = False  # type: ignore[attr-defined]
        return wrapper

    return decorate
