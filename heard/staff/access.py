"""Who may see and do what: deny by default.

Case records are about children, so a user sees a case only for a reason the procedure gives them:
customer relations, the complaints manager and the director see every case (they run and answer for the
procedure); a service manager sees the cases of their service (lead or involved) and those given to them;
an investigating officer, independent person or panel member sees only the cases they were appointed to;
an administrator configures Heard and sees no case; a user with no role sees nothing.

Every page, action and document download asks `visible_feedback(user)` or `can(user, action, feedback)`.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from heard.accounts.models import User
from heard.feedback.models import Feedback

R = User.Role

# The actions of the casework UI, and the roles that may take each (on a case they can see).
RUNS_PROCEDURE = {R.CUSTOMER_RELATIONS, R.COMPLAINTS_MANAGER}
# Letters: written by those who run the procedure or investigate, approved by a manager who did not write
# them (heard.letters.services.APPROVERS), read by both: the director approves the stage 3 letters and
# answers for the service, so they read a case's letters but do not draft, post or resend them.
LETTER_WRITERS = {*RUNS_PROCEDURE, R.SERVICE_MANAGER, R.INVESTIGATING_OFFICER}
LETTER_APPROVERS = {R.COMPLAINTS_MANAGER, R.SERVICE_MANAGER, R.DIRECTOR}
ACTIONS: dict[str, set[str]] = {
    "view": {
        *RUNS_PROCEDURE,
        R.DIRECTOR,
        R.SERVICE_MANAGER,
        R.INVESTIGATING_OFFICER,
        R.INDEPENDENT_PERSON,
        R.PANEL_MEMBER,
    },
    "log": RUNS_PROCEDURE,
    "triage": RUNS_PROCEDURE,
    "acknowledge": RUNS_PROCEDURE,
    "allocate": {*RUNS_PROCEDURE, R.SERVICE_MANAGER},
    "extend": {*RUNS_PROCEDURE, R.SERVICE_MANAGER},
    "interim_update": {*RUNS_PROCEDURE, R.SERVICE_MANAGER, R.INVESTIGATING_OFFICER},
    "add_point": {*RUNS_PROCEDURE, R.SERVICE_MANAGER, R.INVESTIGATING_OFFICER},
    "respond": {*RUNS_PROCEDURE, R.SERVICE_MANAGER, R.INVESTIGATING_OFFICER},
    "withdraw": RUNS_PROCEDURE,
    "escalate": RUNS_PROCEDURE,
    "agree_statement": RUNS_PROCEDURE,
    "appoint": RUNS_PROCEDURE,
    "panel": RUNS_PROCEDURE,
    "director_response": {R.DIRECTOR, R.COMPLAINTS_MANAGER},
    "ombudsman": RUNS_PROCEDURE,
    "lessons": {*RUNS_PROCEDURE, R.SERVICE_MANAGER},
    # Approving the wording the annual report publishes for a lesson learnt (no personal data in any output).
    "publish_lessons": RUNS_PROCEDURE,
    "remedies": {*RUNS_PROCEDURE, R.SERVICE_MANAGER},
    # The complaints manager decides to suspend for concurrent proceedings (Blackpool 10.8).
    "suspend": {R.COMPLAINTS_MANAGER},
    "safeguarding": {*RUNS_PROCEDURE, R.SERVICE_MANAGER, R.INVESTIGATING_OFFICER, R.INDEPENDENT_PERSON, R.DIRECTOR},
    "advocacy": RUNS_PROCEDURE,
    "restrict": {R.COMPLAINTS_MANAGER},
    "close": RUNS_PROCEDURE,
    "pass_to_service": RUNS_PROCEDURE,
    "answer_enquiry": {*RUNS_PROCEDURE, R.SERVICE_MANAGER},
    "link": RUNS_PROCEDURE,
    "note": {
        *RUNS_PROCEDURE,
        R.DIRECTOR,
        R.SERVICE_MANAGER,
        R.INVESTIGATING_OFFICER,
        R.INDEPENDENT_PERSON,
        R.PANEL_MEMBER,
    },
    "download": {
        *RUNS_PROCEDURE,
        R.DIRECTOR,
        R.SERVICE_MANAGER,
        R.INVESTIGATING_OFFICER,
        R.INDEPENDENT_PERSON,
        R.PANEL_MEMBER,
    },
    "upload": {*RUNS_PROCEDURE, R.SERVICE_MANAGER, R.INVESTIGATING_OFFICER, R.INDEPENDENT_PERSON, R.PANEL_MEMBER},
    # A case's letters: "read_letters" opens the list, a letter and its PDF; "letters" drafts, edits, sends for
    # approval, records posting and resends a failed email.
    "read_letters": LETTER_WRITERS | LETTER_APPROVERS,
    "letters": LETTER_WRITERS,
    "approve_letter": LETTER_APPROVERS,
}
# Not about one case.
GLOBAL_ACTIONS: dict[str, set[str]] = {
    "work_queue": {
        *RUNS_PROCEDURE,
        R.DIRECTOR,
        R.SERVICE_MANAGER,
        R.INVESTIGATING_OFFICER,
        R.INDEPENDENT_PERSON,
        R.PANEL_MEMBER,
    },
    "search": {
        *RUNS_PROCEDURE,
        R.DIRECTOR,
        R.SERVICE_MANAGER,
        R.INVESTIGATING_OFFICER,
        R.INDEPENDENT_PERSON,
        R.PANEL_MEMBER,
    },
    "log": RUNS_PROCEDURE,
    # Concerns resolved informally within 24 hours (not cases): recorded by those who log feedback (the "log"
    # action), listed for them and the director, who answers for the service. The list shows each one's
    # internal note, so not for service managers, who see only their own service's cases.
    "informal_resolutions": {*RUNS_PROCEDURE, R.DIRECTOR},
    "audit": {R.COMPLAINTS_MANAGER},
    "reports": {R.COMPLAINTS_MANAGER, R.DIRECTOR},
    # A year's lessons learnt, to approve their wording for the annual report.
    "publish_lessons": RUNS_PROCEDURE,
    "restrict": {R.COMPLAINTS_MANAGER},
    # The letters waiting for this user's approval, on every case they can see.
    "approve_letters": LETTER_APPROVERS,
    "templates": {R.ADMINISTRATOR, R.COMPLAINTS_MANAGER},
}


def visible_feedback(user: User, queryset: QuerySet[Feedback] | None = None) -> QuerySet[Feedback]:
    """The records this user may see. An empty queryset unless the role gives a reason."""
    qs = Feedback.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active or not user.role:
        return qs.none()
    if user.sees_every_case:
        return qs
    if user.role == R.SERVICE_MANAGER:
        rule = Q(assignee=user)
        if user.service_id:
            rule |= Q(service_id=user.service_id) | Q(other_services=user.service_id)
        # other_services can duplicate rows: filter by id to keep one row per record.
        return qs.filter(pk__in=Feedback.objects.filter(rule).values("pk"))
    if user.role == R.INVESTIGATING_OFFICER:
        return qs.filter(
            pk__in=Feedback.objects.filter(
                Q(assignee=user) | Q(stages__investigating_officer=user) | Q(stages__adjudicating_officer=user)
            ).values("pk")
        )
    if user.role == R.INDEPENDENT_PERSON:
        return qs.filter(pk__in=Feedback.objects.filter(stages__independent_person=user).values("pk"))
    if user.role == R.PANEL_MEMBER:
        return qs.filter(pk__in=Feedback.objects.filter(panel_members__person=user).values("pk"))
    return qs.none()


def can_see(user: User, feedback: Feedback) -> bool:
    return visible_feedback(user).filter(pk=feedback.pk).exists()


def can(user: User, action: str, feedback: Feedback | None = None) -> bool:
    """May this user take this action (on this record)? Unknown actions are denied."""
    if not user.is_authenticated or not user.is_active or not user.role:
        return False
    if feedback is None:
        return user.role in GLOBAL_ACTIONS.get(action, set())
    return user.role in ACTIONS.get(action, set()) and can_see(user, feedback)
