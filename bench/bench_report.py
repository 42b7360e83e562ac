"""Benchmark: the annual report's figures over many feedback records, against hand-written SQL computing
the same figures, measured in the same run on the same database.

    .venv/bin/python bench/bench_report.py                 # PostgreSQL 1,000,000 and SQLite 100,000
    .venv/bin/python bench/bench_report.py --db postgres --records 1000000
    .venv/bin/python bench/bench_report.py --db sqlite --records 100000

PostgreSQL uses its own database, heard_bench_report (created if missing, on PG_URL's server, default
postgres://postgres@127.0.0.1:5432); SQLite a file in /tmp. Records are made once (COPY on PostgreSQL,
executemany on SQLite) and reused while the count matches. Each side is timed best of 3:

- Heard: heard.reports.report.build_report(2018/19): every query, and the tables assembled in Python;
- SQL: the same grouped figures as hand-written GROUP BY queries with COUNT(*) FILTER (…), no assembly.

Targets: Heard under 5 s on PostgreSQL with 1M records, and within 2x of the SQL.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_DB = "heard_bench_report"
SQLITE = Path("/tmp/heard_bench_report.sqlite3")
START = date(2016, 4, 1)
DAYS = 1096  # three financial years, 2016/17 to 2018/19
SERVICES = [
    "Children's Social Care",
    "Early Help",
    "SEN, Education and Psychology",
    "Schools Standards, Safeguarding and Inclusion",
    "Business Support and Resources",
    "Children's Commissioning",
]
THEMES = [
    "Assessments Undertaken",
    "Confidentiality",
    "Council Action",
    "Financial and Funding",
    "Lack of Action",
    "Lack of Communication",
    "Miscellaneous",
    "Policies and Procedures",
    "Quality of Service",
    "Request for Service",
    "Safeguarding",
    "Staff Conduct",
]
OUTCOMES = ["upheld", "partially_upheld", "not_upheld", "not_upheld", "withdrawn", "partially_upheld", "not_upheld"]


def setup_django(db: str) -> None:
    if db == "postgres":
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_DB]).fetchone():
                conn.execute(f"CREATE DATABASE {PG_DB}")
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{PG_DB}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE}"
    os.environ.setdefault("DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "heard.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _defaults(model) -> tuple[list[str], dict[str, object]]:
    from django.db import models

    now = datetime(2019, 4, 1, tzinfo=UTC)
    columns, values = [], {}
    for f in model._meta.concrete_fields:
        columns.append(f.column)
        if f.null:
            values[f.column] = None
        elif f.has_default():
            values[f.column] = f.get_default()
        elif isinstance(f, models.DateTimeField):
            values[f.column] = now
        elif isinstance(f, models.BooleanField):
            values[f.column] = False
        else:
            values[f.column] = ""
    return columns, values


def rows(n: int, service_ids: list[int], theme_ids: list[int]):
    """Feedback, stage and deadline rows, deterministic. About 55% complaints, 25% compliments, 5% comments,
    10% MP and 5% councillor enquiries; a few complaints declined, open or escalated."""
    feedback, stages, deadlines = [], [], []
    stage_id = deadline_id = 0
    for i in range(1, n + 1):
        received = START + timedelta(days=(i * 7919) % DAYS)
        m = i % 20
        kind = (
            "complaint"
            if m < 11
            else "compliment"
            if m < 16
            else "comment"
            if m < 17
            else "mp_enquiry"
            if m < 19
            else "councillor_enquiry"
        )
        service = service_ids[(i * 31) % len(service_ids)]
        row = {
            "id": i,
            "reference": f"B-{i:08d}",
            "kind": kind,
            "procedure": kind if kind != "complaint" else ("statutory" if i % 25 else "corporate"),
            "channel": "email",
            "received_on": received,
            "service_id": service,
        }
        if kind == "complaint":
            outcome = OUTCOMES[(i * 13) % len(OUTCOMES)] if i % 97 else ""
            row.update(
                status="declined" if i % 211 == 0 else ("closed" if outcome else "open"),
                stage=1,
                theme_id=theme_ids[(i * 17) % len(theme_ids)],
                complainant_role="child_or_young_person" if i % 53 == 0 else "parent_or_carer",
            )
            responded = received + timedelta(days=8 + (i % 11)) if outcome else None
            stage_id += 1
            stages.append(
                {
                    "id": stage_id,
                    "feedback_id": i,
                    "number": 1,
                    "requested_on": received,
                    "outcome": outcome,
                    "responded_on": responded,
                }
            )
            if outcome and i % 33 == 0:
                stage_id += 1
                stages.append(
                    {
                        "id": stage_id,
                        "feedback_id": i,
                        "number": 2,
                        "requested_on": responded + timedelta(days=10),
                        "outcome": "",
                        "responded_on": None,
                    }
                )
            deadline_id += 1
            due = received + timedelta(days=14)
            deadlines.append(
                {
                    "id": deadline_id,
                    "feedback_id": i,
                    "procedure": row["procedure"],
                    "step": "stage1_response",
                    "stage": 1,
                    "starts_on": received,
                    "working_days": 10,
                    "rule_working_days": 10,
                    "due_on": due,
                    "original_due_on": due,
                    "met_on": responded,
                    "cancelled": outcome == "withdrawn",
                    "citation": "bench",
                }
            )
        else:
            responded = received + timedelta(days=3 + (i % 9))
            row.update(
                status="closed",
                responded_on=responded,
                compliment_source=("internal" if i % 3 == 0 else "external") if kind == "compliment" else "",
                enquiry_category="information" if "enquiry" in kind else "",
            )
            if "enquiry" in kind:
                deadline_id += 1
                due = received + timedelta(days=7)
                deadlines.append(
                    {
                        "id": deadline_id,
                        "feedback_id": i,
                        "procedure": kind,
                        "step": "enquiry_response",
                        "starts_on": received,
                        "working_days": 5,
                        "rule_working_days": 5,
                        "due_on": due,
                        "original_due_on": due,
                        "met_on": responded,
                        "citation": "bench",
                    }
                )
        feedback.append(row)
    return feedback, stages, deadlines


def build(db: str, n: int) -> None:
    from django.db import connection, transaction

    from heard.feedback.models import Deadline, Feedback, Stage
    from heard.organisation.models import Service, Theme

    if Feedback.objects.count() == n:
        print(f"  reusing {n:,} feedback records")
        return
    t0 = time.perf_counter()
    tables = ["feedback_deadline", "feedback_stage", "feedback_feedback", "organisation_theme", "organisation_service"]
    with connection.cursor() as cur:
        for t in (
            "reports_reportnarrative",
            "feedback_event",
            "feedback_ombudsmanenquiry",
            "feedback_ombudsmanrecommendation",
            "feedback_ombudsmancase",
            "feedback_lessonlearnt",
            *tables,
        ):
            cur.execute(f"DELETE FROM {t}")
    services = [Service.objects.create(name=s, active=s != "Children's Commissioning").id for s in SERVICES]
    themes = [Theme.objects.create(name=t, active=t not in ("Miscellaneous", "Request for Service")).id for t in THEMES]
    feedback, stages, deadlines = rows(n, services, themes)
    with transaction.atomic():  # one transaction: SQLite would otherwise sync to disk after every row
        _insert(db, ((Feedback, feedback), (Stage, stages), (Deadline, deadlines)))
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(
        f"  built {len(feedback):,} feedback, {len(stages):,} stages, {len(deadlines):,} deadlines "
        f"in {time.perf_counter() - t0:.1f} s"
    )


def _insert(db, batches) -> None:
    from django.db import connection

    for model, data in batches:
        columns, defaults = _defaults(model)
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)  # "window" is reserved in PostgreSQL
        tuples = [tuple(r.get(c, defaults[c]) for c in columns) for r in data]
        if db == "postgres":
            raw = connection.connection
            with raw.cursor() as cur, cur.copy(f"COPY {model._meta.db_table} ({quoted}) FROM STDIN") as cp:
                for t in tuples:
                    cp.write_row(t)
        else:
            with connection.cursor() as cur:
                marks = ", ".join(["%s"] * len(columns))
                cur.executemany(f"INSERT INTO {model._meta.db_table} ({quoted}) VALUES ({marks})", tuples)


def _bucket(column: str) -> str:
    return (
        f"CASE WHEN {column} BETWEEN '2018-04-01' AND '2019-03-31' THEN 0 WHEN {column} BETWEEN '2017-04-01' AND "
        f"'2018-03-31' THEN 1 WHEN {column} BETWEEN '2016-04-01' AND '2017-03-31' THEN 2 ELSE -1 END"
    )


HAND_SQL = [
    f"""SELECT {_bucket("f.received_on")} AS period, f.service_id, f.theme_id,
        COUNT(*) FILTER (WHERE f.status <> 'declined'),
        COUNT(*) FILTER (WHERE f.status = 'declined'),
        COUNT(*) FILTER (WHERE s.outcome = 'upheld'),
        COUNT(*) FILTER (WHERE s.outcome = 'partially_upheld'),
        COUNT(*) FILTER (WHERE s.outcome = 'not_upheld'),
        COUNT(*) FILTER (WHERE s.outcome = 'withdrawn'),
        COUNT(*) FILTER (WHERE s.outcome IN ('upheld', 'partially_upheld', 'not_upheld')
                          AND s.responded_on <= d.due_on),
        COUNT(*) FILTER (WHERE f.status <> 'declined' AND f.complainant_role = 'child_or_young_person'),
        COUNT(*) FILTER (WHERE f.status <> 'declined' AND f.procedure = 'statutory'),
        COUNT(*) FILTER (WHERE f.status IN ('received', 'open', 'suspended'))
      FROM feedback_feedback f
      LEFT JOIN feedback_stage s ON s.feedback_id = f.id AND s.number = 1
      LEFT JOIN feedback_deadline d ON d.feedback_id = f.id AND d.step = 'stage1_response' AND NOT d.cancelled
      WHERE f.kind = 'complaint' AND f.received_on BETWEEN '2016-04-01' AND '2019-03-31'
      GROUP BY 1, 2, 3""",
    f"""SELECT {_bucket("s.requested_on")}, s.number, f.procedure, s.outcome, COUNT(*)
      FROM feedback_stage s JOIN feedback_feedback f ON f.id = s.feedback_id
      WHERE s.number IN (2, 3) AND f.kind = 'complaint' AND s.requested_on BETWEEN '2016-04-01' AND '2019-03-31'
      GROUP BY 1, 2, 3, 4""",
    f"""SELECT {_bucket("f.received_on")}, f.kind, f.service_id, f.compliment_source, f.enquiry_category, COUNT(*),
        COUNT(*) FILTER (WHERE f.responded_on <= d.original_due_on)
      FROM feedback_feedback f
      LEFT JOIN feedback_deadline d ON d.feedback_id = f.id AND d.step = 'enquiry_response'
      WHERE f.kind IN ('compliment', 'comment', 'mp_enquiry', 'councillor_enquiry')
        AND f.received_on BETWEEN '2016-04-01' AND '2019-03-31'
      GROUP BY 1, 2, 3, 4, 5""",
    f"SELECT {_bucket('referred_on')}, COUNT(*) FROM feedback_ombudsmancase "
    "WHERE referred_on BETWEEN '2016-04-01' AND '2019-03-31' GROUP BY 1",
    f"SELECT {_bucket('received_on')}, kind, COUNT(*), COUNT(*) FILTER (WHERE answered_on <= due_on) "
    "FROM feedback_ombudsmanenquiry WHERE received_on BETWEEN '2016-04-01' AND '2019-03-31' GROUP BY 1, 2",
    f"SELECT {_bucket('decided_on')}, decision, COUNT(*) FROM feedback_ombudsmancase "
    "WHERE decided_on BETWEEN '2016-04-01' AND '2019-03-31' AND decision <> '' GROUP BY 1, 2",
    f"SELECT {_bucket('due_on')}, COUNT(*), COUNT(*) FILTER (WHERE complied_on <= due_on) "
    "FROM feedback_ombudsmanrecommendation WHERE due_on BETWEEN '2016-04-01' AND '2019-03-31' GROUP BY 1",
]


def best_of(fn, times: int = 3) -> float:
    best = float("inf")
    for _ in range(times):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def measure(db: str, n: int) -> bool:
    setup_django(db)
    from django.db import connection

    from heard.reports.periods import Period
    from heard.reports.report import build_report

    print(f"{db}: {n:,} feedback records")
    build(db, n)

    def hand() -> None:
        with connection.cursor() as cur:
            for sql in HAND_SQL:
                cur.execute(sql)
                cur.fetchall()

    report = build_report(Period.financial_year(2018))  # warm: rule book and calendar caches
    heard = best_of(lambda: build_report(Period.financial_year(2018)))
    sql = best_of(hand)
    ratio = heard / sql
    total = report.table("complaints_by_service")["rows"][-1]
    ok = heard < 5.0 and ratio <= 2.0
    print(
        f"  2018/19 check: {total[1]:,} stage 1 complaints received, {total[3]:,} fully considered, "
        f"{total[7]} upheld in some element"
    )
    print(f"  Heard annual report figures (best of 3): {heard:.3f} s")
    print(f"  hand-written SQL, same figures (best of 3): {sql:.3f} s")
    print(f"  ratio Heard / SQL: {ratio:.2f}x   target < 5 s and <= 2x: {'PASS' if ok else 'FAIL'}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["postgres", "sqlite"])
    parser.add_argument("--records", type=int)
    args = parser.parse_args()
    if args.db:
        sys.exit(0 if measure(args.db, args.records or (1_000_000 if args.db == "postgres" else 100_000)) else 1)
    # Both, each in its own process (Django's settings are per process).
    codes = [
        subprocess.call([sys.executable, __file__, "--db", db, "--records", str(n)])
        for db, n in (("postgres", 1_000_000), ("sqlite", 100_000))
    ]
    sys.exit(max(codes))


if __name__ == "__main__":
    main()
