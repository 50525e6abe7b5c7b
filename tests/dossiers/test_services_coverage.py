"""Every public service of dossiers.services has a test of its own: a test in
tests/dossiers/test_services*.py calls it by name (`services.<name>(...)`), not
only through a view or as another test's set-up."""

import ast
import inspect
from pathlib import Path

from dossiers import services

HERE = Path(__file__).parent


def public_services() -> list[str]:
    """The public functions `dossiers.services` defines or re-exports from its
    own modules (not what it imports from elsewhere)."""
    return sorted(
        name
        for name, function in inspect.getmembers(services, inspect.isfunction)
        if not name.startswith("_")
        and function.__module__.startswith("dossiers.services")
    )


def called_services() -> set[str]:
    called = set()
    for path in HERE.glob("test_services*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "services"
            ):
                called.add(node.func.attr)
    return called


def test_every_public_service_has_a_test_that_calls_it():
    names = public_services()

    assert len(names) > 40, names
    assert [name for name in names if name not in called_services()] == []


def test_no_test_calls_a_private_function_of_the_services():
    private = sorted(name for name in called_services() if name.startswith("_"))

    assert private == []
