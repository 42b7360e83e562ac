import pkgutil
import subprocess
import sys
from pathlib import Path

import heard.procedure

REPO_ROOT = Path(heard.procedure.__file__).resolve().parents[2]


def test_the_procedure_core_imports_without_django() -> None:
    # engineering.md: the procedure is pure. Make `import django` fail, then import every module.
    modules = [
        m.name for m in pkgutil.walk_packages(heard.procedure.__path__, "heard.procedure.") if ".tests" not in m.name
    ]
    assert "heard.procedure.calendar" in modules
    script = (
        "import importlib, sys\n"
        "sys.modules['django'] = None\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "import heard.procedure\n"
        "heard.procedure.load_rulebook()\n"
        "assert sys.modules['django'] is None\n"
        "print('pure')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "pure"
