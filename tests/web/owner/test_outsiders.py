"""An outsider gets a 404 from every owner and verifier page: they must not learn that the plan exists."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actiontrack.core.journal import Actor
from actiontrack.core.models import JournalEvent
from actiontrack.plans.models import Evidence
from actiontrack.plans.services.evidence import evidence_add_file
from tests.web.owner.helpers import PDF, action, today, url

pytestmark = pytest.mark.django_db


# Outsiders ----------------------------------------------------------------------------------------------

ACTION_PAGES = ["update", "propose-date", "withdraw-proposal", "evidence", "start", "complete", "verify", "return"]


def test_an_outsider_gets_a_404_from_every_owner_page(signed_in, owner, outsider):
    evidence_add_file(actor=Actor.of(owner), action=action("5.1"), upload=SimpleUploadedFile("strategy.pdf", PDF),
                      title="", today=today())
    journal_before = JournalEvent.objects.count()
    client = signed_in(outsider)
    for name in ACTION_PAGES:
        for ref in ("5.1", "9.9"):
            assert client.get(url(name, ref)).status_code == 404, name
            assert client.post(url(name, ref), {"text": "x", "due_on": "31/03/2022", "reason": "x"}).status_code == 404
    assert client.get(reverse("owner:evidence-download", args=[Evidence.objects.get().pk])).status_code == 404
    assert JournalEvent.objects.count() == journal_before


def test_a_page_for_an_action_that_does_not_exist_is_a_404(signed_in, owner):
    assert signed_in(owner).get(url("update", "9.9")).status_code == 404
