"""Pieces of pages the read cache keeps (a plan's recommendations and actions, the dashboard's plan sections)
land in the page where its template puts them: the page read from the cache is the page first built, and what
people typed is escaped in both."""

import re

from django.utils import timezone

from actiontrack.core.journal import Actor
from actiontrack.plans import services
from actiontrack.plans.models import Plan

TYPED = "Test <b>the</b> hydrants & <script>alert(1)</script>"
ESCAPED = "Test &lt;b&gt;the&lt;/b&gt; hydrants &amp; &lt;script&gt;alert(1)&lt;/script&gt;"


def _page(client, path: str) -> str:
    """The page, without its CSRF tokens (a new one each response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", client.get(path).content.decode())


def test_a_plan_page_and_the_dashboard_read_from_the_cache_are_the_pages_first_built(signed_in, plan_manager):
    plan = Plan.objects.get(reference="PIP-PR")
    recommendation = plan.recommendations.order_by("position", "pk").first()
    services.recommendation_update(actor=Actor.of(plan_manager), recommendation=recommendation, text=TYPED,
                                   kind=None, reason="Test", effective_on=max(timezone.localdate(), plan.agreed_on))
    client = signed_in(plan_manager)
    for path in ("/plans/PIP-PR/", "/"):
        first = _page(client, path)  # built, and kept by the read cache
        assert _page(client, path) == first  # read from it
    plan_page = _page(client, "/plans/PIP-PR/")
    assert ESCAPED in plan_page and TYPED not in plan_page and "<script>alert" not in plan_page


def test_a_plans_typed_details_are_escaped_in_its_section_of_the_dashboard(signed_in, plan_manager):
    """The dashboard's plan sections are built in Python (web/plan_summary.py), not by a template."""
    plan = Plan.objects.get(reference="PIP-PR")
    services.plan_update(actor=Actor.of(plan_manager), plan=plan, effective_on=timezone.localdate(), reason="Test",
                         changes={"title": f"Title {TYPED}", "source_body": f"Body {TYPED}", "board": f"Board {TYPED}"})
    dashboard = _page(signed_in(plan_manager), "/")
    for field in ("Title", "Body", "Board"):
        assert f"{field} {ESCAPED}" in dashboard
    assert TYPED not in dashboard and "<script>alert" not in dashboard
    assert 'by Body Test &lt;b&gt;' in dashboard and 'reports to Board Test &lt;b&gt;' in dashboard
