"""Starting the app (every CLI command, every web and worker process) does not load the matcher's
numerical stack nor the libraries of a single report: they load when they are used."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The matcher's package itself may load (its dataclasses and reason codes are light, its __init__ is
# lazy); its engine, text model and flow solver may not.
HEAVY = ("sklearn", "scipy", "ortools", "numpy", "pandas", "networkx", "fpdf", "PIL", "gandeng.matching.engine",
         "gandeng.matching.text", "gandeng.matching.flow")


def _modules_after(code: str) -> set[str]:
    """The heavy modules present in sys.modules after running `code` in a fresh interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=True)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_importing_the_app_loads_no_numerical_library():
    assert _modules_after("import app") == set()


def test_a_matching_run_loads_the_matcher_when_it_needs_it():
    # The lazy import really happens on the run path (proof the probe sees modules when they load).
    loaded = _modules_after("import app\nfrom gandeng import matching\nmatching.run_matching")
    assert {"gandeng.matching.engine", "sklearn"} <= loaded
