"""References: readable (CS-2026-00042), unique, and still unique when many are made at once.

The concurrency tests need real concurrent transactions, so they run on PostgreSQL only
(`DATABASE_URL=postgres://... pytest -m postgres_only`); SQLite serialises writers anyway.
"""

import re
import threading
import time
from datetime import date

import pytest
from django.db import connection, connections, transaction

from heard.feedback import services as s
from heard.feedback.importer import import_feedback
from heard.feedback.models import Feedback, ReferenceCounter

THREADS = 8
EACH = 5
TODAY = date(2026, 3, 2)
REFERENCE = re.compile(r"CS-(\d{4})-(\d{5})")


@pytest.mark.django_db
class TestReadableReferences:
    def test_references_are_prefix_year_and_a_five_digit_number(self, people, social_care):
        fb = s.log_feedback(
            actor=people["alice"],
            kind="complaint",
            channel="email",
            received_on=TODAY,
            service=social_care,
            today=TODAY,
        )
        assert fb.reference == "CS-2026-00001"
        assert s.next_reference(year=2026) == "CS-2026-00002"

    def test_each_year_numbers_from_one(self):
        assert [s.next_reference(year=y) for y in (2025, 2025, 2026)] == [
            "CS-2025-00001",
            "CS-2025-00002",
            "CS-2026-00001",
        ]

    def test_the_prefix_is_the_councils_setting(self, settings):
        settings.HEARD_REFERENCE_PREFIX = "SBC"
        assert s.next_reference(year=2026) == "SBC-2026-00001"

    def test_an_imported_reference_is_never_issued_again(self):
        data = (
            b"reference,kind,received_on,service,compliment_source\n"
            b"CS-2026-00007,compliment,2026-01-05,Early Help,external\n"
        )
        import_feedback(data, filename="old.csv", today=TODAY)
        assert s.next_reference(year=2026) == "CS-2026-00008"


def _run_together(work, threads=THREADS):
    """Run work(i) in `threads` threads released together by a barrier, each on its own database
    connection and in its own transactions; return the results, re-raising any thread's error."""
    barrier = threading.Barrier(threads, timeout=30)
    results: list = [None] * threads
    errors: list[BaseException] = []

    def target(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except BaseException as e:  # reported in the main thread
            errors.append(e)
        finally:
            connections.close_all()  # this thread's connection, so the test database can be dropped

    pool = [threading.Thread(target=target, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in pool), "a thread did not finish: a deadlock?"
    if errors:
        raise errors[0]
    return results


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent transactions: run with DATABASE_URL=postgres://...")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
class TestUniqueUnderConcurrentCreation:
    def test_next_reference_in_eight_simultaneous_transactions_gives_unique_contiguous_numbers(self, postgres):
        def work(i):
            refs = []
            for _ in range(EACH):
                with transaction.atomic():
                    refs.append(s.next_reference(year=2026))
                    time.sleep(0.005)  # hold the counter's lock a moment, so the others queue behind it
            return refs

        refs = [r for batch in _run_together(work) for r in batch]
        numbers = sorted(int(REFERENCE.fullmatch(r).group(2)) for r in refs)
        assert len(set(refs)) == THREADS * EACH
        assert numbers == list(range(1, THREADS * EACH + 1))
        assert ReferenceCounter.objects.get(prefix="CS", year=2026).last_number == THREADS * EACH

    def test_the_first_reference_of_a_new_year_is_safe_when_the_counter_does_not_exist_yet(self, postgres):
        # Every thread finds no counter for 2031 and tries to create it at the same moment.
        refs = _run_together(lambda i: s.next_reference(year=2031))
        assert sorted(refs) == [f"CS-2031-{n:05d}" for n in range(1, THREADS + 1)]
        assert ReferenceCounter.objects.filter(year=2031).count() == 1

    def test_log_feedback_in_eight_simultaneous_transactions_gives_unique_contiguous_references(
        self, postgres, people, social_care
    ):
        def work(i):
            return [
                s.log_feedback(
                    actor=people["alice"],
                    kind="complaint",
                    channel="email",
                    received_on=TODAY,
                    service=social_care,
                    summary=f"thread {i} complaint {n}",
                    today=TODAY,
                ).reference
                for n in range(EACH)
            ]

        refs = [r for batch in _run_together(work) for r in batch]
        assert len(set(refs)) == THREADS * EACH == Feedback.objects.count()
        assert sorted(refs) == [f"CS-2026-{n:05d}" for n in range(1, THREADS * EACH + 1)]

    def test_the_same_idempotency_key_submitted_simultaneously_makes_one_record(self, postgres, people, social_care):
        def work(i):
            return s.log_feedback(
                actor=None,
                kind="complaint",
                channel="online",
                received_on=TODAY,
                service=social_care,
                idempotency_key="form-7f3a",
                today=TODAY,
            ).pk

        pks = _run_together(work)
        assert Feedback.objects.count() == 1
        assert set(pks) == {Feedback.objects.get().pk}
        # The losers' transactions rolled back, their counter increments with them: no gap.
        assert ReferenceCounter.objects.get(prefix="CS", year=2026).last_number == 1
