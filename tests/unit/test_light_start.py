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


def test_the_worker_and_match_run_preload_the_whole_matcher_before_their_first_run():
    # `import gandeng.matching` alone is light (lazy __init__): the pre-load must ask for the engine.
    assert _modules_after("from gandeng import matching") == set()
    loaded = _modules_after("from gandeng import matching\nmatching.preload()")
    assert {"gandeng.matching.engine", "gandeng.matching.text", "sklearn", "ortools", "scipy"} <= loaded
    assert "networkx" not in loaded  # only small graphs use it (0.2 s to load)


# --- issue 15: `flask --app app --help` ≤ 1 s: the pages (blueprints, the API) load when needed ---

PAGES_MODULES = ("flask_smorest", "marshmallow", "apispec", "redis", "gandeng.needs.views", "gandeng.api.views.needs",
                 "gandeng.demo", "gandeng.imports.cli", "gandeng.proposals.cli")


def _loaded(code: str, modules=PAGES_MODULES) -> set[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(m for m in {modules!r} if m in sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=True, env={k: v for k, v in __import__("os").environ.items() if k != "REDIS_URL"})
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_importing_the_app_leaves_the_pages_and_the_api_for_later():
    assert _loaded("import app") == set()


def test_flask_help_lists_every_command_without_loading_the_pages():
    code = ("import sys\nfrom flask.cli import main\nsys.argv = ['flask', '--app', 'app', '--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass")
    assert _loaded(code) == set()
    listed = subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "app", "--help"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, check=True).stdout
    for command in ("init-db", "import", "match", "worker", "openapi", "db", "routes", "seed-demo"):
        assert f"\n  {command} " in listed, command
    assert "  import       Import needs, offers, kampung or sister partners from a..." in listed  # the real help


def test_a_command_listed_lazily_runs_as_itself(tmp_path):
    from gandeng.factory import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}", "SECRET_KEY": "x"},
                     lazy_pages=True)
    result = app.test_cli_runner().invoke(args=["import", "needs", str(tmp_path / "missing.csv")])
    assert result.exit_code == 1 and "import needs: no such file" in result.output
    assert "Commands:" in app.test_cli_runner().invoke(args=["match", "--help"]).output


def test_a_lazy_app_registers_its_pages_for_a_request_a_url_or_a_template(tmp_path):
    from flask import render_template_string, url_for

    from gandeng.factory import create_app

    config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}", "SECRET_KEY": "x", "TESTING": True,
              "SERVER_NAME": "gandeng.test"}
    for first_use in ("request", "url", "template"):
        app = create_app(config, lazy_pages=True)
        assert "needs.index" not in app.view_functions
        with app.app_context():
            if first_use == "request":
                assert app.test_client().get("/healthz").status_code in (200, 503)
            elif first_use == "url":
                assert url_for("needs.index") == "http://gandeng.test/needs"
            else:
                assert render_template_string("{{ 1500000|rupiah }}") == "Rp1.500.000"
        assert "needs.index" in app.view_functions
        assert any(rule.rule.startswith("/api/v1/") for rule in app.url_map.iter_rules())
