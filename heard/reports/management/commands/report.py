"""heard report annual --year 2018 [--format html|pdf|xlsx|csv|json] [--output PATH] [--suppress-below N]
heard report annual --from 2018-04-01 --to 2018-06-30 …   (any period: a quarter, any dates)

Without --output, text formats (html, json) go to standard output; pdf, xlsx and csv need --output.
CSV: one file per table. --output DIR (an existing directory) writes DIR/<table id>.csv; any other path
is written as a zip archive holding the same files.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from heard.reports import render as output
from heard.reports.periods import Period
from heard.reports.report import build_report


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: use YYYY-MM-DD, for example 2018-04-01.") from None


class Command(BaseCommand):
    help = "Produce the statutory annual report (or the same figures for any period) from the records."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["annual"], help="annual: the annual complaints report")
        parser.add_argument(
            "--year", type=int, help="The financial year's first year: 2018 is April 2018 to March 2019."
        )
        parser.add_argument(
            "--quarter", type=int, choices=[1, 2, 3, 4], help="One quarter of --year (1 is April to June)."
        )
        parser.add_argument("--from", dest="start", help="Start date (YYYY-MM-DD), with --to: any period.")
        parser.add_argument("--to", dest="end", help="End date (YYYY-MM-DD), inclusive.")
        parser.add_argument("--format", default="html", choices=output.FORMATS)
        parser.add_argument("--output", help="File (or, for csv, a directory) to write. Default: standard output.")
        parser.add_argument(
            "--suppress-below", type=int, default=None, help="For publication: show counts from 1 to N-1 as <N."
        )

    def handle(self, *args, **opts):
        period = self._period(opts)
        suppress = opts["suppress_below"]
        if suppress is not None and suppress < 2:
            raise CommandError("--suppress-below must be 2 or more.")
        report = build_report(period, suppress_below=suppress)
        fmt, target = opts["format"], opts["output"]
        if fmt == "csv" and target and Path(target).is_dir():
            for name, data in output.csv_files(report).items():
                (Path(target) / name).write_bytes(data)
            self.stderr.write(f"Wrote {len(report.tables)} CSV files to {target}")
            return
        data = output.render(report, fmt)
        if target:
            Path(target).write_bytes(data)
            self.stderr.write(f"Wrote {period.label} report ({fmt}) to {target}")
        elif fmt in ("html", "json"):
            sys.stdout.write(data.decode("utf-8"))
        else:
            raise CommandError(f"--format {fmt} is a file: give --output PATH.")

    def _period(self, opts) -> Period:
        start, end, year = opts["start"], opts["end"], opts["year"]
        if start or end:
            if not (start and end):
                raise CommandError("Give both --from and --to.")
            if year is not None:
                raise CommandError("Give either --year or --from/--to, not both.")
            start_date, end_date = _date(start), _date(end)
            if end_date < start_date:
                raise CommandError("--to must be the same as or after --from.")
            return Period.between(start_date, end_date)
        if year is None:
            raise CommandError("Give --year (2018 is April 2018 to March 2019) or --from and --to.")
        if not 2000 <= year <= 2100:
            raise CommandError("--year must be between 2000 and 2100.")
        if opts["quarter"]:
            return Period.quarter(year, opts["quarter"])
        return Period.financial_year(year)
