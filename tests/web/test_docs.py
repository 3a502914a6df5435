"""The documentation is kept honest by tests: it cannot drift from the settings."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_environment_variable_the_settings_read_is_documented():
    settings = (ROOT / "actiontrack" / "settings.py").read_text()
    read = set(re.findall(r'(?:environ\.get|env_[a-z]+)\("([A-Z_]+)"', settings))
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", (ROOT / "docs" / "configuration.md").read_text(), re.M))
    assert read, "the pattern found no variables: has settings.py changed how it reads them?"
    assert read - documented == set(), "undocumented in docs/configuration.md"
    assert documented - read == set(), "documented but no longer read by settings.py"


def test_the_readme_quick_start_has_exactly_two_commands():
    readme = (ROOT / "README.md").read_text()
    quick_start = re.search(r"^## Quick start\n(.*?)(?=^## )", readme, re.M | re.S).group(1)
    assert re.findall(r"```\n(.*?)```", quick_start, re.S) == [
        "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/actiontrack demo\n", "./scripts/test\n"]
    assert "./scripts/test" in (ROOT / ".ci" / "run").read_text()
