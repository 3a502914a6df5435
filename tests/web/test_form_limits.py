"""Every free-text field says in the page how long it may be (the browser's maxlength), and refuses longer text
with the same words as the services, from one list of limits (domain.text.Limit)."""

from datetime import date

import pytest

from actiontrack.domain.text import Limit
from actiontrack.interchange.forms import UploadForm
from actiontrack.pages.forms import LimitedText
from actiontrack.reports.forms import ReportCreateForm, ReportEditForm
from actiontrack.web.administration import forms as admin
from actiontrack.web.manage import forms as manage
from actiontrack.web.owner import forms as owner
from actiontrack.web.verify import forms as verify

LIMITS = [
    (manage.PlanCreateForm, "title", Limit.LINE), (manage.PlanCreateForm, "source_body", Limit.LINE),
    (manage.PlanCreateForm, "background", Limit.LONG), (manage.PlanCreateForm, "documents_reviewed", Limit.LONG),
    (manage.PlanEditForm, "reason", Limit.REASON), (manage.RecommendationCreateForm, "text", Limit.TEXT),
    (manage.RecommendationEditForm, "text", Limit.TEXT), (manage.ActionCreateForm, "text", Limit.TEXT),
    (manage.DecisionForm, "comment", Limit.REASON),
    (owner.UpdateForm, "text", Limit.UPDATE), (owner.EvidenceFileForm, "title", Limit.LINE),
    (owner.EvidenceLinkForm, "title", Limit.LINE), (owner.CompleteForm, "note", Limit.REASON),
    (verify.VerifyForm, "comment", Limit.REASON), (verify.ReturnForm, "comment", Limit.REASON),
    (admin.HolderForm, "reason", Limit.REASON), (admin.HoldingEndForm, "reason", Limit.REASON),
    (ReportEditForm, "subject", Limit.LINE), (ReportEditForm, "section_executive_summary", Limit.LONG),
]


@pytest.mark.parametrize(("form_class", "name", "limit"), LIMITS)
def test_each_free_text_field_has_the_limit_of_its_kind_in_the_page(form_class, name, limit):
    form = form_class()
    assert form.fields[name].max_length == limit
    assert f'maxlength="{int(limit)}"' in str(form[name])


def test_a_plan_detail_never_accepts_more_than_its_column_holds():
    fields = manage.PlanCreateForm().fields
    assert fields["organisation"].max_length <= 200 and fields["board"].max_length <= 200
    assert fields["classification"].max_length <= 100
    assert admin.PostForm().fields["name"].max_length <= 200
    assert ReportCreateForm().fields["meeting"].max_length <= 200
    assert UploadForm(new_plan=True).fields["title"].max_length == Limit.LINE


def test_a_reason_over_the_limit_is_refused_in_the_services_words():
    form = manage.LifecycleForm({"reason": "x" * (Limit.REASON + 5)}, reason_required=True, what="pausing it")
    assert not form.is_valid()
    assert form.errors["reason"] == ["The reason is 2,005 characters long; keep it to 2,000 or fewer (remove 5)."]


def test_line_breaks_typed_as_cr_lf_count_once_as_the_services_count_them():
    at_limit = ("a" * 98 + "\r\n") * 20  # 2,000 characters once each CR LF is one line feed
    assert manage.LifecycleForm({"reason": at_limit}, reason_required=True, what="pausing it").is_valid()


def test_a_due_date_condition_over_its_limit_is_refused():
    condition = "c" * (Limit.CONDITION + 1)
    form = owner.ProposeDateForm({"due_on": f"31/03/2027 ({condition})", "reason": "Delayed."},
                                 example=date(2027, 3, 31))
    assert not form.is_valid()
    assert "The condition in brackets is 101 characters long; keep it to 100 or fewer" in form.errors["due_on"][0]


def test_every_free_text_field_of_the_forms_is_limited():
    unlimited = []
    for form in (manage.PlanCreateForm(), manage.PlanEditForm(), manage.RecommendationEditForm(),
                 manage.ActionCreateForm(), manage.DecisionForm(), owner.UpdateForm(), owner.CompleteForm(),
                 verify.VerifyForm(), verify.ReturnForm(), admin.PostForm(), admin.HolderForm(), ReportEditForm()):
        for name, field in form.fields.items():
            if type(field).__name__ == "CharField" and field.max_length is None and name != "next":
                unlimited.append(f"{type(form).__name__}.{name}")
            assert not isinstance(field, LimitedText) or field.max_length
    assert unlimited == []
