"""Heard reproduces Appendix D of the reference report (Blackpool Council, Customer Feedback Annual Report,
Children's Services 2018/19) from records built to match it, cell for cell."""

from datetime import date, timedelta

import pytest

from heard.organisation.models import Service, Theme
from heard.reports.periods import Period
from heard.reports.report import build_report
from heard.reports.tests import builders as b

pytestmark = pytest.mark.django_db

CSC, EH, SEN, SCH, BUS, COM = (
    "Children's Social Care",
    "Early Help",
    "SEN, Education and Psychology",
    "Schools Standards, Safeguarding and Inclusion",
    "Business Support and Resources",
    "Children's Commissioning",
)
ORDER = [CSC, EH, SEN, SCH, BUS, COM]
# theme: (2018/19 upheld, partially, not upheld, withdrawn), 2017/18 total, 2016/17 total, active
THEMES = {
    "Assessments Undertaken": ((1, 2, 1, 3), 5, 1, True),
    "Confidentiality": ((0, 1, 0, 6), 2, 2, True),
    "Council Action": ((0, 2, 4, 5), 9, 4, True),
    "Financial and Funding": ((1, 0, 0, 1), 0, 2, True),
    "Lack of Action": ((3, 3, 3, 1), 18, 18, True),
    "Lack of Communication": ((0, 1, 2, 2), 18, 7, True),
    "Miscellaneous": ((0, 0, 0, 0), 1, 0, False),  # retired in March 2018
    "Policies and Procedures": ((0, 0, 0, 0), 1, 3, True),
    "Quality of Service": ((3, 8, 10, 5), 30, 27, True),
    "Request for Service": ((0, 0, 0, 0), 1, 6, False),  # retired in March 2018
    "Safeguarding": ((0, 0, 1, 5), 2, 0, True),
    "Staff Conduct": ((4, 23, 40, 20), 71, 41, True),
}
# service: 2018/19 (received, upheld, partially, not upheld, withdrawn, timescale met)
Y2018 = {
    CSC: (140, 11, 30, 54, 45, 66),
    EH: (8, 1, 5, 1, 1, 5),
    SEN: (3, 0, 1, 1, 1, 1),
    SCH: (9, 0, 4, 4, 1, 8),
    BUS: (1, 0, 0, 1, 0, 1),
    COM: (0, 0, 0, 0, 0, 0),
}
# service: previous years (fully considered, upheld in some element, timescale met); withdrawn go to CSC
Y2017 = {CSC: (110, 58, 85), EH: (3, 1, 2), SEN: (0, 0, 0), SCH: (5, 1, 5), BUS: (2, 2, 1), COM: (2, 0, 2)}
Y2016 = {CSC: (71, 37, 53), EH: (4, 1, 4), SEN: (10, 3, 7), SCH: (0, 0, 0), BUS: (0, 0, 0), COM: (1, 0, 0)}
# compliments: service: (internal 2018/19, external 2018/19, 2017/18, 2016/17)
COMPLIMENTS = {CSC: (21, 56, 75, 54), EH: (0, 4, 10, 5), SCH: (0, 1, 0, 0), SEN: (0, 0, 0, 13), BUS: (0, 1, 1, 1)}
# enquiries: service: ((n, met) 2018/19, 2017/18, 2016/17)
MP = {
    CSC: ((22, 10), (23, 12), (25, 14)),
    EH: ((3, 1), (0, 0), (1, 1)),
    SEN: ((3, 2), (5, 4), (10, 7)),
    SCH: ((8, 2), (6, 3), (0, 0)),
    BUS: ((1, 1), (5, 4), (0, 0)),
}
COUNCILLOR = {
    CSC: ((5, 3), (4, 3), (9, 9)),
    EH: ((0, 0), (0, 0), (0, 0)),
    SEN: ((2, 2), (2, 2), (1, 1)),
    SCH: ((2, 0), (1, 0), (0, 0)),
    BUS: ((1, 1), (2, 2), (0, 0)),
}


def _year(year):
    return date(year, 6, 1)


@pytest.fixture
def blackpool(settings):
    settings.HEARD_REPORT_SERVICE_ORDER = ORDER
    # update_or_create: the shared fixtures (people) may have made some of these services already.
    services = {n: Service.objects.update_or_create(name=n, defaults={"active": n != COM})[0] for n in ORDER}
    themes = {n: Theme.objects.update_or_create(name=n, defaults={"active": spec[3]})[0] for n, spec in THEMES.items()}
    Theme.objects.create(name="Retired, never used in these years", active=False)

    # 2018/19: service slots and theme slots for each outcome, zipped so both margins are exact.
    outcomes = ("upheld", "partially_upheld", "not_upheld", "withdrawn")
    for i, outcome in enumerate(outcomes):
        theme_slots = [themes[t] for t, spec in THEMES.items() for _ in range(spec[0][i])]
        service_slots = [services[s] for s, spec in Y2018.items() for _ in range(spec[1 + i])]
        assert len(theme_slots) == len(service_slots)
        for service, theme in zip(service_slots, theme_slots, strict=True):
            b.complaint(service, _year(2018), theme=theme, outcome=outcome)
    # Timescale met: the first `met` fully considered complaints of each service answered in time.
    from heard.feedback.models import Deadline, Stage

    for name, spec in Y2018.items():
        stages = Stage.objects.filter(
            feedback__service=services[name],
            number=1,
            feedback__received_on__year=2018,
            outcome__in=("upheld", "partially_upheld", "not_upheld"),
        ).order_by("id")
        late = [s.feedback_id for s in stages[spec[5] :]]
        Deadline.objects.filter(feedback_id__in=late).update(due_on=_year(2018) + timedelta(days=3))
    # 6 corporate complaints (96% statutory) and 5 stage 2 escalations; 2 from young people.
    from heard.feedback.models import Feedback

    corporate = list(Feedback.objects.filter(service=services[CSC], received_on__year=2018).order_by("id")[:6])
    Feedback.objects.filter(pk__in=[f.pk for f in corporate]).update(procedure="corporate")
    for fb in corporate[:5]:
        b.escalation(fb, 2, date(2018, 9, 1), outcome="partially_upheld")
    Feedback.objects.filter(pk__in=[f.pk for f in corporate[:2]]).update(complainant_role="child_or_young_person")

    for year, table in ((2017, Y2017), (2016, Y2016)):
        theme_slots = [themes[t] for t, spec in THEMES.items() for _ in range(spec[1 if year == 2017 else 2])]
        slots = []
        for name, (fc, upheld, met) in table.items():
            slots += [(services[name], "upheld", j < met) for j in range(upheld)]
            slots += [(services[name], "not_upheld", upheld + j < met) for j in range(fc - upheld)]
        slots += [(services[CSC], "withdrawn", False)] * (len(theme_slots) - len(slots))
        for (service, outcome, met), theme in zip(slots, theme_slots, strict=True):
            due = _year(year) + timedelta(days=14 if met else 3)
            b.complaint(service, _year(year), theme=theme, outcome=outcome, due_on=due)
    young_2017 = Feedback.objects.filter(received_on__year=2017).order_by("id")[:10]
    Feedback.objects.filter(pk__in=[f.pk for f in young_2017]).update(complainant_role="child_or_young_person")

    for name, (internal, external, y17, y16) in COMPLIMENTS.items():
        for source, n, year in (
            ("internal", internal, 2018),
            ("external", external, 2018),
            ("external", y17, 2017),
            ("external", y16, 2016),
        ):
            for _ in range(n):
                b.other("compliment", services[name], _year(year), source=source)
    for kind, table in (("mp_enquiry", MP), ("councillor_enquiry", COUNCILLOR)):
        for name, years in table.items():
            for (n, met), year in zip(years, (2018, 2017, 2016), strict=True):
                for j in range(n):
                    received = _year(year)
                    b.other(
                        kind,
                        services[name],
                        received,
                        category="information",
                        responded_on=received + timedelta(days=5 if j < met else 9),
                        due_on=received + timedelta(days=7),
                    )
    # The Ombudsman: 3 referrals; 3 initial requests and 2 draft decisions, all answered in time;
    # final decisions: one closed after initial enquiries, one upheld with injustice.
    referred = list(Feedback.objects.filter(received_on__year=2018, kind="complaint").order_by("id")[:3])
    cases = [b.ombudsman(fb, date(2018, 10, 1)) for fb in referred]
    for case in cases:
        b.ombudsman_enquiry(case, "initial", date(2018, 10, 5), date(2018, 11, 5), date(2018, 11, 1))
    for case in cases[:2]:
        b.ombudsman_enquiry(case, "draft_decision", date(2019, 1, 5), date(2019, 2, 5), date(2019, 2, 5))
    cases[0].decision, cases[0].decided_on = "closed_after_initial_enquiries", date(2019, 1, 10)
    cases[0].save()
    cases[1].decision, cases[1].decided_on = "upheld_maladministration_injustice", date(2019, 3, 10)
    cases[1].save()
    return services


@pytest.fixture
def report(blackpool):
    return build_report(Period.financial_year(2018))


def test_complaint_breakdown_by_service_matches_the_reference(report):
    t = report.table("complaints_by_service")
    assert t["columns"] == [
        "Complaint breakdown by Service",
        "Totals",
        "Percentage %",
        "Fully considered",
        "Upheld",
        "Partially Upheld",
        "Upheld and Partially Upheld",
        "Percentage upheld in some element %",
    ]
    assert t["rows"] == [
        [CSC, 140, "87%", 95, 11, 30, 41, "43%"],
        [EH, 8, "5%", 7, 1, 5, 6, "86%"],
        [SEN, 3, "2%", 2, 0, 1, 1, "50%"],
        [SCH, 9, "6%", 8, 0, 4, 4, "50%"],
        [BUS, 1, "1%", 1, 0, 0, 0, "0%"],
        [COM, 0, "0%", 0, 0, 0, 0, "0%"],  # retired, but used in the years shown
        ["Total", 161, "100%", 113, 12, 40, 52, "46%"],
    ]


def test_previous_years_totals_are_fully_considered_complaints_as_in_the_reference(report):
    t = report.table("complaints_by_service_previous_years")
    assert t["columns"][1:4] == [
        "2017/18 Totals",
        "2017/18 Percentage upheld in some element %",
        "2017/18 Upheld and Partially Upheld",
    ]
    assert t["rows"] == [
        [CSC, 110, "53%", 58, 71, "52%", 37],
        [EH, 3, "33%", 1, 4, "25%", 1],
        [SEN, 0, "0%", 0, 10, "30%", 3],
        [SCH, 5, "20%", 1, 0, "0%", 0],
        [BUS, 2, "100%", 2, 0, "0%", 0],
        [COM, 2, "0%", 0, 1, "0%", 0],
        ["Total", 122, "51%", 62, 86, "48%", 41],
    ]


def test_timescales_by_service_match_the_reference_and_show_nil_for_no_complaints_in_a_previous_year(report):
    t = report.table("timescales_by_service")
    assert [r[:4] for r in t["rows"]] == [
        [CSC, 66, "69%", "77%"],
        [EH, 5, "71%", "67%"],
        [SEN, 1, "50%", "Nil"],
        [SCH, 8, "100%", "100%"],
        [BUS, 1, "100%", "50%"],
        [COM, 0, "0%", "100%"],
        ["Total", 81, "72%", "78%"],
    ]
    # 2016/17: 53/71, 4/4, 7/10, none, none, 0/1 → 64/86
    assert [r[4] for r in t["rows"]] == ["75%", "100%", "70%", "Nil", "Nil", "0%", "74%"]


def test_complaints_by_theme_match_the_reference_including_retired_themes(report):
    t = report.table("complaints_by_theme")
    assert t["columns"] == [
        "Complaints by Theme",
        "Total 2018/19",
        "Percentage %",
        "Upheld",
        "Partially Upheld",
        "Upheld and Partially Upheld",
        "Not Upheld",
        "Withdrawn",
        "2017/18 Theme Totals",
        "2016/17 Theme Totals",
    ]
    assert t["rows"] == [
        ["Assessments Undertaken", 7, "4%", "14%", "29%", "43%", "14%", "43%", 5, 1],
        ["Confidentiality", 7, "4%", "0%", "14%", "14%", "0%", "86%", 2, 2],
        ["Council Action", 11, "7%", "0%", "18%", "18%", "36%", "45%", 9, 4],
        ["Financial and Funding", 2, "1%", "50%", "0%", "50%", "0%", "50%", 0, 2],
        ["Lack of Action", 10, "6%", "30%", "30%", "60%", "30%", "10%", 18, 18],
        ["Lack of Communication", 5, "3%", "0%", "20%", "20%", "40%", "40%", 18, 7],
        ["Miscellaneous", 0, "0%", "0%", "0%", "0%", "0%", "0%", 1, 0],
        ["Policies and Procedures", 0, "0%", "0%", "0%", "0%", "0%", "0%", 1, 3],
        ["Quality of Service", 26, "16%", "12%", "31%", "42%", "38%", "19%", 30, 27],
        ["Request for Service", 0, "0%", "0%", "0%", "0%", "0%", "0%", 1, 6],
        ["Safeguarding", 6, "4%", "0%", "0%", "0%", "17%", "83%", 2, 0],
        ["Staff Conduct", 87, "54%", "5%", "26%", "31%", "46%", "23%", 71, 41],
        ["Total", 161, "100%", "7%", "25%", "32%", "38%", "30%", 158, 111],
    ]


def test_compliments_by_service_match_the_reference(report):
    t = report.table("compliments_by_service")
    assert t["rows"] == [
        [CSC, 21, 56, 77, 75, 54],
        [EH, 0, 4, 4, 10, 5],
        [SEN, 0, 0, 0, 0, 13],
        [SCH, 0, 1, 1, 0, 0],
        [BUS, 0, 1, 1, 1, 1],
        ["Total", 21, 62, 83, 86, 73],
    ]


def test_mp_and_councillor_enquiries_match_the_reference_with_the_timescale_in_force_each_year(report):
    mp = report.table("mp_enquiries_by_service")
    assert mp["columns"][1:3] == ["Number of Enquiries 2018/19", "% Meeting 5 Day Timescale 2018/19"]
    assert mp["rows"] == [
        [CSC, 22, "45%", 23, "52%", 25, "56%"],
        [EH, 3, "33%", 0, "Nil", 1, "100%"],
        [SEN, 3, "67%", 5, "80%", 10, "70%"],
        [SCH, 8, "25%", 6, "50%", 0, "Nil"],
        [BUS, 1, "100%", 5, "80%", 0, "Nil"],
        ["Total", 37, "43%", 39, "59%", 36, "61%"],
    ]
    councillor = report.table("councillor_enquiries_by_service")
    assert councillor["columns"] == [
        "Councillor Enquiries",
        "Number of Enquiries 2018/19",
        "% Meeting 10 Day Timescale 2018/19",
        "Number of Enquiries 2017/18",
        "% Meeting 5 Day Timescale 2017/18",
        "Number of Enquiries 2016/17",
        "% Meeting 5 Day Timescale 2016/17",
    ]
    assert councillor["rows"] == [
        [CSC, 5, "60%", 4, "75%", 9, "100%"],
        [EH, 0, "Nil", 0, "Nil", 0, "Nil"],
        [SEN, 2, "100%", 2, "100%", 1, "100%"],
        [SCH, 2, "0%", 1, "0%", 0, "Nil"],
        [BUS, 1, "100%", 2, "100%", 0, "Nil"],
        ["Total", 10, "60%", 9, "78%", 10, "100%"],
    ]


def test_headlines_match_the_reference(report):
    rows = {r[0]: r[1:] for r in report.table("headlines")["rows"]}
    assert rows["Complaints received (stage 1, and escalations to stages 2 and 3)"] == [166, 158]
    assert rows["Stage 1 complaints received"] == [161, 158]
    assert rows["Escalations to stage 2"] == [5, 0]
    assert rows["Change in complaints received on the year before"] == ["+5%", "+42%"]
    assert rows["Service with the most stage 1 complaints"] == [CSC, ""]
    assert rows["Stage 1 complaints outstanding"] == [0, 0]
    assert rows["Statutory complaints, as a percentage of stage 1 complaints"] == ["96%", "100%"]
    assert rows["Complaints from children and young people"] == [2, 10]
    assert rows["Complaints referred to the Ombudsman"] == [3, 0]
    assert rows["MP and councillor enquiries"] == [47, 48]
    assert rows["Compliments received"] == [83, 86]


def test_the_ombudsman_figures_match_the_reference(report):
    assert report.table("ombudsman_activity")["rows"] == [
        ["Complaints referred to the Ombudsman", 3, 0, 0],
        ["Initial requests for information", 3, 0, 0],
        ["Further requests for information", 0, 0, 0],
        ["Draft decisions: comments requested", 2, 0, 0],
        ["Enquiries answered within the Ombudsman's timescale", 5, 0, 0],
        ["Percentage of enquiries answered on time", "100%", "Nil", "Nil"],
    ]
    decisions = {r[0]: r[1] for r in report.table("ombudsman_decisions")["rows"]}
    assert decisions["Closed after initial enquiries"] == 1
    assert decisions["Upheld: fault and injustice"] == 1
    assert decisions["Total"] == 2
