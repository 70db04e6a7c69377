"""How the website's templates print a value: one call per ``{{ value }}``.

Jinja prints each value of an autoescaped template as ``escape(finalize(value))``: two
Python calls, a control-character search and a new ``Markup`` object for each of the
about 870,000 values of a 10,000-item site (a third of its templates' time). The site's
templates are compiled to call :func:`html` instead, which gives the same text: a string
without a control character or an HTML special character is printed as it is (most
values: addresses, ids, dates, labels), any other string is made safe and escaped as
before, and anything else (``Markup``, numbers, undefined names) goes through
``escape`` as before. The hook is Jinja's own for code generators
(``CodeGenerator._output_child_pre``/``_post``, as ``jinja2.nativetypes`` uses it).
"""

from __future__ import annotations

import re
from typing import Any

import jinja2
from jinja2.compiler import CodeGenerator, Frame
from markupsafe import escape

from planctl.core.text import CONTROL_CHARACTERS, safe_text

# What printing may change in a string: a control character safe_text shows, or a
# character HTML escaping replaces.
_CHANGED = re.compile(CONTROL_CHARACTERS[:-1] + "&<>'\"]")


def finalize(value: object) -> object:
    """A value as printed where autoescaping is off (and at compile time): control
    characters made visible; nothing but text changes."""
    if value is None:
        return ""
    if type(value) is str:
        return safe_text(value)
    return value


def html(value: object) -> str:
    """``escape(finalize(value))`` in one call, and none for a string that needs nothing."""
    if type(value) is str:
        return value if _CHANGED.search(value) is None else escape(safe_text(value))
    if value is None:
        return ""
    return escape(value)


class _Printer(CodeGenerator):
    """Compiles ``{{ value }}`` in an autoescaped template to ``environment.html(value)``."""

    def _output_child_pre(self, node: jinja2.nodes.Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
        else:
            self.write("environment.html(")

    def _output_child_post(self, node: jinja2.nodes.Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_post(node, frame, finalize)
        else:
            self.write(")")


class Environment(jinja2.Environment):
    """A Jinja environment whose autoescaped templates print through :func:`html`."""

    code_generator_class = _Printer
    html = staticmethod(html)
