"""The shape of the code (house style, issue 16 point 13), checked with import-linter: the matcher is a
pure library, only the entry points build the app, and in each domain module the layers point down."""
import pkgutil
from pathlib import Path

import gandeng

EXTERNAL_WEB_AND_DATABASE = ("flask", "flask_babel", "flask_limiter", "flask_login", "flask_migrate",
                             "flask_smorest", "flask_sqlalchemy", "flask_wtf", "sqlalchemy", "werkzeug", "wtforms")
DOMAIN_MODULES = ("accounts", "audit", "collaborations", "needs", "notifications", "offers", "proposals", "nglarisi")
# RQ calls this job function outside `flask worker` too, and then it must build the app itself.
FACTORY_ENTRY_POINTS = ("gandeng.proposals.jobs -> gandeng.factory", "gandeng.nglarisi.jobs -> gandeng.factory")


def _top_level_modules() -> list[str]:
    return sorted(f"gandeng.{m.name}" for m in pkgutil.iter_modules(gandeng.__path__))


def _lines(items) -> str:
    return "".join(f"\n    {item}" for item in items)


def contracts() -> str:
    """The import-linter configuration (INI) of the project's contracts."""
    others = [m for m in _top_level_modules() if m not in ("gandeng.matching", "gandeng.factory")]
    return f"""
[importlinter]
root_package = gandeng
include_external_packages = True

[importlinter:contract:pure-matcher]
name = The matcher imports neither Flask nor SQLAlchemy nor any other part of the app
type = forbidden
source_modules = gandeng.matching
forbidden_modules = {_lines(EXTERNAL_WEB_AND_DATABASE + tuple(others) + ("gandeng.factory",))}

[importlinter:contract:factory]
name = Nothing inside the app imports the app factory (app.py and the tests do)
type = forbidden
source_modules = {_lines(m for m in _top_level_modules() if m != "gandeng.factory")}
forbidden_modules = gandeng.factory
ignore_imports = {_lines(FACTORY_ENTRY_POINTS)}

[importlinter:contract:layers]
name = In each domain module, views use services, services use models, never the other way
type = layers
containers = {_lines(f"gandeng.{name}" for name in DOMAIN_MODULES)}
layers =
    (views)
    (services)
    (models)
exhaustive = False
"""


def test_import_contracts_are_kept(tmp_path, monkeypatch, capsys):
    from importlinter.cli import lint_imports

    config = tmp_path / "importlinter.ini"
    config.write_text(contracts())
    monkeypatch.syspath_prepend(str(Path(gandeng.__file__).parents[1]))
    result = lint_imports(config_filename=str(config), no_cache=True)
    report = capsys.readouterr().out
    assert result == 0, report
    assert "3 kept, 0 broken" in report
