# The Blackpool 2018/19 records (test_blackpool.py) for the other report tests.
from heard.reports.tests.test_blackpool import blackpool  # noqa: F401
