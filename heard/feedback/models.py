"""The case record: every kind of feedback, its stages, points and findings, deadlines, and the
append-only event log that is at once the timeline, the audit trail and the report's raw material.

No business logic here: every change goes through a function in services.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Person(models.Model):
    """Someone outside the council: a complainant, the child concerned, a representative, an MP."""

    class Contact(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone"
        LETTER = "letter", "Letter"
        NONE = "none", "No contact"

    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    preferred_contact = models.CharField(max_length=10, choices=Contact.choices, default=Contact.EMAIL)
    is_child = models.BooleanField(default=False, help_text="A child or young person.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name


class Feedback(models.Model):
    """One piece of feedback: a complaint, compliment, comment or enquiry."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", "Complaint"
        COMPLIMENT = "compliment", "Compliment"
        COMMENT = "comment", "Comment"
        MP_ENQUIRY = "mp_enquiry", "MP enquiry"
        COUNCILLOR_ENQUIRY = "councillor_enquiry", "Councillor enquiry"

    class Channel(models.TextChoices):
        PHONE = "phone", "Phone"
        EMAIL = "email", "Email"
        LETTER = "letter", "Letter"
        IN_PERSON = "in_person", "In person"
        SOCIAL_WORKER = "social_worker", "Through a social worker"
        ONLINE = "online", "Online"
        IMPORTED = "imported", "Imported from a previous system"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"  # not yet acknowledged
        OPEN = "open", "Open"
        RESPONDED = "responded", "Responded"  # a response sent; the complainant may escalate
        SUSPENDED = "suspended", "Suspended"
        CLOSED = "closed", "Closed"
        WITHDRAWN = "withdrawn", "Withdrawn"
        DECLINED = "declined", "Not considered under this procedure"

    # Still being worked on: the work queue, its partial index (Meta below) and is_open agree on these.
    OPEN_STATUSES = (Status.RECEIVED, Status.OPEN, Status.RESPONDED, Status.SUSPENDED)

    class Role(models.TextChoices):
        # Who is complaining, in what capacity (reg 10, SI 2006/1738, and the import spec).
        CHILD_OR_YOUNG_PERSON = "child_or_young_person", "Child or young person"
        PARENT_OR_CARER = "parent_or_carer", "Parent or person with parental responsibility"
        FOSTER_CARER = "foster_carer", "Foster carer"
        SPECIAL_GUARDIAN = "special_guardian", "Special guardian"
        CARE_LEAVER = "care_leaver", "Care leaver"
        ADOPTION = "adoption", "Adopted person, adoptive or birth family, or someone wishing to adopt"
        REPRESENTATIVE = "representative", "Someone acting for a child or young person"
        OTHER = "other", "Someone else"
        ORGANISATION = "organisation", "An organisation"

    class Consent(models.TextChoices):
        NOT_ASKED = "not_asked", "Not yet asked"
        GIVEN = "given", "The child agrees"
        REFUSED = "refused", "The child does not agree"
        NOT_POSSIBLE = "not_possible", "Not possible to ask (age or understanding)"

    class ComplimentSource(models.TextChoices):
        INTERNAL = "internal", "Internal (colleagues, courts, conference chairs)"
        EXTERNAL = "external", "External (service users and families)"

    class EnquiryCategory(models.TextChoices):
        INFORMATION = "information", "Request for information"
        REASONS_FOR_DECISION = "reasons_for_decision", "Reasons for a decision"
        SERVICE_REQUEST = "service_request", "Request for a service"
        CASE_REVIEW = "case_review", "Request for review of a case"

    reference = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    procedure = models.CharField(max_length=40, help_text="The rule pack this record is judged by.")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    received_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    stage = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Current stage (complaints).")

    service = models.ForeignKey("organisation.Service", on_delete=models.PROTECT, related_name="+")
    other_services = models.ManyToManyField(
        "organisation.Service", blank=True, related_name="+", help_text="Other services the complaint spans."
    )
    team = models.ForeignKey("organisation.Team", null=True, blank=True, on_delete=models.PROTECT)
    theme = models.ForeignKey("organisation.Theme", null=True, blank=True, on_delete=models.PROTECT)

    summary = models.TextField(blank=True)
    desired_outcome = models.TextField(blank=True)
    adjustments = models.TextField(blank=True, help_text="Adjustments or another format the person needs.")
    matter_date = models.DateField(null=True, blank=True, help_text="When it happened, as the person told us.")
    late_explanation = models.TextField(blank=True, help_text="Why now, when it happened over 12 months ago.")

    complainant = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback")
    complainant_role = models.CharField(max_length=30, choices=Role.choices, blank=True)
    child = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback_about")
    child_consent = models.CharField(max_length=20, choices=Consent.choices, blank=True)

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="assigned"
    )
    involved_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="involved_in",
        help_text="Staff involved in the matter complained about: they may not investigate it.",
    )
    acknowledged_on = models.DateField(null=True, blank=True)
    responded_on = models.DateField(
        null=True, blank=True, help_text="Enquiries: answered. Compliments and comments: passed to the service."
    )
    closed_on = models.DateField(null=True, blank=True)

    safeguarding = models.BooleanField(default=False)
    safeguarding_referred_on = models.DateField(null=True, blank=True)
    safeguarding_referred_to = models.CharField(max_length=200, blank=True)

    advocacy_offered_on = models.DateField(null=True, blank=True)
    advocacy_wanted = models.BooleanField(null=True, blank=True)
    advocacy_referred_on = models.DateField(null=True, blank=True)
    advocate = models.CharField(max_length=200, blank=True)

    compliment_source = models.CharField(max_length=20, choices=ComplimentSource.choices, blank=True)
    enquiry_category = models.CharField(max_length=30, choices=EnquiryCategory.choices, blank=True)
    selected_for_report = models.BooleanField(
        default=False, help_text="A compliment chosen by staff for the annual report's selection."
    )

    linked = models.ManyToManyField("self", blank=True, symmetrical=True)
    # No due date here: a case's next date is its earliest open council Deadline (clock.next_due), read
    # where needed, so a new bank holiday rewrites one table, not two (ADR 0008).
    # Optimistic locking: a stale form gets "this case changed while you were editing".
    version = models.PositiveIntegerField(default=1)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name_plural = "feedback"
        indexes = [
            models.Index(fields=["kind", "received_on"]),
            models.Index(fields=["status", "received_on"]),
            # The open cases (a few hundred among years of closed ones): every work queue query starts here.
            # The statuses are OPEN_STATUSES, written out because Meta cannot see the class's names.
            models.Index(
                fields=["id"],
                name="open_feedback",
                condition=Q(status__in=["received", "open", "responded", "suspended"]),
            ),
            models.Index(fields=["service", "received_on"]),
            models.Index(fields=["assignee", "status"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_complaint(self) -> bool:
        return self.kind == self.Kind.COMPLAINT

    @property
    def is_enquiry(self) -> bool:
        return self.kind in {self.Kind.MP_ENQUIRY, self.Kind.COUNCILLOR_ENQUIRY}


class Finding(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTIALLY_UPHELD = "partially_upheld", "Partially upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"
    NOT_INVESTIGATED = "not_investigated", "Not investigated"


class Outcome(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTIALLY_UPHELD = "partially_upheld", "Partially upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Triage(models.Model):
    """The decisions made when a complaint arrives, each with its reason."""

    class LateReason(models.TextChoices):
        # Blackpool procedure 4.4; reg 9(2) SI 2006/1738.
        VULNERABILITY = "vulnerability", "Genuine issues of vulnerability"
        BENEFIT = "benefit", "A benefit to the complainant in looking into it"
        EVIDENCE_AVAILABLE = "evidence_available", "Enough information is still available"
        PEOPLE_AVAILABLE = "people_available", "The people involved are still available"
        HUMAN_RIGHTS = "human_rights", "Action needed under human rights legislation"
        OTHER = "other", "Another reason"

    class Exclusion(models.TextChoices):
        COURT = "court", "A court's decision or a court report (s.7 / s.37)"
        CHILD_PROTECTION_CONFERENCE = "child_protection_conference", "Child protection conference or plan"
        ALLEGATION = "allegation", "An allegation against someone who works with children"
        FOSTER_APPROVAL = "foster_approval", "Foster carer approval or termination"
        DATA_DISCLOSURE = "data_disclosure", "Disclosure of personal information"
        INFORMATION_RIGHTS = "information_rights", "A Freedom of Information or data protection refusal"
        SCHOOL = "school", "A school's own matter"
        SERVICE_REQUEST = "service_request", "A request for a service, not a complaint"
        ALREADY_CONSIDERED = "already_considered", "Already considered under this procedure"
        OMBUDSMAN_INVESTIGATED = "ombudsman_investigated", "Already investigated by the Ombudsman"
        DIRECT_PAYMENT = "direct_payment", "A service bought with a direct payment"
        STAFF_CONDUCT = "staff_conduct", "Staff conduct handled under employment procedures"

    feedback = models.OneToOneField(Feedback, on_delete=models.CASCADE, related_name="triage")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField()
    sufficient_interest = models.BooleanField(null=True, blank=True)
    sufficient_interest_reason = models.TextField(blank=True)
    learned_of_matter_on = models.DateField(null=True, blank=True)
    late_reason = models.CharField(max_length=30, choices=LateReason.choices, blank=True)
    late_reason_detail = models.TextField(blank=True)
    exclusion = models.CharField(max_length=40, choices=Exclusion.choices, blank=True)
    sent_to = models.CharField(max_length=300, blank=True, help_text="Where the person was sent instead.")
    procedure_reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Triage of {self.feedback}"


class Stage(models.Model):
    """One stage of a complaint: 1 local resolution, 2 investigation, 3 review panel."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="stages")
    number = models.PositiveSmallIntegerField()
    requested_on = models.DateField(help_text="Stage 1: received. Stages 2 and 3: the complainant asked.")
    request_reason = models.TextField(blank=True)
    late_request_decision = models.TextField(blank=True, help_text="Why a request outside the window was accepted.")
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_on = models.DateField(null=True, blank=True)
    statement_agreed_on = models.DateField(null=True, blank=True)
    statement_of_complaint = models.TextField(blank=True)
    investigating_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    independent_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    adjudicating_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    response = models.TextField(blank=True)

    class Meta:
        ordering = ["feedback", "number"]
        constraints = [models.UniqueConstraint(fields=["feedback", "number"], name="one_stage_of_each_number")]
        indexes = [models.Index(fields=["number", "requested_on"])]

    def __str__(self) -> str:
        return f"{self.feedback.reference} stage {self.number}"


class Point(models.Model):
    """One point of complaint; at stage 2 the agreed statement of complaint is the list of points."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="points")
    number = models.PositiveSmallIntegerField()
    summary = models.TextField()
    added_at_stage = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["feedback", "number"]
        constraints = [models.UniqueConstraint(fields=["feedback", "number"], name="point_numbers_unique")]

    def __str__(self) -> str:
        return f"Point {self.number}: {self.summary[:60]}"


class PointFinding(models.Model):
    point = models.ForeignKey(Point, on_delete=models.CASCADE, related_name="findings")
    stage = models.PositiveSmallIntegerField()
    finding = models.CharField(max_length=20, choices=Finding.choices)
    reason = models.TextField(blank=True, help_text="Required when the point was not investigated.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["point", "stage"], name="one_finding_per_point_and_stage")]

    def __str__(self) -> str:
        return f"{self.point} at stage {self.stage}: {self.get_finding_display()}"


class Deadline(models.Model):
    """A clock: stored when it starts so queues are an indexed query, and always recomputable from the
    rule (procedure, step), its start and the calendar."""

    # Indexed by (feedback, step) below; a second index on feedback alone would only slow every write.
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="deadlines", db_index=False)
    procedure = models.CharField(max_length=40)
    step = models.CharField(max_length=40)
    stage = models.PositiveSmallIntegerField(null=True, blank=True)
    starts_on = models.DateField()
    working_days = models.PositiveSmallIntegerField(help_text="Including any extension.")
    rule_working_days = models.PositiveSmallIntegerField(help_text="The rule's days, before any extension.")
    paused_days = models.PositiveSmallIntegerField(default=0, help_text="Working days spent suspended.")
    paused_since = models.DateField(null=True, blank=True)
    due_on = models.DateField()
    original_due_on = models.DateField(help_text="Before any extension or suspension.")
    met_on = models.DateField(null=True, blank=True)
    cancelled = models.BooleanField(default=False)
    window = models.BooleanField(default=False, help_text="A window for the complainant, not a council deadline.")
    citation = models.CharField(max_length=300)

    class Meta:
        ordering = ["due_on"]
        indexes = [
            models.Index(
                fields=["due_on"],
                name="open_deadline_due",
                condition=Q(met_on__isnull=True, cancelled=False, window=False),
            ),
            models.Index(fields=["feedback", "step"]),
        ]

    def __str__(self) -> str:
        return f"{self.step} due {self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.met_on is None and not self.cancelled

    @property
    def extended(self) -> bool:
        return self.working_days > self.rule_working_days


class Extension(models.Model):
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="extensions")
    from_working_days = models.PositiveSmallIntegerField()
    to_working_days = models.PositiveSmallIntegerField()
    new_due_on = models.DateField()
    reason = models.TextField()
    extended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    extended_on = models.DateField()

    def __str__(self) -> str:
        return f"Extended to {self.to_working_days} working days"


class Suspension(models.Model):
    """reg 9 / Blackpool 10.8: concurrent proceedings may suspend a complaint; its clocks stop."""

    class Reason(models.TextChoices):
        CRIMINAL = "criminal", "Criminal investigation"
        COURT = "court", "Court proceedings"
        TRIBUNAL = "tribunal", "Tribunal"
        DISCIPLINARY = "disciplinary", "Disciplinary proceedings"

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="suspensions")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    detail = models.TextField(blank=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_reason_display()} from {self.started_on}"


class PanelMember(models.Model):
    """reg 19: a review panel of three independent people, the chair appointed first."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="panel_members")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_chair = models.BooleanField(default=False)
    appointed_on = models.DateField()

    class Meta:
        ordering = ["-is_chair", "id"]
        constraints = [models.UniqueConstraint(fields=["feedback", "person"], name="a_person_sits_once_on_a_panel")]

    def __str__(self) -> str:
        return f"{self.person}{' (chair)' if self.is_chair else ''}"


class ReviewPanel(models.Model):
    feedback = models.OneToOneField(Feedback, on_delete=models.CASCADE, related_name="review_panel")
    meeting_on = models.DateField(null=True, blank=True)
    venue = models.CharField(max_length=200, blank=True)
    complainant_notified_on = models.DateField(null=True, blank=True)
    late_meeting_reason = models.TextField(blank=True)
    report_received_on = models.DateField(null=True, blank=True)
    recommendations = models.TextField(blank=True)
    director_responded_on = models.DateField(null=True, blank=True)
    director_agrees = models.BooleanField(null=True, blank=True)
    director_response = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Review panel for {self.feedback}"


class OmbudsmanCase(models.Model):
    class Decision(models.TextChoices):
        UPHELD_INJUSTICE = "upheld_maladministration_injustice", "Upheld: fault and injustice"
        UPHELD_NO_INJUSTICE = "upheld_maladministration_no_injustice", "Upheld: fault, no injustice"
        UPHELD_REMEDIED = "upheld_remedied_by_council", "Upheld: remedied by the council before the Ombudsman"
        NOT_UPHELD = "not_upheld", "Not upheld"
        CLOSED_AFTER_INITIAL_ENQUIRIES = "closed_after_initial_enquiries", "Closed after initial enquiries"
        PREMATURE = "premature_referred_back", "Premature: referred back to the council"

    feedback = models.OneToOneField(Feedback, on_delete=models.CASCADE, related_name="ombudsman")
    their_reference = models.CharField(max_length=60, blank=True)
    referred_on = models.DateField()
    draft_decision_on = models.DateField(null=True, blank=True)
    decision = models.CharField(max_length=50, choices=Decision.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["referred_on"]), models.Index(fields=["decided_on"])]

    def __str__(self) -> str:
        return f"Ombudsman case for {self.feedback}"


class OmbudsmanEnquiry(models.Model):
    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial request for information"
        FURTHER = "further", "Further request for information"
        DRAFT_DECISION = "draft_decision", "Draft decision: comments due"

    case = models.ForeignKey(OmbudsmanCase, on_delete=models.CASCADE, related_name="enquiries")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    received_on = models.DateField()
    due_on = models.DateField(help_text="The date the Ombudsman set.")
    answered_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due_on}"


class OmbudsmanRecommendation(models.Model):
    case = models.ForeignKey(OmbudsmanCase, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField()
    due_on = models.DateField()
    complied_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Recommendation due {self.due_on}"


class Remedy(models.Model):
    class Kind(models.TextChoices):
        APOLOGY = "apology", "Apology"
        EXPLANATION = "explanation", "Explanation"
        ACTION = "action", "Action taken"
        RECONSIDERED_DECISION = "reconsidered_decision", "Decision reconsidered"
        AMENDED_RECORD = "amended_record", "Record amended"
        FINANCIAL = "financial", "Financial remedy"
        CHANGE_OF_PRACTICE = "change_of_practice", "Change of practice"
        NEW_WORKER = "new_worker", "New worker allocated"

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="remedies")
    stage = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=30, choices=Kind.choices)
    description = models.TextField(blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return self.get_kind_display()


class LessonLearnt(models.Model):
    """An action the council takes because of a complaint. `action` is the caseworker's own wording and is
    never published: it may name a child, a family or a member of staff. The annual report shows a lesson
    only in `report_text`, a sentence written for publication and approved by customer relations or the
    complaints manager (services.approve_lesson_for_report): approving it is their confirmation that the
    wording is fit to publish, as choosing a compliment for the report is (Feedback.selected_for_report)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="lessons")
    action = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    recorded_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    report_text = models.TextField(
        blank=True, help_text="The wording the annual report publishes, approved for it. Empty: not published."
    )
    report_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    report_approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["recorded_on"])]
        constraints = [
            # Published wording always has its approval, and an approval always has its wording.
            models.CheckConstraint(
                condition=(
                    Q(report_text="", report_approved_by__isnull=True, report_approved_at__isnull=True)
                    | (~Q(report_text="") & Q(report_approved_by__isnull=False, report_approved_at__isnull=False))
                ),
                name="lesson_report_text_is_approved",
            )
        ]

    def __str__(self) -> str:
        return self.action[:80]

    @property
    def in_report(self) -> bool:
        return self.report_approved_at is not None


class InformalResolution(models.Model):
    """A concern put right within 24 hours at first contact: counted, not logged as a formal complaint
    ("If a complaint is received and can be resolved within 24 hours it will not be logged as a formal
    complaint", Blackpool procedure 11.1; the reference report's "nipping it in the bud").

    Kept out of the Feedback table on purpose (ADR 0010): it is not a complaint, has no reference, no person,
    no clock and no stages, and must never enter a complaint figure. The annual report counts these rows by
    service and year and never reads `summary`, the caseworker's internal note of what was put right."""

    received_on = models.DateField(help_text="First contact.")
    resolved_on = models.DateField(help_text="Put right: the day of first contact or the next.")
    service = models.ForeignKey("organisation.Service", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("organisation.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    theme = models.ForeignKey("organisation.Theme", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=20, choices=Feedback.Channel.choices)
    summary = models.TextField(help_text="What was put right. Internal: never published.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # One submission, one record, even if the button is pressed twice (as Feedback.idempotency_key).
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["received_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_on__gte=F("received_on")), name="informal_resolution_resolved_not_before_received"
            ),
        ]

    def __str__(self) -> str:
        return f"Concern resolved informally on {self.resolved_on:%d %B %Y}"


class Restriction(models.Model):
    """Unreasonably persistent or abusive behaviour: a restriction on how a person may contact the
    council, approved by a director, notified beforehand and reviewed on a date."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="restrictions")
    terms = models.TextField(help_text="e.g. single point of contact; email only.")
    reason = models.TextField()
    warned_on = models.DateField(help_text="The person was told beforehand.")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    review_on = models.DateField()
    lifted_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Restriction from {self.starts_on}, review {self.review_on}"


class Document(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=40, default="supporting")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    file = models.FileField(upload_to="documents/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.filename


class Event(models.Model):
    """Append-only: who did what to which record, when, before and after, and why."""

    feedback = models.ForeignKey(Feedback, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    action = models.CharField(max_length=60)
    summary = models.CharField(max_length=300)
    data = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["feedback", "at"]), models.Index(fields=["actor", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        # Integrity, not business logic: the log is append-only.
        if self.pk is not None:
            raise ValueError("Events are append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Events are append-only and cannot be deleted.")


class ReferenceCounter(models.Model):
    """One row per prefix and year; locked while the next number is taken, so references stay unique
    under concurrent creation."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="one_counter_per_prefix_and_year")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_number}"
