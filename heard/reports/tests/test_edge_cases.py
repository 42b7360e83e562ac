"""Every cell of the tables for small sets of records with the edge cases the definitions turn on."""

from datetime import date

import pytest

from heard.feedback import services as s
from heard.organisation.models import Service, Theme
from heard.reports.periods import Period
from heard.reports.report import build_report
from heard.reports.tables import pct
from heard.reports.tests import builders as b

pytestmark = pytest.mark.django_db
Y = Period.financial_year(2018)


def _only_service(name):
    """The fixtures' services retired and unused, so only this one shows."""
    Service.objects.update(active=False)
    return Service.objects.create(name=name)


def test_percentages_round_half_up():
    assert [pct(1, 8), pct(3, 8), pct(5, 8), pct(1, 200), pct(1, 3), pct(2, 3), pct(0, 0)] == [
        "13%",
        "38%",
        "63%",
        "1%",
        "33%",
        "67%",
        "0%",
    ]
    assert pct(0, 0, empty="Nil") == "Nil"


@pytest.fixture
def edge(settings):
    settings.HEARD_REPORT_SERVICE_ORDER = []
    care = Service.objects.create(name="Care")
    old = Service.objects.create(name="Old Service", active=False)  # existed only last year
    Service.objects.create(name="Never Used Retired", active=False)
    action = Theme.objects.create(name="Action")
    Theme.objects.create(name="Quiet Theme")  # active, no complaints in any year
    gone = Theme.objects.create(name="Gone Theme", active=False)  # used only two years ago
    Theme.objects.create(name="Gone Unused", active=False)
    # 8 complaints in Care, 2018/19: 1 upheld, 3 partially, 2 not upheld, 1 withdrawn, 1 still open.
    b.complaint(
        care, date(2018, 4, 1), theme=action, outcome="upheld", responded_on=date(2018, 4, 13), due_on=date(2018, 4, 13)
    )  # answered on its due date: met
    for day in (2, 3, 4):
        b.complaint(
            care,
            date(2018, 5, day),
            theme=action,
            outcome="partially_upheld",
            responded_on=date(2018, 5, 30),
            due_on=date(2018, 5, 20),
        )  # late: not met
    b.complaint(
        care,
        date(2018, 6, 1),
        theme=action,
        outcome="not_upheld",
        responded_on=date(2018, 6, 25),
        due_on=date(2018, 6, 29),
    )  # extended from 15 June to 29 June and met: an extension agreed counts
    b.complaint(
        care,
        date(2019, 3, 31),
        theme=None,
        outcome="not_upheld",
        responded_on=date(2019, 4, 5),
        due_on=date(2019, 4, 12),
    )  # last day of the year, no theme
    b.complaint(care, date(2018, 7, 1), theme=action, outcome="withdrawn", responded_on=date(2018, 7, 3))
    b.complaint(care, date(2019, 3, 1), theme=action, outcome="")  # still open
    b.complaint(care, date(2018, 8, 1), theme=action, status="declined")  # not considered: not received
    b.complaint(care, date(2019, 4, 1), theme=action, outcome="upheld")  # next year
    # Last year: 2 complaints in the Old Service, both fully considered and met; one in Care withdrawn.
    b.complaint(old, date(2017, 9, 1), theme=action, outcome="upheld")
    b.complaint(old, date(2017, 9, 2), theme=action, outcome="not_upheld")
    b.complaint(care, date(2017, 10, 1), theme=action, outcome="withdrawn")
    b.complaint(care, date(2016, 10, 1), theme=gone, outcome="not_upheld", due_on=date(2016, 10, 2))
    return build_report(Y)


def test_complaints_by_service_every_cell(edge):
    assert edge.table("complaints_by_service")["rows"] == [
        # received 8 (the declined one excluded), fully considered 6 (withdrawn and open excluded)
        ["Care", 8, "100%", 6, 1, 3, 4, "67%"],
        ["Old Service", 0, "0%", 0, 0, 0, 0, "0%"],
        ["Total", 8, "100%", 6, 1, 3, 4, "67%"],
    ]


def test_outcomes_by_service_every_cell(edge):
    assert edge.table("outcomes_by_service")["rows"] == [
        ["Care", 6, 1, 3, 2, 4, "67%", 1],
        ["Old Service", 0, 0, 0, 0, 0, "0%", 0],
        ["Total", 6, 1, 3, 2, 4, "67%", 1],
    ]


def test_previous_years_show_a_service_that_existed_only_last_year(edge):
    assert edge.table("complaints_by_service_previous_years")["rows"] == [
        ["Care", 0, "0%", 0, 1, "0%", 0],
        ["Old Service", 2, "50%", 1, 0, "0%", 0],
        ["Total", 2, "50%", 1, 1, "0%", 0],
    ]


def test_timescale_met_on_the_due_date_or_an_extended_one_and_nil_for_no_complaints(edge):
    assert edge.table("timescales_by_service")["rows"] == [
        # met: the one answered on its due date, the extended one, the one answered 5 April: 3 of 6
        ["Care", 3, "50%", "Nil", "0%"],
        ["Old Service", 0, "0%", "100%", "Nil"],
        ["Total", 3, "50%", "100%", "0%"],
    ]


def test_themes_include_quiet_and_retired_used_themes_and_percentages_are_over_all_received(edge):
    assert edge.table("complaints_by_theme")["rows"] == [
        # Action: 7 received (one still open): 1 upheld, 3 partially, 1 not upheld, 1 withdrawn; 7/8 = 87.5%
        ["Action", 7, "88%", "14%", "43%", "57%", "14%", "14%", 3, 0],
        ["Gone Theme", 0, "0%", "0%", "0%", "0%", "0%", "0%", 0, 1],
        ["Quiet Theme", 0, "0%", "0%", "0%", "0%", "0%", "0%", 0, 0],
        ["No theme recorded", 1, "13%", "0%", "0%", "0%", "100%", "0%", 0, 0],  # 1/8 = 12.5%
        ["Total", 8, "100%", "13%", "38%", "50%", "25%", "13%", 3, 1],
    ]


def test_headlines_count_the_declined_complaint_as_feedback_but_not_as_a_complaint(edge):
    rows = {r[0]: r[1:] for r in edge.table("headlines")["rows"]}
    assert rows["Items of feedback logged"] == [9, 3]
    assert rows["Stage 1 complaints received"] == [8, 3]
    assert rows["Stage 1 complaints outstanding"] == [1, 0]
    assert rows["Change in complaints received on the year before"] == ["+167%", "+200%"]


def test_an_enquiry_answered_on_the_last_day_meets_the_timescale_and_an_extension_counts_as_missed(settings):
    settings.HEARD_REPORT_SERVICE_ORDER = []
    care = Service.objects.create(name="Care")
    b.other("mp_enquiry", care, date(2018, 5, 1), responded_on=date(2018, 5, 8), due_on=date(2018, 5, 8))
    b.other("mp_enquiry", care, date(2018, 5, 1), responded_on=date(2018, 5, 9), due_on=date(2018, 5, 8))
    b.other(
        "mp_enquiry",
        care,
        date(2018, 5, 1),
        responded_on=date(2018, 5, 10),
        due_on=date(2018, 5, 15),
        original_due_on=date(2018, 5, 8),
    )  # extended: counts as missed
    b.other("mp_enquiry", care, date(2018, 5, 1))  # not answered
    report = build_report(Y)
    assert report.table("mp_enquiries_by_service")["rows"] == [
        ["Care", 4, "25%", 0, "Nil", 0, "Nil"],
        ["Total", 4, "25%", 0, "Nil", 0, "Nil"],
    ]


def test_councillor_enquiries_are_judged_by_the_timescale_in_force_when_received(people, settings):
    """5 working days until 31 March 2018, 10 from 1 April 2018: an answer after 7 working days missed it in
    2017/18 and met it in 2018/19. Logged and answered through the real services."""
    care = _only_service("Care")
    alice = people["alice"]
    before = s.log_feedback(
        actor=alice,
        kind="councillor_enquiry",
        channel="email",
        received_on=date(2018, 3, 21),
        service=care,
        enquiry_category="information",
        today=date(2018, 3, 21),
    )
    after = s.log_feedback(
        actor=alice,
        kind="councillor_enquiry",
        channel="email",
        received_on=date(2018, 4, 4),
        service=care,
        enquiry_category="case_review",
        today=date(2018, 4, 4),
    )
    # Wed 21 Mar + 7 working days (Good Friday 30 Mar) = Mon 3 Apr... answered Tue 3 Apr 2018: late.
    s.respond_to_enquiry(actor=alice, feedback=before, on=date(2018, 4, 3))
    # Wed 4 Apr + 7 working days = Fri 13 Apr: within 10.
    s.respond_to_enquiry(actor=alice, feedback=after, on=date(2018, 4, 13))
    table = build_report(Y).table("councillor_enquiries_by_service")
    assert table["columns"][2] == "% Meeting 10 Day Timescale 2018/19"
    assert table["columns"][4] == "% Meeting 5 Day Timescale 2017/18"
    assert table["rows"] == [["Care", 1, "100%", 1, "0%", 0, "Nil"], ["Total", 1, "100%", 1, "0%", 0, "Nil"]]
    assert build_report(Y).table("enquiries_by_category")["rows"] == [
        ["Request for information", 0, 0, 0],
        ["Reasons for a decision", 0, 0, 0],
        ["Request for a service", 0, 0, 0],
        ["Request for review of a case", 0, 1, 1],
        ["Total", 0, 1, 1],
    ]


def test_a_withdrawn_complaint_through_the_services_is_received_but_not_fully_considered(people, settings):
    care = _only_service("Care")
    fb = s.log_feedback(
        actor=people["alice"],
        kind="complaint",
        channel="email",
        received_on=date(2018, 6, 4),
        service=care,
        points=["Visits cancelled"],
        complainant_role="child_or_young_person",
        today=date(2018, 6, 4),
    )
    s.withdraw(actor=people["alice"], feedback=fb, on=date(2018, 6, 6), reason="Sorted out with the social worker")
    assert build_report(Y).table("complaints_by_service")["rows"] == [
        ["Care", 1, "100%", 0, 0, 0, 0, "0%"],
        ["Total", 1, "100%", 0, 0, 0, 0, "0%"],
    ]
    assert build_report(Y).table("young_people")["rows"] == [
        ["Stage 1 complaints made by a child or young person", 1, 0, 0],
        ["Percentage of stage 1 complaints", "100%", "0%", "0%"],
    ]


def test_ombudsman_annual_letter_figures(settings):
    care = Service.objects.create(name="Care")
    cases = [
        b.ombudsman(
            b.complaint(care, date(2018, 4, 2), outcome="upheld"),
            date(2018, 6, 1),
            decision=d,
            decided_on=date(2018, 12, 1),
        )
        for d in (
            "upheld_maladministration_injustice",
            "upheld_remedied_by_council",
            "not_upheld",
            "closed_after_initial_enquiries",
            "premature_referred_back",
            "upheld_remedied_by_council",
        )
    ]
    b.recommendation(cases[0], date(2018, 12, 20), date(2018, 12, 20))  # complied on the day
    b.recommendation(cases[0], date(2019, 1, 20), date(2019, 1, 25))  # late
    b.recommendation(cases[0], date(2019, 2, 20), None)
    b.ombudsman_enquiry(cases[0], "initial", date(2018, 6, 5), date(2018, 7, 5), date(2018, 7, 5))
    b.ombudsman_enquiry(cases[1], "further", date(2018, 6, 5), date(2018, 7, 5), date(2018, 7, 6))
    report = build_report(Y)
    assert report.table("ombudsman_annual_letter")["rows"] == [
        ["Detailed investigations decided", 4, 0, 0],
        ["Upheld", 3, 0, 0],
        ["Upheld rate (% of detailed investigations upheld)", "75%", "Nil", "Nil"],
        ["Compliance with the Ombudsman's recommendations (% complied with by their due date)", "33%", "Nil", "Nil"],
        [
            "Satisfactory remedy provided by the council before the Ombudsman's involvement (% of upheld)",
            "67%",
            "Nil",
            "Nil",
        ],
    ]
    assert report.table("ombudsman_activity")["rows"][4:] == [
        ["Enquiries answered within the Ombudsman's timescale", 1, 0, 0],
        ["Percentage of enquiries answered on time", "50%", "Nil", "Nil"],
    ]
    assert report.table("ombudsman_decisions")["rows"][-1] == ["Total", 6, 0, 0]


def test_a_quarter_is_compared_with_the_same_quarter_in_earlier_years(settings):
    care = Service.objects.create(name="Care")
    b.complaint(care, date(2018, 6, 30), outcome="upheld")
    b.complaint(care, date(2018, 7, 1), outcome="upheld")
    b.complaint(care, date(2017, 4, 1), outcome="upheld")
    q1 = Period.quarter(2018, 1)
    assert (q1.start, q1.end, q1.label) == (date(2018, 4, 1), date(2018, 6, 30), "2018/19 quarter 1")
    report = build_report(q1)
    assert report.table("headlines")["rows"][2] == ["Stage 1 complaints received", 1, 1]
