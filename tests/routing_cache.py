"""Werkzeug writes and compiles two URL builders (Python source, `compile()`) for every route of every
app; the suite builds thousands of apps with the same ~200 routes, and that compiling was most of
`create_app`. The builder is a pure function of the rule's text and parsed parts (its converters
are looked up on the rule at call time, through the `.self` argument), so the tests compile each
one once per process and hand the same function to every Rule with that text. Rules with defaults
(whose values are folded into the code) are compiled as usual."""
from werkzeug.routing.rules import Rule

_compile_builder = Rule._compile_builder
_builders: dict = {}


def _cached_compile_builder(self, append_unknown=True):
    if self.defaults:
        return _compile_builder(self, append_unknown)
    key = (self.rule, tuple(self._trace), append_unknown)
    builder = _builders.get(key)
    if builder is None:
        builder = _builders[key] = _compile_builder(self, append_unknown)
    return builder


def install() -> None:
    Rule._compile_builder = _cached_compile_builder
