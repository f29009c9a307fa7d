"""The bad-input corpus counts in pytest's terminal summary. A plugin of the root conftest, not a
hook of tests/reliability/conftest.py: pytest-xdist's controller, which writes the summary, does
not collect the tests and so never loads that conftest."""
from __future__ import annotations

from collections import defaultdict

from tests.helpers.report import recorded


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    data: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for surface, kind, outcome in recorded(terminalreporter, "bad_input"):
        data[surface][kind][outcome] += 1
    if not data:
        return
    terminalreporter.write_sep("-", "bad-input corpus")
    for surface, kinds in data.items():
        for kind, outcomes in kinds.items():
            total = sum(outcomes.values())
            detail = ", ".join(f"{v} {k}" for k, v in sorted(outcomes.items()))
            terminalreporter.write_line(f"{surface:7} {kind:7} {total:4} tried: {detail}")
