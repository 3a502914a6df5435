"""docs/deploy.md cannot drift from the settings: every environment variable docs/configuration.md lists (and
tests/web/test_docs.py keeps that list equal to what settings.py reads) is named in the deployment guide, and
the guide points to the full list."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def configuration_variables() -> set[str]:
    text = (ROOT / "docs" / "configuration.md").read_text()
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", text, re.M))


def test_every_variable_in_the_configuration_table_is_named_in_the_deployment_guide():
    variables = configuration_variables()
    assert len(variables) >= 10, "the pattern found too few variables: has docs/configuration.md's table changed?"
    deploy = (ROOT / "docs" / "deploy.md").read_text()
    named = set(re.findall(r"`([A-Z][A-Z0-9_]*)`", deploy))
    assert variables - named == set(), "listed in docs/configuration.md but not named in docs/deploy.md"


def test_the_deployment_guide_says_every_variable_is_in_the_configuration_page_and_links_it():
    deploy = (ROOT / "docs" / "deploy.md").read_text()
    assert "Every variable is listed in [docs/configuration.md](configuration.md)" in deploy


def test_the_deployment_guide_covers_serving_health_logs_jobs_upgrades_and_backups():
    deploy = (ROOT / "docs" / "deploy.md").read_text()
    for needed in ("actiontrack serve", "/healthz", "LOG_FORMAT=json", "actiontrack remind", "actiontrack migrate",
                   "actiontrack backup", "actiontrack restore", "X-Forwarded-Proto", "TRUST_X_FORWARDED_PROTO=true",
                   "[Timer]", "proxy_pass", "shared"):
        assert needed in deploy, needed
