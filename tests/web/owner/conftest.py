"""Evidence for the owner's and verifier's page tests goes to a folder of each test's own."""

import pytest


@pytest.fixture(autouse=True)
def evidence_in_a_folder_of_its_own(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
