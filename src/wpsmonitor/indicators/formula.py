"""A tiny, safe evaluator for formula indicators: "{CODE}" references, numbers, + - * / and ().

No eval(): the text is parsed with `ast` and only number literals, the four operators, unary
minus/plus and references are accepted. References are written "{IND-CODE}" and are replaced by
placeholder names before parsing, so indicator codes may hold characters Python names cannot.

Evaluation never raises for missing data: an unknown code, a missing value or a division by
zero gives None ("no value"). Syntax errors and cycles are refused when a formula is checked
(`formula_check`, `formula_cycles`), so a rebuild never meets them as exceptions.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

_REFERENCE = re.compile(r"\{([^{}]+)\}")
_MAX_LENGTH = 500
_MAX_NODES = 200


class FormulaError(ValueError):
    """A formula that cannot be parsed or uses something other than numbers, references, + - * /."""


@dataclass(frozen=True)
class Formula:
    text: str
    tree: ast.expr | None  # None for an empty formula
    names: dict[str, str]  # placeholder name -> indicator code

    @property
    def codes(self) -> set[str]:
        return set(self.names.values())

    def evaluate(self, values: Mapping[str, float | None]) -> float | None:
        """The formula's value given indicator code -> value, or None when it has none."""
        if self.tree is None:
            return None
        return _eval(self.tree, self.names, values)


def formula_references(text: str) -> set[str]:
    """The indicator codes a formula refers to."""
    return {match.strip() for match in _REFERENCE.findall(text or "")}


def formula_parse(text: str) -> Formula:
    """Parse and check a formula; raise FormulaError with a readable message if it is not one."""
    text = (text or "").strip()
    if not text:
        return Formula(text="", tree=None, names={})
    if len(text) > _MAX_LENGTH:
        raise FormulaError(_("The formula is longer than %(n)d characters.") % {"n": _MAX_LENGTH})
    names: dict[str, str] = {}
    by_code: dict[str, str] = {}

    def placeholder(match: re.Match[str]) -> str:
        code = match.group(1).strip()
        if not code:
            raise FormulaError(_("An empty reference {} is not allowed."))
        if code not in by_code:
            by_code[code] = f"_r{len(by_code)}"
            names[by_code[code]] = code
        return f" {by_code[code]} "

    source = _REFERENCE.sub(placeholder, text).strip()
    if "{" in source or "}" in source:
        raise FormulaError(_("Unbalanced braces: write references as {CODE}."))
    try:
        module = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise FormulaError(_("The formula is not valid: %(error)s") % {"error": exc.msg}) from exc
    if sum(1 for _node in ast.walk(module)) > _MAX_NODES:
        raise FormulaError(_("The formula is too long."))
    _check(module.body, names)
    return Formula(text=text, tree=module.body, names=names)


def formula_check(text: str) -> None:
    """Raise FormulaError when the text is not a valid formula."""
    formula_parse(text)


def _check(node: ast.AST, names: dict[str, str]) -> None:
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
        _check(node.left, names)
        _check(node.right, names)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        _check(node.operand, names)
    elif (isinstance(node, ast.Constant) and type(node.value) in (int, float)) or (
        isinstance(node, ast.Name) and node.id in names
    ):
        return
    else:
        raise FormulaError(
            _("Only numbers, {CODE} references, + - * / and parentheses are allowed.")
        )


def _eval(node: ast.AST, names: dict[str, str], values: Mapping[str, float | None]) -> float | None:
    if isinstance(node, ast.Constant):
        if not isinstance(node.value, int | float):  # formula_parse admits only numbers
            raise FormulaError(
                _("Only numbers, {CODE} references, + - * / and parentheses are allowed.")
            )
        return float(node.value)
    if isinstance(node, ast.Name):
        value = values.get(names[node.id])
        return None if value is None else float(value)
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, names, values)
        if operand is None:
            return None
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        left = _eval(node.left, names, values)
        right = _eval(node.right, names, values)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if right == 0:
            return None
        return left / right
    return None  # unreachable for checked formulas


def formula_cycles(dependencies: Mapping[str, Iterable[str]]) -> set[str]:
    """The codes that take part in (or depend on) a reference cycle.

    `dependencies` maps each formula indicator's code to the codes it refers to.
    """
    state: dict[str, int] = {}  # 1 visiting, 2 done and fine, 3 done and cyclic
    bad: set[str] = set()

    def visit(code: str) -> bool:
        if state.get(code) == 1:
            return True
        if code in state:
            return state[code] == 3
        state[code] = 1
        cyclic = False
        for ref in dependencies.get(code, ()):
            if ref in dependencies and visit(ref):
                cyclic = True
        state[code] = 3 if cyclic else 2
        if cyclic:
            bad.add(code)
        return cyclic

    for code in dependencies:
        visit(code)
    return bad


def formula_order(dependencies: Mapping[str, Iterable[str]]) -> list[str]:
    """Formula codes in an order where each comes after the formulas it refers to; cycles left out."""
    cyclic = formula_cycles(dependencies)
    order: list[str] = []
    seen: set[str] = set()

    def visit(code: str) -> None:
        if code in seen or code in cyclic:
            return
        seen.add(code)
        for ref in dependencies.get(code, ()):
            if ref in dependencies:
                visit(ref)
        order.append(code)

    for code in dependencies:
        visit(code)
    return order
