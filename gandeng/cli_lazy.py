"""CLI commands listed by `flask --help` without importing their modules (issue 15: a light start).

The demo seeder, the importers and the matcher's commands import the services they drive; listing
them imported a fifth of the start-up. A `LazyCommand` stands in the listing with the first
sentence of the real command's docstring (read from its source, not imported) and hands over to
the real command as soon as it is used (its options, arguments and --help are the real ones).
"""
import ast
import importlib
from importlib.util import find_spec
from pathlib import Path

import click


def _docstring(module: str, function: str) -> str:
    """The docstring of `function` in `module`'s source, without importing the module."""
    spec = find_spec(module)
    tree = ast.parse(Path(spec.origin).read_text("utf-8"))
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == function:
            return ast.get_docstring(node) or ""
    return ""


class LazyCommand(click.Command):
    """Stands for the command `target` ("module:function") until it is used."""

    def __init__(self, name: str, target: str):
        super().__init__(name, add_help_option=False)
        self.target = target

    def real(self) -> click.Command:
        module, attribute = self.target.split(":")
        return getattr(importlib.import_module(module), attribute)

    def get_short_help_str(self, limit: int = 45) -> str:
        module, function = self.target.split(":")
        return click.utils.make_default_short_help(_docstring(module, function), limit)

    def make_context(self, info_name, args, parent=None, **extra):
        return self.real().make_context(info_name, args, parent=parent, **extra)
