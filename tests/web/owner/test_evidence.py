"""Evidence: an owner (or a plan manager) uploads a file or adds a link; a file of the wrong type, too large or
without a name is refused and nothing is kept; a board member downloads the exact file, an outsider cannot."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actiontrack.core.journal import Actor
from actiontrack.plans.models import Evidence
from actiontrack.plans.services.evidence import evidence_add_file
from tests.web.owner.helpers import PDF, action, action_url, today, url

pytestmark = pytest.mark.django_db


# Evidence -----------------------------------------------------------------------------------------------

def upload(client, name, content, title=""):
    return client.post(url("evidence"), {"kind": "file", "file-file": SimpleUploadedFile(name, content),
                                         "file-title": title})


def test_the_upload_form_lists_the_allowed_types_and_the_size_limit(signed_in, owner, settings):
    settings.EVIDENCE_MAX_MB = 7
    page = signed_in(owner).get(url("evidence")).text
    assert 'enctype="multipart/form-data"' in page
    assert 'accept=".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg,.txt,.csv,.eml,.msg"' in page
    assert "up to 7 MB" in page


def test_an_owner_uploads_a_pdf_and_its_sha256_is_shown_on_the_action_page(signed_in, owner):
    client = signed_in(owner)
    response = upload(client, "people strategy.pdf", PDF, title="People strategy 2022")
    assert response.status_code == 302 and response.url == action_url()
    item = Evidence.objects.get()
    sha = hashlib.sha256(PDF).hexdigest()
    assert (item.title, item.original_name, item.sha256, item.content_type) == (
        "People strategy 2022", "people strategy.pdf", sha, "application/pdf")
    page = client.get(action_url()).text
    assert f"{sha[:32]}<wbr>{sha[32:]}" in page
    assert reverse("owner:evidence-download", args=[item.pk]) in page


def test_an_owner_adds_a_link(signed_in, owner):
    response = signed_in(owner).post(url("evidence"), {"kind": "link", "link-url": "https://intranet.example.org/qa",
                                                       "link-title": "QA policy"})
    assert response.status_code == 302
    assert Evidence.objects.get().url == "https://intranet.example.org/qa"


def test_a_link_that_is_not_a_web_address_is_refused(signed_in, owner):
    response = signed_in(owner).post(url("evidence"), {"kind": "link", "link-url": "javascript:alert(1)"})
    assert response.status_code == 400 and "is not a web address starting http:// or https://" in response.text
    assert not Evidence.objects.exists()


def test_a_renamed_executable_is_refused_and_nothing_is_kept(signed_in, owner, settings):
    response = upload(signed_in(owner), "report.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "is not a type that can be attached: evidence must be PDF, DOCX" in response.text
    assert not Evidence.objects.exists()
    folder = settings.MEDIA_ROOT / "evidence"
    assert not folder.exists() or not any(folder.iterdir())


def test_a_file_over_the_size_limit_is_refused(signed_in, owner, settings):
    settings.EVIDENCE_MAX_MB = 1
    client = signed_in(owner)
    assert "up to 1 MB" in client.get(url("evidence")).text
    response = upload(client, "notes.txt", b"a" * int(1.1 * 1024 * 1024))
    assert response.status_code == 400 and "the limit is 1.0 MB" in response.text
    assert not Evidence.objects.exists()


def test_uploading_without_choosing_a_file_says_so(signed_in, owner):
    response = signed_in(owner).post(url("evidence"), {"kind": "file", "file-title": "Nothing"})
    assert response.status_code == 400 and "Choose a file to upload." in response.text


def test_a_file_name_with_folders_in_it_is_stored_under_a_safe_name(signed_in, owner):
    client = signed_in(owner)
    upload(client, "../../evil.pdf", PDF)
    item = Evidence.objects.get()
    assert item.original_name == "evil.pdf" and "/" not in item.stored_name
    response = client.get(reverse("owner:evidence-download", args=[item.pk]))
    disposition = response.headers["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF
    assert disposition == 'attachment; filename="evil.pdf"' and "/" not in disposition and "\\" not in disposition


def test_a_board_member_downloads_the_exact_file_as_an_attachment(signed_in, owner, board_member):
    evidence_add_file(actor=Actor.of(owner), action=action("5.1"), upload=SimpleUploadedFile("strategy.pdf", PDF),
                      title="", today=today())
    response = signed_in(board_member).get(reverse("owner:evidence-download", args=[Evidence.objects.get().pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="strategy.pdf"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_an_outsider_cannot_download_evidence(signed_in, owner, outsider):
    evidence_add_file(actor=Actor.of(owner), action=action("5.1"), upload=SimpleUploadedFile("strategy.pdf", PDF),
                      title="", today=today())
    client = signed_in(outsider)
    assert client.get(reverse("owner:evidence-download", args=[Evidence.objects.get().pk])).status_code == 404
    assert client.get(reverse("owner:evidence-download", args=[999999])).status_code == 404


def test_a_plan_manager_may_add_evidence_too(signed_in, plan_manager):
    response = upload(signed_in(plan_manager), "minutes.pdf", PDF)
    assert response.status_code == 302 and Evidence.objects.get().added_by == plan_manager


@pytest.mark.parametrize("who", ["other_owner", "verifier", "board_member"])
def test_only_an_owner_or_plan_manager_may_add_evidence(request, signed_in, who):
    client = signed_in(request.getfixturevalue(who))
    assert client.get(url("evidence")).status_code == 403
    response = upload(client, "strategy.pdf", PDF)
    assert response.status_code == 403 and "Only an owner of action 5.1 or a plan manager can add evidence." in (
        response.text)
    assert not Evidence.objects.exists()


def test_a_file_restored_from_json_without_its_contents_says_so_instead_of_a_bare_not_found(signed_in, owner,
                                                                                           board_member):
    item = evidence_add_file(actor=Actor.of(owner), action=action("5.1"), title="Minutes",
                             upload=SimpleUploadedFile("minutes.pdf", PDF), today=today())
    Evidence.objects.filter(pk=item.pk).update(stored_name="")  # as a JSON restore lists it: name and SHA-256 only
    client = signed_in(board_member)
    listed = client.get(action_url()).text
    assert "File not held" in listed and "restored from a JSON export without the file" in listed
    response = client.get(reverse("owner:evidence-download", args=[item.pk]))
    assert response.status_code == 404
    page = response.text
    assert "This file is not held here" in page and "minutes.pdf" in page and item.sha256[:32] in page
    assert "attach it again" in page
