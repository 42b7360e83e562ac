"""`make bench`: run every bench/bench_*.py in turn, each in its own process, and print its output.

Each benchmark measures its own baseline in the same run and prints figures, ratios and PASS/FAIL
against its target (timing targets never live in tests). Exit status: non-zero if any benchmark
failed to run or found a wrong result; a missed timing target is reported, not fatal, because it
depends on the machine.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    wanted = set(argv)
    scripts = [p for p in sorted(HERE.glob("bench_*.py")) if not wanted or p.stem in wanted or p.name in wanted]
    if not scripts:
        print(
            f"no benchmark matches {', '.join(sorted(wanted))}; the benchmarks are: "
            + ", ".join(p.stem for p in sorted(HERE.glob("bench_*.py")))
        )
        return 2
    failed = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        start = time.perf_counter()
        # Output streams straight through, so a long benchmark shows its progress as it goes.
        code = subprocess.run([sys.executable, str(script)], cwd=HERE.parent).returncode
        print(
            f"== {script.name}: {'ok' if code == 0 else f'exit {code}'} in {time.perf_counter() - start:.0f} s\n",
            flush=True,
        )
        if code != 0:
            failed.append(script.name)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
