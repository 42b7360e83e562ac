"""The demo council: a believable Children's Services complaints year after year, built through the
same service functions caseworkers use, so the demo exercises the real rules (and finds their bugs).

`build_demo(today=...)` makes, deterministically (one seeded random.Random):
- the services, teams and themes of the reference annual report (Blackpool 2018/19, Appendix D), the
  two retired themes kept inactive for past years' reports, and a council closure day each Christmas Eve;
- staff in every role (accounts.User.Role), independent people and panel members who are neither
  officers nor members of the council;
- three financial years up to `today` (the current one and the two before it), in the reference
  report's proportions (≈160 complaints a year, ~87% Children's Social Care, ≈80 compliments, ≈40 MP and
  ≈10 councillor enquiries, some comments, ~70% answered on time), every record taken through
  log_feedback, triage, acknowledge, allocate, extend, respond, escalate ... close, with explicit dates;
- open cases in every state on `today` (see OPEN_STATES);
- concerns resolved informally within 24 hours at first contact (≈36 a year), counted, never logged as
  complaints (ADR 0010), from a random stream of their own so the cases above are the same with or without them.

`scale=N` adds (N - 1) times that volume again **in bulk** (rows written directly, deadlines computed
with the calendar's vectorised add_working_days_bulk): for benchmarks; not every rule is exercised
there (no stage 2 or 3, no Ombudsman, no lessons).

The demo's passwords are published in this file: never load it into a live council's database (the
command refuses unless the database is empty, which a live one never is).
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import numpy as np
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Count, F
from django.utils import timezone

from heard.accounts.models import User
from heard.feedback import clock
from heard.feedback import services as s
from heard.feedback.models import (
    Deadline,
    Event,
    Feedback,
    InformalResolution,
    OmbudsmanEnquiry,
    Person,
    Point,
    PointFinding,
    ReferenceCounter,
    ReviewPanel,
    Stage,
)
from heard.feedback.services import FindingInput, PersonDetails, RemedyInput
from heard.organisation.models import Service, Team, Theme
from heard.staff.services import select_compliment_for_report

SEED = 2019
Kind = Feedback.Kind
Role = Feedback.Role
R = User.Role
EXTERNAL = User.Relationship.EXTERNAL

# ------------------------------------------------------------------------------------------ people

# One strong passphrase per role; every demo user of a role shares it. Printed by `heard demo`.
PASSWORDS = {
    R.CUSTOMER_RELATIONS: "harbour-lantern-quietly-42",
    R.COMPLAINTS_MANAGER: "copper-meadow-listens-17",
    R.SERVICE_MANAGER: "velvet-tide-compass-58",
    R.INVESTIGATING_OFFICER: "granite-owl-inquiry-33",
    R.INDEPENDENT_PERSON: "birch-kettle-fairly-61",
    R.PANEL_MEMBER: "saffron-pier-review-24",
    R.DIRECTOR: "northern-beacon-answer-79",
    R.ADMINISTRATOR: "quartz-ledger-admin-86",
}

CSC = "Children's Social Care"
EH = "Early Help"
SEN = "SEN, Education and Psychology"
SCHOOLS = "Schools Standards, Safeguarding and Inclusion"
BUSINESS = "Business Support and Resources"
COMMISSIONING = "Children's Commissioning"

# (username, full name, role, service, external): the first of each role is the one printed.
STAFF = [
    ("alice", "Alice Adams", R.CUSTOMER_RELATIONS, None, False),
    ("kofi", "Kofi Mensah", R.CUSTOMER_RELATIONS, None, False),
    ("mo", "Mo Morris", R.COMPLAINTS_MANAGER, None, False),
    ("sam", "Sam Singh", R.SERVICE_MANAGER, CSC, False),
    ("hana", "Hana Kowalski", R.SERVICE_MANAGER, CSC, False),
    ("erin", "Erin Evans", R.SERVICE_MANAGER, EH, False),
    ("seb", "Seb Novak", R.SERVICE_MANAGER, SEN, False),
    ("faye", "Faye Lindqvist", R.SERVICE_MANAGER, SCHOOLS, False),
    ("bilal", "Bilal Rahman", R.SERVICE_MANAGER, BUSINESS, False),
    ("carys", "Carys Pryce", R.SERVICE_MANAGER, COMMISSIONING, False),
    # Ian is an officer in Early Help: outside the line management of social care (GBFC 3.4).
    ("ian", "Ian Irwin", R.INVESTIGATING_OFFICER, EH, False),
    # Ivy is an external investigating officer (the reference report's "EIO").
    ("ivy", "Ivy Okafor", R.INVESTIGATING_OFFICER, None, True),
    ("pat", "Pat Patel", R.INDEPENDENT_PERSON, None, True),
    ("iona", "Iona Fraser", R.INDEPENDENT_PERSON, None, True),
    ("quinn", "Quinn Quayle", R.PANEL_MEMBER, None, True),
    ("robin", "Robin Reid", R.PANEL_MEMBER, None, True),
    ("tess", "Tess Turner", R.PANEL_MEMBER, None, True),
    ("piers", "Piers Lund", R.PANEL_MEMBER, None, True),
    ("dina", "Dina Douglas", R.DIRECTOR, None, False),
    ("ada", "Ada Abbott", R.ADMINISTRATOR, None, False),
]
DEMO_USERNAMES = [row[0] for row in STAFF]


def sign_ins() -> list[tuple[str, str, str]]:
    """(role, username, password), one per role in the order User.Role lists them."""
    first: dict[str, str] = {}
    for username, _, role, _, _ in STAFF:
        first.setdefault(role, username)
    return [(role, first[role], PASSWORDS[role]) for role in R.values]


# --------------------------------------------------------------------------------------- the council

# Services and teams from the reference report; weights are its 2018/19 complaint shares (Appendix D).
SERVICES: dict[str, dict[str, int]] = {
    CSC: {
        "Duty and Assessment": 22,
        "Safeguarding Children's Team": 24,
        "Our Children (looked after)": 18,
        "Fostering": 8,
        "Adoption": 4,
        "Leaving Care": 7,
        "Children with Disabilities": 6,
        "Contact Centre": 3,
        "Safeguarding Quality and Review": 3,
    },
    EH: {"Families in Need": 6, "Children's Centres": 2, "The Link": 1, "Youth Justice Service": 1},
    SEN: {"SEND Assessment": 3, "Educational Psychology": 1},
    SCHOOLS: {"Pupil Welfare": 2, "School Admissions": 3, "School Transport": 2, "Attendance": 1},
    BUSINESS: {"Business Support": 1, "Finance and Payments": 1},
    COMMISSIONING: {"Commissioning and Placements": 1},
}
SERVICE_WEIGHTS = {CSC: 87, EH: 5, SEN: 2, SCHOOLS: 5, BUSINESS: 1, COMMISSIONING: 0.6}
HANDLERS = {
    CSC: ["sam", "hana"],
    EH: ["erin"],
    SEN: ["seb"],
    SCHOOLS: ["faye"],
    BUSINESS: ["bilal"],
    COMMISSIONING: ["carys"],
}

# Appendix D's twelve themes; two retired in March 2018 stay for past years' reports.
THEMES = {
    "Assessments Undertaken": 4,
    "Confidentiality": 4,
    "Council Action": 7,
    "Financial and Funding": 1,
    "Lack of Action": 7,
    "Lack of Communication": 6,
    "Miscellaneous": 0,
    "Policies and Procedures": 1,
    "Quality of Service": 16,
    "Request for Service": 0,
    "Safeguarding": 4,
    "Staff Conduct": 50,
}
RETIRED_THEMES = {"Miscellaneous", "Request for Service"}

# Statutory unless the service is outside children's social care (the report: 96% statutory).
CORPORATE_SERVICES = {SEN, SCHOOLS, BUSINESS, COMMISSIONING}

# ------------------------------------------------------------------------------------------- texts

FIRST = [
    "Amelia",
    "Jade",
    "Kelly",
    "Leanne",
    "Stacey",
    "Gemma",
    "Donna",
    "Claire",
    "Sarah",
    "Emma",
    "Laura",
    "Natalie",
    "Hayley",
    "Zoe",
    "Aisha",
    "Fatima",
    "Priya",
    "Agnieszka",
    "Chloe",
    "Megan",
    "Jordan",
    "Liam",
    "Ryan",
    "Craig",
    "Darren",
    "Lee",
    "Wayne",
    "Dean",
    "Mark",
    "Paul",
    "Gary",
    "Jason",
    "Kieran",
    "Callum",
    "Mohammed",
    "Tariq",
    "Tomasz",
    "Daniel",
    "Scott",
    "Shaun",
    "Bernadette",
    "Maureen",
    "Keith",
    "Graham",
]
LAST = [
    "Ashworth",
    "Bamber",
    "Cartwright",
    "Dobson",
    "Entwistle",
    "Fairclough",
    "Greenhalgh",
    "Haworth",
    "Iqbal",
    "Jolly",
    "Kenyon",
    "Lomax",
    "Marsden",
    "Nuttall",
    "Ormerod",
    "Pilkington",
    "Rigby",
    "Sharples",
    "Thistlethwaite",
    "Unsworth",
    "Walmsley",
    "Yates",
    "Hussain",
    "Kowalczyk",
    "Begum",
    "Okoro",
    "Nowak",
    "Campbell",
    "Whittaker",
    "Brennan",
    "McAllister",
    "Doherty",
    "Singh",
    "Costa",
    "Pearson",
    "Holt",
]
CHILD_FIRST = [
    "Alfie",
    "Tyler",
    "Kayden",
    "Lexi",
    "Ruby",
    "Mia",
    "Harley",
    "Jayden",
    "Isla",
    "Oliver",
    "Leo",
    "Poppy",
    "Evie",
    "Logan",
    "Skye",
    "Maisie",
    "Ellis",
    "Frankie",
    "Reggie",
    "Nevaeh",
    "Amir",
    "Zara",
]
MPS = ["Eleanor Whitcombe MP", "Gareth Pennock MP", "Rosalind Achterberg MP"]
COUNCILLORS = [
    "Cllr Brenda Hoyle",
    "Cllr Desmond Oyelaran",
    "Cllr Patricia Venn",
    "Cllr Alan Mottershead",
    "Cllr Shazia Malik",
]
STREETS = [
    "Gull Terrace",
    "Promenade Gardens",
    "Lifeboat Road",
    "Tram Street",
    "Dune Close",
    "Pier View",
    "Harbour Walk",
    "Sandpiper Way",
    "Beacon Crescent",
    "Marram Avenue",
]

POINTS = {
    "Staff Conduct": [
        "The social worker was rude and dismissive during the home visit",
        "Comments were made about my parenting in front of my children",
        "The worker did not listen to my views at the meeting",
        "I was spoken to in an aggressive way on the phone",
    ],
    "Quality of Service": [
        "The assessment contains incorrect information about my family",
        "The plan agreed at the meeting has not been followed",
        "Contact arrangements keep changing without explanation",
        "The support promised for my son has not started",
    ],
    "Lack of Communication": [
        "Calls and emails to the social worker were not returned",
        "Nobody told me the social worker had left",
        "I was not told about the change to the contact plan",
    ],
    "Lack of Action": [
        "Nothing has been done about the concerns I raised in the summer",
        "The referral to the therapy service was never made",
        "The agreed review meeting never took place",
    ],
    "Council Action": [
        "The decision to end the placement was made without consulting me",
        "The council moved my daughter to a different area without notice",
        "Respite care was withdrawn",
    ],
    "Assessments Undertaken": [
        "The assessment was completed without speaking to the children's father",
        "The parenting assessment was not completed within the timescale",
    ],
    "Confidentiality": [
        "My address was shared with the other parent",
        "Personal information about my family was sent to the wrong person",
    ],
    "Financial and Funding": [
        "The foster care allowance was paid late for three months",
        "The leaving care setting-up grant has not been paid",
    ],
    "Policies and Procedures": ["The procedure for changing school transport was not followed"],
    "Safeguarding": [
        "Concerns I reported about my grandchildren were not acted on",
        "The child protection plan was ended too soon",
    ],
}
DESIRED = [
    "An apology and a new social worker",
    "An explanation of what went wrong",
    "The report corrected",
    "A meeting with the team manager",
    "Contact arrangements that do not change at short notice",
    "For the support to start as promised",
    "Reassurance that this will not happen to another family",
]
WITHDRAWAL_REASONS = [
    "Resolved after a conversation with the team manager",
    "The complainant no longer wishes to pursue the complaint",
    "Resolved informally: the missed visit has been rearranged",
    "The family moved out of the area and asked us to close it",
]
EXTENSION_REASONS = [
    "Several teams are involved and the case records need to be reviewed",
    "The social worker concerned is on leave until next week",
    "The complainant has asked to meet the team manager before the response",
]
LATE_REASONS = [
    "Response delayed: the team manager was off sick",
    "Response delayed: information from a partner agency arrived late",
]
LESSONS = [
    "Remind all staff to tell families promptly when their allocated worker changes",
    "Review the letterbox contact process and train the letterbox team",
    "Make sure both parents are invited to child protection conferences where appropriate",
    "Give every family a point of contact when their worker is off at short notice",
    "Tell new social workers how a family can make a complaint",
    "Check reports for factual accuracy with the family before they are shared",
    "Discuss with prospective foster carers what information is shared with birth families",
]
# The annual report publishes a lesson only in wording written and approved for it, never the action as
# recorded; the demo's complaints manager approves these for completed lessons (all but the last kind,
# left for the Reports' list of lessons awaiting approval).
REPORT_WORDING = {
    LESSONS[0]: "Staff have been reminded to tell families promptly when their allocated worker changes.",
    LESSONS[1]: "The letterbox contact process has been reviewed and the team trained in it.",
    LESSONS[2]: "Both parents are now invited to child protection conferences where appropriate.",
    LESSONS[3]: "Every family now has a point of contact when their worker is away at short notice.",
    LESSONS[4]: "New social workers are told when they start how a family can make a complaint.",
    LESSONS[5]: "Reports are checked with the family for factual accuracy before they are shared.",
}
REMEDIES = {
    "upheld": [
        RemedyInput("apology", "Written apology from the team manager"),
        RemedyInput("amended_record", "Assessment corrected and an addendum added"),
        RemedyInput("new_worker", "A new social worker allocated"),
    ],
    "partially_upheld": [
        RemedyInput("apology", "Apology for the missed calls"),
        RemedyInput("explanation", "Explanation of the decision and how it was made"),
        RemedyInput("action", "Contact plan reviewed with the family"),
    ],
}
COMPLIMENTS_EXTERNAL = [
    "I just wanted to say a very big thank you to the social work team for their hard work. We would not be "
    "where we are now without their support.",
    "This centre is one of the best I have been to with my daughter. It is clean and welcoming and the staff "
    "always greet us with a smile.",
    "X has been really helpful explaining things to Y. She always answers our messages straight away. Keep being "
    "amazing at all that you do.",
    "We cannot thank our son's social worker enough. She went above and beyond to make the move into our care "
    "as smooth as it could be.",
    "Thank you for supporting me and being the one person who really cared. I will never forget what you have "
    "done for me and my family.",
    "The family support worker helped us get our routines back and the children are settled in school again.",
]
COMPLIMENTS_INTERNAL = [
    "I wanted to congratulate X on the quality of his work. His conference reports are always ready in advance "
    "and his analysis of the family's situation is excellent.",
    "Thank you for the talk you gave to our police cadets: informative, and they took a lot away from it.",
    "This is a really complex case and your work on it has been excellent, especially your planning for the "
    "final care planning meeting.",
    "The court commended the quality of the social work evidence filed in these proceedings.",
]
COMMENTS = [
    "The online form should let me upload documents",
    "It would help if letters were sent by email too",
    "The contact centre car park needs better lighting",
    "Please offer evening appointments for reviews",
    "The leaflet for young people about complaints is much clearer than the old one",
]
# Concerns put right within 24 hours at first contact (Blackpool: "nipped in the bud"): by service, each with a
# theme (None: not recorded) and the internal note. Notes name nobody, as a caseworker's should not need to.
INFORMAL_PER_YEAR = 36
INFORMAL_SERVICE_WEIGHTS = {CSC: 70, EH: 10, SEN: 5, SCHOOLS: 10, BUSINESS: 4, COMMISSIONING: 1}
INFORMAL_NOTES: dict[str, list[tuple[str | None, str]]] = {
    CSC: [
        (
            "Lack of Communication",
            "Missed call-back about a contact visit: the social worker rang the same "
            "afternoon and confirmed the new time.",
        ),
        (
            "Lack of Communication",
            "Not told the allocated worker had changed: the team manager rang to introduce the new worker.",
        ),
        ("Quality of Service", "Contact centre booking lost: rebooked for the same week and confirmed by text."),
        (
            "Quality of Service",
            "Review meeting invitation sent to an old address: resent by email and the date confirmed.",
        ),
        ("Lack of Action", "A care leaver's promised bus pass had not been sent: issued the next morning."),
        ("Financial and Funding", "A foster carer's mileage claim was missed from the payment run: paid the next day."),
        (None, "Unsure when the next visit was: the duty worker explained the plan and rang back with the date."),
    ],
    EH: [
        ("Lack of Communication", "Family support session cancelled without notice: rebooked for the next day."),
        ("Quality of Service", "Children's centre group full on arrival: a place kept for the following session."),
    ],
    SEN: [
        (
            "Lack of Communication",
            "No reply about the progress of an assessment: the caseworker rang with an update the same day.",
        )
    ],
    SCHOOLS: [
        ("Council Action", "School transport not arranged after a house move: a taxi booked for the next morning."),
        ("Lack of Communication", "Admission offer letter not received: emailed the same afternoon."),
    ],
    BUSINESS: [("Financial and Funding", "A payment to a carer went to an old bank account: reissued the next day.")],
    COMMISSIONING: [
        ("Quality of Service", "A provider's visit was not confirmed: the placements team confirmed it the same day.")
    ],
}
INFORMAL_CHANNELS = {"phone": 50, "email": 20, "in_person": 15, "social_worker": 15}

ENQUIRY_TEXTS = {
    "information": "Asks on behalf of a constituent for an update on the assessment of her children",
    "reasons_for_decision": "Asks why contact between a constituent and his son was reduced",
    "service_request": "Asks whether support can be provided to a family struggling with their son's needs",
    "case_review": "Asks the council to review the decision to refuse a school transport application",
}


# ------------------------------------------------------------------------------------------ results


OPEN_STATES = [
    "awaiting acknowledgement",
    "overdue",
    "due within 3 working days",
    "extended",
    "responded, may still escalate",
    "stage 2, statement not yet agreed",
    "stage 2, investigating",
    "stage 3, panel arranged",
    "at the Ombudsman, enquiry open",
    "suspended",
    "safeguarding flagged",
]


def open_case_states(today: date) -> dict[str, int]:
    """How many open records are in each state on `today` (the demo's summary; also what its tests check)."""
    open_ = Feedback.objects.filter(status__in=Feedback.OPEN_STATUSES).annotate(due_on=clock.next_due())
    soon = clock.working_calendar().add_working_days(today, 3)
    stage2 = Stage.objects.filter(number=2, responded_on__isnull=True, feedback__status=Feedback.Status.OPEN)
    return {
        "awaiting acknowledgement": open_.filter(kind=Kind.COMPLAINT, status=Feedback.Status.RECEIVED).count(),
        "overdue": open_.filter(due_on__lt=today).count(),
        "due within 3 working days": open_.filter(due_on__gte=today, due_on__lte=soon).count(),
        "extended": open_.filter(
            deadlines__in=Deadline.objects.filter(clock.OPEN_COUNCIL_DEADLINE, working_days__gt=F("rule_working_days"))
        )
        .distinct()
        .count(),
        "responded, may still escalate": open_.filter(status=Feedback.Status.RESPONDED).count(),
        "stage 2, statement not yet agreed": stage2.filter(statement_agreed_on__isnull=True).count(),
        "stage 2, investigating": stage2.filter(statement_agreed_on__isnull=False).count(),
        "stage 3, panel arranged": ReviewPanel.objects.filter(
            meeting_on__gte=today, report_received_on__isnull=True
        ).count(),
        "at the Ombudsman, enquiry open": OmbudsmanEnquiry.objects.filter(answered_on__isnull=True)
        .values("case")
        .distinct()
        .count(),
        "suspended": open_.filter(status=Feedback.Status.SUSPENDED).count(),
        "safeguarding flagged": open_.filter(safeguarding=True).count(),
    }


@dataclass
class DemoResult:
    first_day: date
    today: date
    scale: int
    by_kind: Counter[str] = field(default_factory=Counter)
    informal: int = 0  # concerns resolved informally within 24 hours: counted, not records of feedback
    open_states: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    bulk_seconds: float = 0.0

    def summary_lines(self) -> list[str]:
        total = sum(self.by_kind.values())
        plural = {
            Kind.COMPLAINT: "complaints",
            Kind.COMPLIMENT: "compliments",
            Kind.COMMENT: "comments",
            Kind.MP_ENQUIRY: "MP enquiries",
            Kind.COUNCILLOR_ENQUIRY: "councillor enquiries",
        }
        kinds = ", ".join(f"{n:,} {plural[Kind(k)]}" for k, n in sorted(self.by_kind.items(), key=lambda kv: -kv[1]))
        lines = [
            f"{settings.HEARD_COUNCIL_NAME} (demo): {total:,} records received {_day(self.first_day)} to "
            f"{_day(self.today)}: {kinds}.",
            f"Also {self.informal:,} concerns resolved informally within 24 hours: counted, not logged as complaints.",
            f"Open on {_day(self.today)}: " + "; ".join(f"{name} {n}" for name, n in self.open_states.items()) + ".",
        ]
        if self.scale > 1:
            lines.append(
                f"--scale {self.scale}: {self.scale - 1} more times the volume in bulk, for benchmarks "
                f"(not every rule exercised), in {self.bulk_seconds:.1f} s."
            )
        lines.append(f"Built in {self.seconds:.1f} s.")
        return lines


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"  # GOV.UK style: 1 April 2024


# ------------------------------------------------------------------------------------- the builder


def financial_year_start(d: date) -> date:
    return date(d.year if d.month >= 4 else d.year - 1, 4, 1)


def first_demo_day(today: date) -> date:
    """Three financial years up to today: the current one and the two before it (so this year's
    report has its two comparison years)."""
    start = financial_year_start(today)
    return start.replace(year=start.year - 2)


def build_demo(*, today: date, scale: int = 1, seed: int = SEED) -> DemoResult:
    """Build the demo council into an empty database (the caller checks it is empty)."""
    if scale < 1:
        raise ValueError("scale is 1 or more")
    started = time.perf_counter()
    builder = _Builder(today=today, seed=seed)
    with transaction.atomic(), builder.events_dated():
        builder.build()
    result = DemoResult(first_day=first_demo_day(today), today=today, scale=scale)
    if scale > 1:
        bulk_started = time.perf_counter()
        _Bulk(builder, copies=scale - 1).build()
        result.bulk_seconds = time.perf_counter() - bulk_started
    result.by_kind = Counter(dict(Feedback.objects.values_list("kind").annotate(n=Count("id")).order_by()))
    result.informal = InformalResolution.objects.count()
    result.open_states = open_case_states(today)
    result.seconds = time.perf_counter() - started
    return result


def _published_password_hash(password: str) -> str:
    """The demo's passwords are published, so a full work factor protects nothing and costs the demo
    seconds per role: hash with a light one, which Django verifies and then upgrades to the configured
    work factor at the first sign-in (check_password's must_update)."""
    hasher = get_hasher("default")
    if isinstance(hasher, PBKDF2PasswordHasher):
        return hasher.encode(password, hasher.salt(), iterations=10_000)
    return make_password(password)


class _Builder:
    def __init__(self, *, today: date, seed: int):
        self.today = today
        self.rng = random.Random(seed)
        # Informal resolutions draw from their own stream: adding them changed no case the demo builds.
        self.informal_rng = random.Random(f"{seed}:informal")
        self.first_day = first_demo_day(today)
        self.staff: dict[str, User] = {}
        self.services: dict[str, Service] = {}
        self.teams: dict[str, dict[str, Team]] = {}
        self.themes: dict[str, Theme] = {}
        self.recent_complaints: list[Feedback] = []
        self._moment = datetime.combine(self.first_day, clock_time(9, 0))

    # -- dating the audit trail ----------------------------------------------------------------

    def events_dated(self) -> AbstractContextManager[None]:
        """Services stamp each Event with the time now; for a history built today that would date three
        years of events today. While building, "now" is the simulated moment of the action (set by
        `on()`), so each timeline reads as it happened."""

        def now() -> datetime:
            self._moment += timedelta(seconds=7)
            return timezone.make_aware(self._moment)

        return s.simulated_time(now, lambda: self._moment.date())

    def on(self, day: date) -> date:
        """Move the simulated clock to the working hours of `day` (events of one case stay in order)."""
        if self._moment.date() != day:
            self._moment = datetime.combine(day, clock_time(9, self.rng.randrange(0, 60)))
        return day

    # -- helpers -------------------------------------------------------------------------------

    def wd(self, start: date, n: int) -> date:
        return self.calendar.add_working_days(start, n)

    def pick(self, weights: dict[str, float]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def name(self) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    def person(self, name: str | None = None, *, child: bool = False) -> PersonDetails:
        name = name or self.name()
        slug = name.lower().replace(" ", ".").replace("'", "")
        how = self.rng.choice(["email", "email", "phone", "letter"])
        return PersonDetails(
            name=name,
            email=f"{slug}@example.com" if how == "email" else "",
            phone=f"07700 900{self.rng.randrange(1000):03d}" if how in ("phone", "email") else "",
            address=f"{self.rng.randrange(1, 120)} {self.rng.choice(STREETS)}, Seaside" if how == "letter" else "",
            preferred_contact=how,
            is_child=child,
        )

    # -- the council -----------------------------------------------------------------------------

    def build(self) -> None:
        self.organisation()
        self.people()
        self.closures()
        self.calendar = clock.working_calendar()
        plans: list[tuple[date, int, Callable[[], Any]]] = []
        self.plan_years(plans)
        self.plan_showcase(plans)
        # One stream in order of receipt, so references are numbered as they would have been.
        with clock.checked_once():  # one transaction nothing else writes to: check the calendar once
            for received, _, run in sorted(plans, key=lambda p: (p[0], p[1])):
                self.on(received)
                run()
            self.restriction()
            self.informal_resolutions()

    def restriction(self) -> None:
        """One person whose contact is restricted under the unreasonable behaviour policy, warned first and
        approved by the director, so the warning and restriction letters have a demo case."""
        fb = (
            Feedback.objects.filter(kind=Kind.COMPLAINT, status=Feedback.Status.CLOSED, complainant__isnull=False)
            .order_by("-received_on")
            .first()
        )
        if fb is None:
            return
        # Warned last week; the restriction starts next week, so the letter telling them goes out first.
        warned, starts = self.today - timedelta(days=7), self.today + timedelta(days=7)
        self.on(warned)
        s.apply_restriction(
            actor=self.staff["mo"],
            person=fb.complainant,
            terms="Contact by email only, to one named officer in Customer Relations",
            reason="Repeated abusive phone calls to the duty team after the complaint was answered",
            warned_on=warned,
            approved_by=self.staff["dina"],
            starts_on=starts,
            review_on=starts + timedelta(days=182),
        )

    def informal_resolutions(self) -> None:
        """Concerns put right within 24 hours at first contact, each year in proportion to the days it has had:
        counted for the annual report, never logged as complaints (ADR 0010). Recorded by customer relations
        the day they were put right."""
        rng = self.informal_rng
        planned: list[date] = []
        start = self.first_day
        while start <= self.today:
            end = min(date(start.year + 1, 3, 31), self.today)
            fraction = ((end - start).days + 1) / 365
            for _ in range(round(INFORMAL_PER_YEAR * fraction * rng.uniform(0.85, 1.15))):
                while True:  # mostly working days: a concern raised at the weekend waits for Monday's call
                    day = start + timedelta(days=rng.randrange((end - start).days + 1))
                    if day.weekday() < 5 or rng.random() < 0.1:
                        break
                planned.append(day)
            start = date(start.year + 1, 4, 1)
        for received in sorted(planned):
            service = rng.choices(list(INFORMAL_SERVICE_WEIGHTS), weights=list(INFORMAL_SERVICE_WEIGHTS.values()))[0]
            teams = SERVICES[service]
            team = rng.choices(list(teams), weights=list(teams.values()))[0] if rng.random() < 0.8 else None
            theme, note = rng.choice(INFORMAL_NOTES[service])
            resolved = received + timedelta(days=0 if received == self.today or rng.random() < 0.6 else 1)
            # The moment it was recorded, for its event (not via on(): the cases' stream is left alone).
            self._moment = datetime.combine(resolved, clock_time(rng.randrange(9, 17), rng.randrange(60)))
            s.record_informal_resolution(
                actor=self.staff[rng.choice(["alice", "kofi"])],
                received_on=received,
                resolved_on=resolved,
                service=self.services[service],
                team=self.teams[service][team] if team else None,
                theme=self.themes[theme] if theme else None,
                channel=rng.choices(list(INFORMAL_CHANNELS), weights=list(INFORMAL_CHANNELS.values()))[0],
                summary=note,
                today=resolved,
            )

    def organisation(self) -> None:
        for name, teams in SERVICES.items():
            self.services[name] = Service.objects.create(name=name)
            self.teams[name] = {t: Team.objects.create(service=self.services[name], name=t) for t in teams}
        for theme in THEMES:
            self.themes[theme] = Theme.objects.create(name=theme, active=theme not in RETIRED_THEMES)

    def people(self) -> None:
        hashed = {role: _published_password_hash(password) for role, password in PASSWORDS.items()}
        for username, full_name, role, service, external in STAFF:
            first, _, last = full_name.partition(" ")
            self.staff[username] = User.objects.create(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.gov.uk",
                role=role,
                service=self.services[service] if service else None,
                password=hashed[role],
                relationship_to_council=EXTERNAL if external else User.Relationship.OFFICER,
                is_staff=role == R.ADMINISTRATOR,
            )

    def closures(self) -> None:
        # The council closes on Christmas Eve when it falls on a weekday: a local closure day.
        for year in range(self.first_day.year, self.today.year + 1):
            day = date(year, 12, 24)
            if day.weekday() < 5:
                s.add_non_working_day(actor=self.staff["ada"], day=day, name="Christmas Eve", kind="closure")

    # -- three years and a bit -------------------------------------------------------------------

    def plan_years(self, plans: list) -> None:
        # Yearly volumes from the reference report (2018/19 and its comparison years).
        volumes = {
            Kind.COMPLAINT: 160,
            Kind.COMPLIMENT: 80,
            Kind.MP_ENQUIRY: 38,
            Kind.COUNCILLOR_ENQUIRY: 10,
            Kind.COMMENT: 24,
        }
        runners = {
            Kind.COMPLAINT: self.complaint,
            Kind.COMPLIMENT: self.compliment,
            Kind.COMMENT: self.comment,
            Kind.MP_ENQUIRY: self.enquiry,
            Kind.COUNCILLOR_ENQUIRY: self.enquiry,
        }
        start = self.first_day
        growth = [0.93, 1.0, 1.05, 1.03]
        year = 0
        while start <= self.today:
            end = min(date(start.year + 1, 3, 31), self.today)
            fraction = ((end - start).days + 1) / 365
            for kind, per_year in volumes.items():
                n = round(per_year * growth[min(year, 3)] * fraction * self.rng.uniform(0.94, 1.06))
                for _ in range(n):
                    received = self.receipt_day(start, end)
                    kind_ = kind
                    plans.append((received, len(plans), lambda k=kind_, d=received: runners[k](d, kind=k)))
            start = date(start.year + 1, 4, 1)
            year += 1

    def receipt_day(self, start: date, end: date) -> date:
        while True:
            d = start + timedelta(days=self.rng.randrange((end - start).days + 1))
            # Mostly working days; the online form and email work at weekends too.
            if d.weekday() < 5 or self.rng.random() < 0.15:
                return d

    # -- a complaint, from receipt to wherever it has got to by today -----------------------------

    def complaint(self, received: date, *, kind: str = Kind.COMPLAINT, **force: Any) -> Feedback | None:
        """Draw a complaint and take it through the procedure as far as `today`. `force` fixes any of the
        drawn choices (the showcase cases use it to land in a given state)."""
        rng = self.rng
        c = SimpleNamespace()
        c.service = self.pick(SERVICE_WEIGHTS)
        c.team = self.pick(SERVICES[c.service])
        c.theme = self.pick({t: w for t, w in THEMES.items() if w})
        c.role = self.pick(
            {
                Role.PARENT_OR_CARER: 70,
                Role.FOSTER_CARER: 6,
                Role.CHILD_OR_YOUNG_PERSON: 4,
                Role.SPECIAL_GUARDIAN: 3,
                Role.CARE_LEAVER: 3,
                Role.ADOPTION: 2,
                Role.REPRESENTATIVE: 6,
                Role.OTHER: 3,
            }
        )
        c.channel = self.pick(
            {"email": 40, "online": 25, "phone": 20, "letter": 10, "in_person": 3, "social_worker": 2}
        )
        c.procedure = "corporate" if c.service in CORPORATE_SERVICES or rng.random() < 0.02 else "statutory"
        c.ack_wd = rng.choice([0, 1, 1, 2, 2, 3, 3, 3]) if rng.random() < 0.94 else rng.randint(4, 6)
        r = rng.random()
        c.fate = "decline" if r < 0.025 else "withdraw" if r < 0.27 else "respond"
        c.withdraw_wd = rng.randint(2, 14)
        on_time = rng.random() < 0.72
        c.extend_to = rng.choice([15, 20]) if rng.random() < 0.15 else None
        limit = c.extend_to or 10
        c.respond_wd = rng.randint(max(3, limit - 7), limit) if on_time else rng.randint(limit + 1, limit + 15)
        c.outcome = self.pick({"upheld": 11, "partially_upheld": 35, "not_upheld": 54})
        c.stage2 = rng.random() < 0.035
        c.stage3 = rng.random() < 0.35
        c.ombudsman = rng.random()
        c.suspend = rng.random() < 0.01
        c.safeguarding = rng.random() < 0.012
        c.involved = c.service == CSC and c.theme == "Staff Conduct" and rng.random() < 0.06
        c.lesson = rng.random() < 0.45
        c.n_points = rng.choice([1, 1, 2, 2, 3])
        c.late = rng.random() < 0.04
        c.close_wd = rng.randint(21, 24)
        c.__dict__.update(force)
        if c.team not in SERVICES[c.service]:
            c.team = self.pick(SERVICES[c.service])
        if c.role == Role.CHILD_OR_YOUNG_PERSON or c.safeguarding:
            c.service, c.procedure = CSC, "statutory"
            c.team = c.team if c.team in SERVICES[CSC] else "Our Children (looked after)"
        return self.run_complaint(received, c)

    def run_complaint(self, received: date, c: SimpleNamespace) -> Feedback | None:
        rng, today, staff = self.rng, self.today, self.staff
        points = rng.sample(
            POINTS.get(c.theme, POINTS["Quality of Service"]),
            k=min(c.n_points, len(POINTS.get(c.theme, POINTS["Quality of Service"]))),
        )
        child_name = f"{rng.choice(CHILD_FIRST)} {rng.choice(LAST)}"
        is_child = c.role == Role.CHILD_OR_YOUNG_PERSON
        complainant = self.person(child_name if is_child else None, child=is_child)
        online = c.channel == "online"
        clerk = staff[rng.choice(["alice", "kofi"])]
        fb = s.log_feedback(
            actor=None if online else clerk,
            kind=Kind.COMPLAINT,
            channel=c.channel,
            received_on=received,
            service=self.services[c.service],
            team=self.teams[c.service][c.team],
            theme=self.themes[c.theme],
            summary=points[0]
            + ("." if len(points) == 1 else f", and {len(points) - 1} other concern{'s' if len(points) > 2 else ''}."),
            desired_outcome=rng.choice(DESIRED),
            complainant=complainant,
            complainant_role=c.role,
            points=points,
            child=None if is_child else PersonDetails(child_name, is_child=True),
            matter_date=received - timedelta(days=rng.randint(3, 60)) if not c.late else None,
            today=received,
        )
        if c.service == CSC and c.fate == "respond" and len(self.recent_complaints) < 400:
            self.recent_complaints.append(fb)
        ack = self.wd(received, c.ack_wd)
        if ack > today:
            return fb

        # Triage: who is complaining, under which procedure, and whether it is considered at all.
        self.on(ack)
        triage: dict[str, Any] = {}
        if c.role == Role.REPRESENTATIVE:
            triage["child_consent"] = rng.choice(["given", "given", "given", "not_possible"])
        if c.role == Role.OTHER:
            triage.update(
                sufficient_interest=True,
                sufficient_interest_reason=rng.choice(
                    [
                        "Grandmother who cares for the children three days a week",
                        "Family friend the child lives with during the week",
                    ]
                ),
            )
        if c.late:
            triage.update(
                learned_of_matter_on=received - timedelta(days=rng.randint(400, 600)),
                late_reason="vulnerability",
                late_reason_detail="The complainant was in hospital for much of the year",
            )
        if c.fate == "decline":
            exclusion, sent_to = rng.choice(
                [
                    ("court", "The court: the complainant was advised to seek legal advice"),
                    ("child_protection_conference", "The child protection conference chair's review process"),
                    ("school", "The school's own complaints procedure"),
                    ("allegation", "The Local Authority Designated Officer (LADO)"),
                ]
            )
            triage.update(exclusion=exclusion, sent_to=sent_to)
        s.triage(
            actor=staff["mo"],
            feedback=fb,
            complainant_role=c.role,
            procedure=c.procedure,
            procedure_reason="About a child in need or looked after"
            if c.procedure == "statutory"
            else f"About {c.service}, outside the statutory children's procedure",
            on=ack,
            **triage,
        )
        if c.fate == "decline":
            return fb
        if c.safeguarding:
            s.flag_safeguarding(
                actor=staff["mo"],
                feedback=fb,
                referred_to="Children's Front Door (MASH)",
                referred_on=ack,
                reason="The complaint describes a risk of harm to the child",
            )
        s.acknowledge(actor=clerk, feedback=fb, on=ack, today=ack)
        if is_child:
            wanted = rng.random() < 0.7
            s.record_advocacy(
                actor=clerk,
                feedback=fb,
                offered_on=ack,
                wanted=wanted,
                referred_on=self.wd(ack, 1) if wanted and self.wd(ack, 1) <= today else None,
                advocate=settings.HEARD_ADVOCACY_SERVICE if wanted else "",
            )
        handler = staff[rng.choice(HANDLERS[c.service])]
        if c.involved:
            s.record_involved_staff(actor=staff["mo"], feedback=fb, staff=[staff["sam"]])
            handler = staff["hana"]
        s.allocate(actor=staff["mo"], feedback=fb, assignee=handler)

        paused = 0
        if c.suspend:
            start = self.wd(ack, 2)
            if start > today:
                return fb
            self.on(start)
            s.suspend(
                actor=staff["mo"],
                feedback=fb,
                on=start,
                reason=rng.choice(["criminal", "court"]),
                detail="Concurrent proceedings: the police are investigating the same events",
            )
            paused = getattr(c, "suspend_wd", rng.randint(15, 40))
            end = self.wd(start, paused)
            if end > today:
                return fb
            s.resume(actor=staff["mo"], feedback=fb, on=self.on(end))

        if c.fate == "withdraw":
            day = self.wd(received, c.withdraw_wd + paused)
            if day <= today:
                s.withdraw(actor=clerk, feedback=fb, on=self.on(day), reason=rng.choice(WITHDRAWAL_REASONS))
            return fb
        if c.extend_to:
            day = self.wd(received, min(c.respond_wd, 9) - 2 + paused)
            if day > today:
                return fb
            s.extend(
                actor=staff["mo"],
                feedback=fb,
                step="stage1_response",
                to_working_days=c.extend_to,
                reason=rng.choice(EXTENSION_REASONS),
                on=self.on(day),
            )
            s.record_interim_update(
                actor=clerk,
                feedback=fb,
                on=day,
                message="Interim letter: new response date and the reason for the delay",
            )
        responded = self.wd(received, c.respond_wd + paused)
        if responded > today:
            return fb
        self.respond(fb, 1, responded, c.outcome, handler, lesson=c.lesson)
        last, stage = responded, 1

        if c.stage2:
            result = self.stage_two(fb, c, last)
            if result is None:
                return fb
            last, stage = result
        if stage == 2 and c.stage3 and c.procedure == "statutory":
            result = self.stage_three(fb, last)
            if result is None:
                return fb
            last, stage = result

        # Nobody asked for the next stage within the window: the case closes.
        closed = self.wd(last, c.close_wd)
        if closed > today:
            return fb
        s.close(actor=clerk, feedback=fb, on=self.on(closed))
        # The Ombudsman: after the council's procedure is exhausted, or (premature) straight after stage 1.
        if (stage == 3 and c.ombudsman < 0.6) or (stage == 2 and c.ombudsman < 0.35) or c.ombudsman < 0.012:
            self.ombudsman(fb, last, premature=stage == 1)
        return fb

    def respond(
        self,
        fb: Feedback,
        stage: int,
        on: date,
        outcome: str,
        actor: User,
        *,
        lesson: bool = False,
        adjudicating_officer: User | None = None,
    ) -> None:
        rng = self.rng
        points = list(fb.points.order_by("number"))
        findings: dict[int, FindingInput] = {}
        for i, p in enumerate(points):
            if outcome == "upheld":
                f = "upheld"
            elif outcome == "partially_upheld":
                f = "upheld" if i == 0 and len(points) > 1 else "partially_upheld"
                if i > 0:
                    f = rng.choice(["not_upheld", "partially_upheld"])
            else:
                f = "not_upheld" if i == 0 or rng.random() < 0.85 else "not_investigated"
            findings[p.number] = FindingInput(
                f, "This is a matter for the court in the ongoing proceedings" if f == "not_investigated" else ""
            )
        remedies = rng.sample(REMEDIES[outcome], k=rng.randint(1, 2)) if outcome in REMEDIES else []
        if outcome == "upheld" and rng.random() < 0.15:
            remedies.append(RemedyInput("financial", "Time and trouble payment", Decimal(rng.choice([100, 150, 250]))))
        self.on(on)
        s.respond(
            actor=actor,
            feedback=fb,
            on=on,
            findings=findings,
            remedies=remedies,
            today=on,
            response=f"Stage {stage} response letter sent",
            adjudicating_officer=adjudicating_officer,
        )
        for remedy in fb.remedies.filter(completed_on__isnull=True):
            done = on + timedelta(days=rng.randint(1, 30))
            if done <= self.today:
                s.complete_remedy(actor=actor, remedy=remedy, on=done)
        if lesson and outcome in ("upheld", "partially_upheld"):
            owner = actor if actor.role == R.SERVICE_MANAGER else self.staff["sam"]
            item = s.record_lesson(
                actor=actor,
                feedback=fb,
                action=rng.choice(LESSONS),
                owner=owner,
                due_on=on + timedelta(days=rng.randint(20, 90)),
                on=on,
            )
            done = item.due_on - timedelta(days=rng.randint(-10, 15))
            if done <= self.today and rng.random() < 0.85:
                s.complete_lesson(actor=owner, lesson=item, on=max(done, on))
                if item.action in REPORT_WORDING:
                    s.approve_lesson_for_report(actor=self.staff["mo"], lesson=item, text=REPORT_WORDING[item.action])

    def stage_two(self, fb: Feedback, c: SimpleNamespace, responded: date) -> tuple[date, int] | None:
        rng, today, staff = self.rng, self.today, self.staff
        requested = self.wd(responded, getattr(c, "request2_wd", rng.randint(3, 18)))
        if requested > today:
            return None
        self.on(requested)
        s.escalate_to_stage_2(
            actor=None,
            feedback=fb,
            requested_on=requested,
            today=requested,
            reason="Still unhappy with the stage 1 response",
        )
        if c.procedure == "statutory":
            # reg 16-17: the 25 working days start when the statement of complaint is agreed.
            agreed = self.wd(requested, getattr(c, "agree_wd", rng.randint(5, 15)))
            if agreed > today:
                return None
            self.on(agreed)
            s.agree_statement_of_complaint(
                actor=staff["mo"],
                feedback=fb,
                agreed_on=agreed,
                today=agreed,
                statement="The complaint as agreed with the complainant at a meeting",
            )
            officer = staff["ivy" if c.service == EH or rng.random() < 0.4 else "ian"]
            s.appoint_investigating_officer(actor=staff["mo"], feedback=fb, officer=officer)
            s.appoint_independent_person(actor=staff["mo"], feedback=fb, person=staff[rng.choice(["pat", "iona"])])
            days = 25
            if getattr(c, "extend2", rng.random() < 0.4):
                extended = self.wd(agreed, 15)
                if extended > today:
                    return None
                days = rng.choice([45, 65])
                s.extend(
                    actor=staff["mo"],
                    feedback=fb,
                    step="stage2_response",
                    to_working_days=days,
                    on=self.on(extended),
                    reason="The investigating officer needs to interview several staff",
                )
            answered = self.wd(agreed, getattr(c, "respond2_wd", rng.randint(days - 8, days)))
            if answered > today:
                return None
            self.respond(
                fb,
                2,
                answered,
                self.pick({"upheld": 15, "partially_upheld": 45, "not_upheld": 40}),
                staff["dina"],
                adjudicating_officer=staff["dina"],
            )
        else:
            # Corporate stage 2: a different handler reviews (Complaint Handling Code).
            acked = self.wd(requested, rng.randint(1, 4))
            if acked > today:
                return None
            s.acknowledge(actor=staff["alice"], feedback=fb, on=self.on(acked), today=acked)
            s.allocate(actor=staff["mo"], feedback=fb, assignee=staff["dina"])
            answered = self.wd(acked, rng.randint(12, 20))
            if answered > today:
                return None
            self.respond(
                fb, 2, answered, self.pick({"upheld": 10, "partially_upheld": 50, "not_upheld": 40}), staff["dina"]
            )
        return answered, 2

    def stage_three(
        self, fb: Feedback, responded: date, *, request_wd: int | None = None, meeting_wd: int | None = None
    ) -> tuple[date, int] | None:
        rng, today, staff, mo = self.rng, self.today, self.staff, self.staff["mo"]
        requested = self.wd(responded, request_wd or rng.randint(3, 15))
        if requested > today:
            return None
        self.on(requested)
        s.escalate_to_stage_3(
            actor=None, feedback=fb, requested_on=requested, today=requested, reason="Asks for a review panel"
        )
        appointed = self.wd(requested, 2)
        if appointed > today:
            return None
        self.on(appointed)
        # reg 19: three independent people, the chair first; the stage 2 independent person may not sit.
        panel = rng.sample(["quinn", "robin", "tess", "piers"], k=3)
        for i, name in enumerate(panel):
            s.appoint_panel_member(actor=mo, feedback=fb, person=staff[name], chair=i == 0, on=appointed)
        notified = self.wd(requested, rng.randint(3, 6))
        meeting = self.wd(notified, meeting_wd or rng.randint(10, 20))
        if notified > today:
            return None
        s.arrange_panel_meeting(
            actor=mo,
            feedback=fb,
            meeting_on=meeting,
            notified_on=self.on(notified),
            venue="Committee Room 2, Town Hall",
        )
        reported = self.wd(meeting, rng.randint(2, 5))
        if reported > today:
            return None
        s.record_panel_report(
            actor=mo,
            feedback=fb,
            received_on=self.on(reported),
            recommendations="Apologise for the delays and review the contact plan with the family",
        )
        decided = self.wd(reported, rng.randint(8, 15))
        if decided > today:
            return None
        s.record_director_response(
            actor=staff["dina"],
            feedback=fb,
            on=self.on(decided),
            agrees=True,
            response="The council accepts the panel's recommendations",
        )
        return decided, 3

    def ombudsman(self, fb: Feedback, last: date, *, premature: bool = False, open_enquiry: bool = False) -> None:
        rng, today, mo = self.rng, self.today, self.staff["mo"]
        referred = last + timedelta(days=rng.randint(20, 70))
        if open_enquiry:
            # The showcase: referred some weeks ago, the Ombudsman's first questions due soon.
            referred = max(last + timedelta(days=1), today - timedelta(days=40))
        if referred > today:
            return
        self.on(referred)
        s.refer_to_ombudsman(
            actor=mo, feedback=fb, referred_on=referred, their_reference=f"{referred:%y}{rng.randrange(100000):05d}"
        )
        received = referred + timedelta(days=rng.randint(10, 30))
        if open_enquiry:
            received = max(referred, today - timedelta(days=8))
        if received > today:
            return
        enquiry = s.record_ombudsman_enquiry(
            actor=mo, feedback=fb, kind="initial", received_on=self.on(received), due_on=received + timedelta(days=28)
        )
        answered = received + timedelta(days=rng.randint(7, 26))
        if answered > today or open_enquiry:
            return
        s.answer_ombudsman_enquiry(actor=mo, enquiry=enquiry, answered_on=self.on(answered))
        if premature:
            decision = "premature_referred_back"
        else:
            decision = self.pick(
                {
                    "closed_after_initial_enquiries": 35,
                    "not_upheld": 20,
                    "upheld_maladministration_injustice": 25,
                    "upheld_maladministration_no_injustice": 10,
                    "upheld_remedied_by_council": 10,
                }
            )
        last = answered
        if decision.startswith("upheld") or decision == "not_upheld":
            draft = answered + timedelta(days=rng.randint(30, 70))
            if draft > today:
                return
            enquiry = s.record_ombudsman_enquiry(
                actor=mo,
                feedback=fb,
                kind="draft_decision",
                received_on=self.on(draft),
                due_on=draft + timedelta(days=14),
            )
            last = draft + timedelta(days=rng.randint(5, 13))
            if last > today:
                return
            s.answer_ombudsman_enquiry(actor=mo, enquiry=enquiry, answered_on=self.on(last))
        decided = last + timedelta(days=rng.randint(14, 45))
        if decided > today:
            return
        s.record_ombudsman_decision(actor=mo, feedback=fb, decision=decision, decided_on=self.on(decided))
        if decision == "upheld_maladministration_injustice":
            rec = s.add_ombudsman_recommendation(
                actor=mo,
                feedback=fb,
                due_on=decided + timedelta(days=30),
                text="Apologise and pay £300 for the distress caused",
            )
            complied = decided + timedelta(days=rng.randint(10, 28))
            if complied <= today:
                s.record_compliance(actor=mo, recommendation=rec, complied_on=self.on(complied))

    # -- compliments, comments and enquiries ----------------------------------------------------

    def compliment(
        self, received: date, *, kind: str = Kind.COMPLIMENT, passed_wd: int | None = None, selected: bool | None = None
    ) -> Feedback:
        rng = self.rng
        service = self.pick({CSC: 77, EH: 4, SCHOOLS: 1, BUSINESS: 1})
        team = self.pick(SERVICES[service])
        internal = service == CSC and rng.random() < 0.27
        text = rng.choice(COMPLIMENTS_INTERNAL if internal else COMPLIMENTS_EXTERNAL)
        fb = s.log_feedback(
            actor=self.staff[rng.choice(["alice", "kofi"])],
            kind=Kind.COMPLIMENT,
            channel="email",
            received_on=received,
            service=self.services[service],
            team=self.teams[service][team],
            summary=text,
            compliment_source="internal" if internal else "external",
            today=received,
            complainant=PersonDetails(rng.choice(["Conference chair", "Legal Services", "Police cadet leader"]))
            if internal
            else self.person(),
        )
        passed = self.wd(
            received,
            passed_wd
            if passed_wd is not None
            else rng.choice([0, 1, 1, 2, 3])
            if rng.random() < 0.9
            else rng.randint(4, 7),
        )
        if passed <= self.today:
            s.pass_to_service(actor=self.staff["alice"], feedback=fb, on=self.on(passed))
            if selected is None:
                selected = rng.random() < 0.08
            if selected:
                select_compliment_for_report(actor=self.staff["alice"], feedback=fb, selected=True)
        return fb

    def comment(self, received: date, *, kind: str = Kind.COMMENT) -> Feedback:
        rng = self.rng
        service = self.pick({CSC: 60, EH: 20, SCHOOLS: 10, SEN: 10})
        fb = s.log_feedback(
            actor=None,
            kind=Kind.COMMENT,
            channel="online",
            received_on=received,
            service=self.services[service],
            summary=rng.choice(COMMENTS),
            complainant=self.person(),
            today=received,
        )
        passed = self.wd(received, rng.randint(0, 4))
        if passed <= self.today:
            s.pass_to_service(actor=self.staff["kofi"], feedback=fb, on=self.on(passed))
        return fb

    def enquiry(self, received: date, *, kind: str, answer_wd: int | None = None) -> Feedback:
        rng = self.rng
        mp = kind == Kind.MP_ENQUIRY
        service = self.pick(
            {CSC: 60, EH: 8, SEN: 10, SCHOOLS: 18, BUSINESS: 4} if mp else {CSC: 55, SEN: 20, SCHOOLS: 15, BUSINESS: 10}
        )
        category = self.pick({"information": 45, "reasons_for_decision": 25, "service_request": 15, "case_review": 15})
        who = rng.choice(MPS if mp else COUNCILLORS)
        fb = s.log_feedback(
            actor=self.staff[rng.choice(["alice", "kofi"])],
            kind=kind,
            channel=rng.choice(["email", "letter"]),
            received_on=received,
            service=self.services[service],
            enquiry_category=category,
            summary=ENQUIRY_TEXTS[category],
            complainant=PersonDetails(who, email=f"{who.lower().replace(' ', '.')}@example.org"),
            today=received,
        )
        # Several enquiries may concern a complaint already made: linked, never counted twice.
        recent = [c for c in self.recent_complaints[-30:] if (received - c.received_on).days < 60]
        if mp and service == CSC and recent and rng.random() < 0.3:
            s.link(actor=self.staff["alice"], feedback=fb, other=rng.choice(recent))
        limit = 5 if mp else 10
        if answer_wd is None:
            answer_wd = (
                rng.randint(2, limit) if rng.random() < (0.48 if mp else 0.65) else rng.randint(limit + 1, limit + 8)
            )
        answered = self.wd(received, answer_wd)
        if answered <= self.today:
            s.respond_to_enquiry(
                actor=self.staff["alice"],
                feedback=fb,
                on=self.on(answered),
                response="Reply sent with the service's answer",
            )
        return fb

    # -- the showcase: open cases in every state today ---------------------------------------------

    def plan_showcase(self, plans: list) -> None:
        """Cases placed so that on `today` every state a caseworker meets is on the list at least once."""
        cal, today = self.calendar, self.today

        def back(n: int) -> date:
            return cal.working_days_before(today, n)

        def add(received: date, run: Callable[[date], Any]) -> None:
            plans.append((received, len(plans), lambda: run(received)))

        base = dict(
            fate="respond",
            stage2=False,
            suspend=False,
            safeguarding=False,
            involved=False,
            late=False,
            service=CSC,
            procedure="statutory",
            role=Role.PARENT_OR_CARER,
            extend_to=None,
        )
        # Just arrived, and one whose acknowledgement is late.
        add(today, lambda d: self.complaint(d, **{**base, "channel": "online", "ack_wd": 5, "respond_wd": 10}))
        add(back(1), lambda d: self.complaint(d, **{**base, "channel": "online", "ack_wd": 5, "respond_wd": 10}))
        add(back(4), lambda d: self.complaint(d, **{**base, "channel": "email", "ack_wd": 9, "respond_wd": 12}))
        # Stage 1 overdue; due within 3 working days; extended to 20 and running.
        add(back(14), lambda d: self.complaint(d, **{**base, "ack_wd": 2, "respond_wd": 25}))
        add(back(8), lambda d: self.complaint(d, **{**base, "ack_wd": 1, "respond_wd": 12}))
        add(
            back(13),
            lambda d: self.complaint(
                d, **{**base, "ack_wd": 1, "extend_to": 20, "respond_wd": 19, "theme": "Quality of Service"}
            ),
        )
        # A child complaining: advocacy offered; a representative acting with the child's consent.
        add(
            back(3),
            lambda d: self.complaint(
                d,
                **{
                    **base,
                    "role": Role.CHILD_OR_YOUNG_PERSON,
                    "ack_wd": 1,
                    "respond_wd": 10,
                    "team": "Our Children (looked after)",
                },
            ),
        )
        add(
            back(6), lambda d: self.complaint(d, **{**base, "role": Role.REPRESENTATIVE, "ack_wd": 1, "respond_wd": 10})
        )
        # Safeguarding: flagged and referred at once; the procedure waits on the child's safety.
        add(
            back(5),
            lambda d: self.complaint(
                d,
                **{
                    **base,
                    "role": Role.CHILD_OR_YOUNG_PERSON,
                    "ack_wd": 0,
                    "respond_wd": 10,
                    "safeguarding": True,
                    "theme": "Safeguarding",
                },
            ),
        )
        # Suspended for concurrent proceedings.
        add(
            back(20),
            lambda d: self.complaint(d, **{**base, "ack_wd": 1, "respond_wd": 10, "suspend": True, "suspend_wd": 60}),
        )
        # Responded; the complainant may still ask for stage 2.
        add(back(12), lambda d: self.complaint(d, **{**base, "ack_wd": 1, "respond_wd": 8, "close_wd": 24}))
        # Stage 2: asked for, statement not yet agreed; and investigating, one of them extended.
        add(
            back(20),
            lambda d: self.complaint(
                d, **{**base, "ack_wd": 1, "respond_wd": 9, "stage2": True, "request2_wd": 5, "agree_wd": 30}
            ),
        )
        add(
            back(40),
            lambda d: self.complaint(
                d,
                **{
                    **base,
                    "ack_wd": 1,
                    "respond_wd": 10,
                    "stage2": True,
                    "request2_wd": 10,
                    "agree_wd": 8,
                    "extend2": False,
                    "respond2_wd": 25,
                },
            ),
        )
        add(
            back(60),
            lambda d: self.complaint(
                d,
                **{
                    **base,
                    "ack_wd": 1,
                    "respond_wd": 10,
                    "stage2": True,
                    "request2_wd": 8,
                    "agree_wd": 10,
                    "extend2": True,
                    "respond2_wd": 60,
                },
            ),
        )
        # Stage 3: the panel arranged and due to meet.
        add(back(60), lambda d: self._at_panel(d, base))
        # At the Ombudsman with an open enquiry.
        add(back(200), lambda d: self._at_ombudsman(d, base))
        # Enquiries and a compliment still to deal with.
        add(back(2), lambda d: self.enquiry(d, kind=Kind.MP_ENQUIRY, answer_wd=5))
        add(back(12), lambda d: self.enquiry(d, kind=Kind.COUNCILLOR_ENQUIRY, answer_wd=20))
        add(back(1), lambda d: self.compliment(d, passed_wd=3, selected=False))
        # A nice compliment chosen for the annual report every year.
        start = self.first_day
        while start <= today:
            day = min(start + timedelta(days=200), today)
            add(day, lambda d: self.compliment(d, passed_wd=1, selected=True))
            start = date(start.year + 1, 4, 1)

    def _at_panel(self, received: date, base: dict) -> None:
        fb = self.complaint(received, **{**base, "ack_wd": 1, "respond_wd": 10, "stage2": False, "close_wd": 500})
        assert fb is not None
        c = SimpleNamespace(
            **{**base, "procedure": "statutory", "request2_wd": 4, "agree_wd": 4, "extend2": False, "respond2_wd": 20}
        )
        result = self.stage_two(fb, c, Stage.objects.get(feedback=fb, number=1).responded_on)
        if result is not None:
            self.stage_three(fb, result[0], request_wd=3, meeting_wd=20)

    def _at_ombudsman(self, received: date, base: dict) -> None:
        fb = self.complaint(
            received,
            **{
                **base,
                "ack_wd": 1,
                "respond_wd": 10,
                "stage2": True,
                "stage3": True,
                "request2_wd": 4,
                "agree_wd": 5,
                "extend2": False,
                "respond2_wd": 22,
                "close_wd": 21,
                "ombudsman": 1.0,
            },
        )
        assert fb is not None
        fb.refresh_from_db()
        if fb.status == Feedback.Status.CLOSED and not hasattr(fb, "ombudsman"):
            self.ombudsman(fb, fb.closed_on - timedelta(days=1), open_enquiry=True)


# ------------------------------------------------------------------------------------------- bulk


class _Bulk:
    """(copies) times the yearly volume again, written in bulk: for benchmarks; not every rule exercised.

    Rows are what the services would have written for the simplest journeys (complaints logged,
    acknowledged, responded or withdrawn, closed; compliments and comments passed on; enquiries
    answered; the last weeks' records still open), with deadlines computed by the calendar's vectorised
    add_working_days_bulk from the rules in force on the day each record was received. Rows go in with
    executemany, not model instances: ten times faster, and columns and defaults still come from the
    models. Each chunk commits on its own; like the rest of the demo it assumes it is the only writer."""

    CHUNK = 20_000
    VOLUMES = {
        Kind.COMPLAINT: 160,
        Kind.COMPLIMENT: 80,
        Kind.MP_ENQUIRY: 38,
        Kind.COUNCILLOR_ENQUIRY: 10,
        Kind.COMMENT: 24,
    }

    def __init__(self, builder: _Builder, *, copies: int):
        self.b = builder
        self.copies = copies
        self.rng = np.random.default_rng(SEED + copies)
        self.today = builder.today
        self.calendar = clock.working_calendar()
        self.book = clock.rulebook()
        self.services = list(builder.services.values())
        weights = np.array([SERVICE_WEIGHTS[sv.name] for sv in self.services], dtype=float)
        self.service_p = weights / weights.sum()
        self.theme_names = [t for t, w in THEMES.items() if w]
        theme_w = np.array([THEMES[t] for t in self.theme_names], dtype=float)
        self.theme_p = theme_w / theme_w.sum()

    def build(self) -> None:
        start = self.b.first_day
        while start <= self.today:
            end = min(date(start.year + 1, 3, 31), self.today)
            days = (end - start).days + 1
            for kind, per_year in self.VOLUMES.items():
                total = round(per_year * self.copies * days / 365)
                for offset in range(0, total, self.CHUNK):
                    n = min(self.CHUNK, total - offset)
                    received = np.sort(np.datetime64(start) + self.rng.integers(0, days, n)).astype("datetime64[D]")
                    procedure = "statutory" if kind == Kind.COMPLAINT else s.PROCEDURE_FOR_KIND[Kind(kind)]
                    # A rule can change inside a year (councillor enquiries, April 2018): split there.
                    for part in self._split_by_version(procedure, received):
                        if part.size:
                            with transaction.atomic():
                                self._write(kind, part)
            start = date(start.year + 1, 4, 1)

    def _split_by_version(self, procedure: str, received: np.ndarray) -> list[np.ndarray]:
        proc = self.book.get(procedure)
        first, last = (proc.in_force_on(_as_date(d)) for d in (received.min(), received.max()))
        if first is last:
            return [received]
        cut = np.datetime64(last.effective_from)
        return [*self._split_by_version(procedure, received[received < cut]), received[received >= cut]]

    def due(
        self, procedure: str, received: np.ndarray, step: str, starts: np.ndarray, extra: int = 0
    ) -> tuple[np.ndarray, Any]:
        """Due dates for one step of one procedure: the rule in force on receipt, the calendar in bulk."""
        version = self.book.get(procedure).in_force_on(_as_date(received[0]))
        rule = version.step(step)
        return self.calendar.add_working_days_bulk(starts, rule.working_days + extra, version.counting), rule

    # -- one chunk -------------------------------------------------------------------------------

    def _write(self, kind: str, received: np.ndarray) -> None:
        rng, n = self.rng, received.size
        years = received.astype("datetime64[Y]").astype(int) + 1970
        refs = self._references(years)
        names = rng.integers(0, len(FIRST) * len(LAST), n)
        person_ids = _insert_returning_ids(
            Person, [{"name": f"{FIRST[i % len(FIRST)]} {LAST[i // len(FIRST)]}"} for i in names]
        )
        svc = rng.choice(len(self.services), size=n, p=self.service_p)
        if kind == Kind.COMPLAINT:
            self._complaints(received, svc, refs, person_ids)
        else:
            self._others(kind, received, svc, refs, person_ids)

    def _others(self, kind, received, svc, refs, person_ids) -> None:
        rng, n, today = self.rng, received.size, np.datetime64(self.today)
        procedure = s.PROCEDURE_FOR_KIND[Kind(kind)]
        step = "pass_to_service" if kind in (Kind.COMPLIMENT, Kind.COMMENT) else "enquiry_response"
        due, rule = self.due(procedure, received, step, received)
        late = rng.random(n) < (0.1 if step == "pass_to_service" else 0.45)
        wd = rule.working_days
        answered = self.calendar.add_working_days_bulk(
            received, np.where(late, wd + rng.integers(1, 8, n), rng.integers(0, wd + 1, n))
        )
        done = answered <= today
        categories = list(ENQUIRY_TEXTS)
        answered_l, received_l, due_l = answered.tolist(), received.tolist(), due.tolist()
        rows = []
        for i in range(n):
            a = answered_l[i] if done[i] else None
            rows.append(
                {
                    "reference": refs[i],
                    "kind": kind,
                    "procedure": procedure,
                    "channel": "email",
                    "received_on": received_l[i],
                    "status": Feedback.Status.CLOSED if a else Feedback.Status.RECEIVED,
                    "service_id": self.services[svc[i]].pk,
                    "complainant_id": person_ids[i],
                    "summary": (
                        COMPLIMENTS_EXTERNAL[i % len(COMPLIMENTS_EXTERNAL)]
                        if kind == Kind.COMPLIMENT
                        else COMMENTS[i % len(COMMENTS)]
                        if kind == Kind.COMMENT
                        else ENQUIRY_TEXTS[categories[i % 4]]
                    ),
                    "responded_on": a,
                    "closed_on": a,
                    "compliment_source": ("internal" if i % 4 == 0 else "external") if kind == Kind.COMPLIMENT else "",
                    "enquiry_category": categories[i % 4] if step == "enquiry_response" else "",
                }
            )
        ids = _insert_feedback(rows)
        deadlines, events = [], []
        label = Kind(kind).label
        for i, row in enumerate(rows):
            fid, d = ids[row["reference"]], due_l[i]
            deadlines.append(_deadline(fid, procedure, rule, row["received_on"], d, met_on=row["responded_on"]))
            events.append(_bulk_event(fid, "logged", f"{label} logged (Email)", row["received_on"]))
            if row["responded_on"]:
                events.append(
                    _bulk_event(
                        fid,
                        "passed_to_service" if step == "pass_to_service" else "enquiry_answered",
                        "Passed to the service" if step == "pass_to_service" else "Enquiry answered",
                        row["responded_on"],
                    )
                )
        _insert(Deadline, deadlines)
        _insert(Event, events)

    def _complaints(self, received, svc, refs, person_ids) -> None:
        rng, b, cal, n, today = self.rng, self.b, self.calendar, received.size, np.datetime64(self.today)
        corporate = np.array([self.services[i].name in CORPORATE_SERVICES for i in svc])
        theme_idx = rng.choice(len(self.theme_names), size=n, p=self.theme_p)
        on_time = rng.random(n) < 0.72
        respond_wd = np.where(on_time, rng.integers(3, 11, n), rng.integers(11, 26, n))
        ack = cal.add_working_days_bulk(received, np.minimum(rng.choice([0, 1, 2, 3, 3, 5], n), respond_wd))
        responded = cal.add_working_days_bulk(received, respond_wd)
        window = cal.add_working_days_bulk(responded, 20)
        closed = cal.add_working_days_bulk(responded, rng.integers(21, 25, n))
        withdrawn = rng.random(n) < 0.25
        outcomes = rng.choice(["upheld", "partially_upheld", "not_upheld"], n, p=[0.11, 0.35, 0.54])
        # Both procedures' clocks for every row; each row uses its own (cheap, and vectorised).
        ack_s, ack_rule_s = self.due("statutory", received, "acknowledge", received)
        ack_c, ack_rule_c = self.due("corporate", received, "stage1_acknowledge", received)
        resp_s, resp_rule_s = self.due("statutory", received, "stage1_response", received)
        resp_c, resp_rule_c = self.due("corporate", received, "stage1_response", ack)
        _, window_rule = self.due("statutory", received, "stage2_request_window", received)
        handlers = {name: [b.staff[u].pk for u in users] for name, users in HANDLERS.items()}
        # Python dates once per array, not one numpy conversion per element.
        received_l, ack_l, responded_l, window_l, closed_l = (
            x.tolist() for x in (received, ack, responded, window, closed)
        )
        ack_s, ack_c, resp_s, resp_c = (x.tolist() for x in (ack_s, ack_c, resp_s, resp_c))
        rows, plans = [], []
        for i in range(n):
            service = self.services[svc[i]]
            theme = self.theme_names[theme_idx[i]]
            acked, answered = ack[i] <= today, responded[i] <= today
            if not acked:
                status = Feedback.Status.RECEIVED
            elif not answered:
                status = Feedback.Status.OPEN
            elif withdrawn[i]:
                status = Feedback.Status.WITHDRAWN
            else:
                status = Feedback.Status.CLOSED if closed[i] <= today else Feedback.Status.RESPONDED
            corp = bool(corporate[i])
            a, rs = ack_l[i], responded_l[i]
            ack_due = ack_c[i] if corp else ack_s[i]
            resp_due = resp_c[i] if corp else resp_s[i]
            closed_on = (
                rs
                if status == Feedback.Status.WITHDRAWN
                else (closed_l[i] if status == Feedback.Status.CLOSED else None)
            )
            rows.append(
                {
                    "reference": refs[i],
                    "kind": Kind.COMPLAINT,
                    "procedure": "corporate" if corp else "statutory",
                    "channel": "email",
                    "received_on": received_l[i],
                    "status": status,
                    "stage": 1,
                    "service_id": service.pk,
                    "theme_id": b.themes[theme].pk,
                    "summary": POINTS.get(theme, POINTS["Quality of Service"])[0] + ".",
                    "complainant_id": person_ids[i],
                    "complainant_role": Role.PARENT_OR_CARER,
                    "assignee_id": handlers[service.name][i % len(handlers[service.name])] if acked else None,
                    "acknowledged_on": a if acked else None,
                    "closed_on": closed_on,
                }
            )
            plans.append((corp, acked, a, rs, status, ack_due, resp_due, window_l[i], str(outcomes[i])))
        ids = _insert_feedback(rows)
        stages, points, deadlines, events, findings = [], [], [], [], []
        for row, (corp, acked, a, rs, status, ack_due, resp_due, window_due, outcome) in zip(rows, plans, strict=True):
            fid, r, proc = ids[row["reference"]], row["received_on"], row["procedure"]
            answered = status in (Feedback.Status.RESPONDED, Feedback.Status.CLOSED, Feedback.Status.WITHDRAWN)
            gone = status == Feedback.Status.WITHDRAWN
            outcome = "withdrawn" if gone else outcome if answered else ""
            stages.append(
                {
                    "feedback_id": fid,
                    "number": 1,
                    "requested_on": r,
                    "handler_id": row["assignee_id"],
                    "acknowledged_on": row["acknowledged_on"],
                    "responded_on": rs if answered else None,
                    "outcome": outcome,
                }
            )
            points.append({"feedback_id": fid, "number": 1, "summary": row["summary"].rstrip("."), "added_at_stage": 1})
            if outcome and not gone:
                findings.append((fid, outcome))
            deadlines.append(
                _deadline(fid, proc, ack_rule_c if corp else ack_rule_s, r, ack_due, met_on=row["acknowledged_on"])
            )
            if acked or not corp:  # the corporate stage 1 clock starts at acknowledgement
                deadlines.append(
                    _deadline(
                        fid,
                        proc,
                        resp_rule_c if corp else resp_rule_s,
                        a if corp else r,
                        resp_due,
                        met_on=rs if answered and not gone else None,
                        cancelled=gone,
                    )
                )
            if answered and not gone:
                deadlines.append(
                    _deadline(
                        fid, proc, window_rule, rs, window_due, window=True, cancelled=status == Feedback.Status.CLOSED
                    )
                )
            events.append(_bulk_event(fid, "logged", "Complaint logged (Email)", r))
            if acked:
                events.append(_bulk_event(fid, "acknowledged", "Stage 1 acknowledged", a))
            if gone:
                events.append(_bulk_event(fid, "withdrawn", "Withdrawn", rs))
            elif answered:
                events.append(_bulk_event(fid, "responded", f"Stage 1 response: {outcome.replace('_', ' ')}", rs))
            if status == Feedback.Status.CLOSED:
                events.append(_bulk_event(fid, "closed", "Closed", row["closed_on"]))
        _insert(Stage, stages)
        _insert(Point, points)
        point_ids = dict(
            Point.objects.filter(
                feedback_id__gte=min(ids.values()), feedback_id__lte=max(ids.values()), number=1
            ).values_list("feedback_id", "id")
        )
        _insert(PointFinding, [{"point_id": point_ids[fid], "stage": 1, "finding": f} for fid, f in findings])
        _insert(Deadline, deadlines)
        _insert(Event, events)

    def _references(self, years: np.ndarray) -> list[str]:
        """Take a block of numbers per year from the same counters next_reference uses."""
        prefix = settings.HEARD_REFERENCE_PREFIX
        refs: list[str] = [""] * years.size
        for year in np.unique(years):
            idx = np.flatnonzero(years == year)
            with transaction.atomic():
                counter, _ = ReferenceCounter.objects.get_or_create(prefix=prefix, year=int(year))
                counter = ReferenceCounter.objects.select_for_update().get(pk=counter.pk)
                first = counter.last_number + 1
                counter.last_number += idx.size
                counter.save(update_fields=["last_number"])
            for k, i in enumerate(idx):
                refs[i] = f"{prefix}-{int(year)}-{first + k:05d}"
        return refs


def _as_date(d: Any) -> date:
    return d.astype("datetime64[D]").astype(object) if isinstance(d, np.datetime64) else d


def _deadline(
    feedback_id: int,
    procedure: str,
    rule: Any,
    starts_on: date,
    due_on: date,
    *,
    met_on: date | None = None,
    cancelled: bool = False,
    window: bool = False,
) -> dict[str, Any]:
    return {
        "feedback_id": feedback_id,
        "procedure": procedure,
        "step": rule.key,
        "stage": rule.stage,
        "starts_on": starts_on,
        "working_days": rule.working_days,
        "rule_working_days": rule.working_days,
        "due_on": due_on,
        "original_due_on": due_on,
        "met_on": met_on,
        "cancelled": cancelled,
        "window": window,
        "citation": rule.citation,
    }


def _bulk_event(feedback_id: int, action: str, summary: str, on: date) -> dict[str, Any]:
    return {
        "feedback_id": feedback_id,
        "at": timezone.make_aware(datetime.combine(on, clock_time(10, 0))),
        "action": action,
        "summary": summary,
        "data": {"on": on.isoformat()},
    }


def _insert(model: type, rows: list[dict[str, Any]]) -> None:
    """INSERT rows with executemany. A column a row leaves out takes its field's default, as a model
    instance would; values are prepared by their fields, so dates and JSON go in as Django writes them."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    connection = connections[DEFAULT_DB_ALIAS]  # once, not through the thread-local proxy per value
    now = timezone.now()
    defaults = []
    for f in fields:
        value = now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
        defaults.append(f.get_db_prep_save(value, connection))
    qn = connection.ops.quote_name
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    params = [
        tuple(
            f.get_db_prep_save(row[f.attname], connection) if f.attname in row else default
            for f, default in zip(fields, defaults, strict=True)
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), 5000):
            cursor.executemany(sql, params[start : start + 5000])


def _insert_returning_ids(model: type, rows: list[dict[str, Any]]) -> list[int]:
    """Insert, then read the new ids back in insertion order (the demo is the only writer)."""
    before = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    _insert(model, rows)
    ids = list(model.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True))
    if len(ids) != len(rows):
        raise RuntimeError(f"Another process wrote {model.__name__} rows while the demo was loading.")
    return ids


def _insert_feedback(rows: list[dict[str, Any]]) -> dict[str, int]:
    before = Feedback.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    _insert(Feedback, rows)
    return dict(Feedback.objects.filter(pk__gt=before).values_list("reference", "pk"))


# ---------------------------------------------------------------------------------- the database


def database_state() -> str:
    """ "empty", "demo" (the demo council is loaded) or "other" (data that is not the demo's)."""
    users = set(User.objects.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True))
    if users == set(DEMO_USERNAMES) and Service.objects.filter(name=CSC).exists():
        return "demo"
    if users or Feedback.objects.exists() or Service.objects.exists():
        return "other"
    return "empty"


def fingerprint() -> list[tuple]:
    """What a second build must reproduce exactly (the demo is deterministic)."""
    return (
        list(
            Feedback.objects.order_by("reference").values_list(
                "reference",
                "kind",
                "procedure",
                "status",
                "stage",
                "received_on",
                "acknowledged_on",
                "closed_on",
                "service__name",
                "team__name",
                "theme__name",
                "complainant__name",
                "complainant_role",
                "assignee__username",
                "safeguarding",
                "selected_for_report",
            )
        )
        + list(
            Stage.objects.order_by("feedback__reference", "number").values_list(
                "feedback__reference", "number", "requested_on", "responded_on", "outcome"
            )
        )
        + list(
            Deadline.objects.order_by("feedback__reference", "step", "id").values_list(
                "feedback__reference", "step", "due_on", "met_on"
            )
        )
        + list(
            Event.objects.order_by("feedback__reference", "at", "id").values_list("feedback__reference", "action", "at")
        )
        + list(
            InformalResolution.objects.order_by("received_on", "id").values_list(
                "received_on",
                "resolved_on",
                "service__name",
                "team__name",
                "theme__name",
                "channel",
                "summary",
                "recorded_by__username",
            )
        )
    )
