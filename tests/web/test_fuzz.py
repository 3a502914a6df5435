"""No address and no form value gives a server error: whatever is typed or crafted, the answer is a 4xx (or a
page, or a redirect), never a 500.

Every URL pattern the resolver knows (Django's own admin aside) is filled with generated values — huge
numbers, digits from other scripts ("¹.¹", "١"), control characters, very long text — and fetched by a plan
manager and by an outsider. Every page that takes a POST is then sent its own form back (the fields read from
the page that shows it) with generated values in place of what a person would type: ids past any integer
column, other scripts' digits, control characters, over-long text, impossible dates. The test client raises
whatever a view raises, so a server error fails the test with its traceback.

Bounded: 15 examples for each pattern and persona draw, no deadline; the whole file runs in well under a minute
on two cores."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from actiontrack.api.tokens import token_create
from actiontrack.people.models import PostHolding
from actiontrack.plans.models import Action, DateProposal, Plan, PlanRole

# Examples for each pattern: enough to find the crashes this was written for, few enough that the whole file
# takes well under a minute; ACTIONTRACK_FUZZ_EXAMPLES=500 digs deeper by hand.
EXAMPLES = int(os.environ.get("ACTIONTRACK_FUZZ_EXAMPLES", "15"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.filter_too_much])
_PLACEHOLDER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _route(pattern) -> str:
    """A pattern as a route with <converter:name> placeholders; a regex's `.*` parts become <path:...>."""
    if isinstance(pattern, RoutePattern):
        return str(pattern)
    regex = pattern._regex.lstrip("^").rstrip("$")
    regex = re.sub(r"\(\?P<(\w+)>\.\*\)", r"<path:\1>", regex)
    return regex.replace(".*", "<path:rest>")


def _routes(patterns, prefix: str = ""):
    for each in patterns:
        route = prefix + _route(each.pattern)
        if route.startswith("django-admin/"):
            continue  # Django's own admin, for staff only: its code is Django's
        if isinstance(each, URLResolver):
            yield from _routes(each.url_patterns, route)
        else:
            yield route


ROUTES = sorted(set(_routes(get_resolver().url_patterns)))

# Text a person or an attacker could put anywhere: other scripts' digits, controls, long runs, plain junk.
TRICKY = ["¹.¹", "١.١", "1.¹", "¹", "١٢", "𝟙.𝟙", "①", "1.1\x00", "\x00", "\x0b", "\x1b[0m", "\u202e1.1", " 1.1 ",
          "1." + "9" * 30, "9" * 30 + ".1", "1.-1", "-1", "1e9", "0x10", "1.1.1", "..", "%", "%00", "\\", "'", '"',
          "<script>", "NaN", "inf", "31/02/2021", "00/00/0000", "99/99/99999", "1/1/1", "2021-13-01", "+1",
          "9" * 400, "a" * 6000, "\u0660", "\uff11", "PIP-PR", "1.1", "5.1", "true", "on", "csv"]
HUGE = [2**31 - 1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, 2**64, 10**30]
TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)


def texts() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(TRICKY), TEXT, st.text(alphabet="0123456789¹١۲٣१๑.", min_size=1, max_size=12))


def numbers() -> st.SearchStrategy[int]:
    return st.one_of(st.integers(0, 20), st.sampled_from(HUGE), st.integers(0, 2**80))


def _fill(route: str, value_for) -> str:
    return "/" + _PLACEHOLDER.sub(lambda m: value_for(m.group(1) or "str", m.group(2)), route)


def _fuzzed_path(data, route: str, real: dict[str, str]) -> str:
    def value_for(kind, name):
        if kind == "int":
            choice = data.draw(st.one_of(numbers().map(str), st.sampled_from([real.get(name, "1")])), label=name)
            return choice
        if kind == "slug":
            return data.draw(st.one_of(st.sampled_from(["PIP-PR", "NO-SUCH"]), st.from_regex(r"[-a-zA-Z0-9_]{1,80}",
                                                                                           fullmatch=True)), label=name)
        value = data.draw(st.one_of(texts(), st.sampled_from([real.get(name, "1.1")])).filter(bool), label=name)
        return quote(value, safe="") if kind != "path" else quote(value, safe="/")
    return _fill(route, value_for)


@pytest.fixture
def manager(plan_manager):
    """The demo's plan manager, made an administrator too, so every page is open to them."""
    plan_manager.is_staff = True
    plan_manager.save(update_fields=["is_staff"])
    return plan_manager


def _real_values(manager, owner) -> dict[str, str]:
    """Values that name real things, so generated requests also reach past the lookups."""
    plan = Plan.objects.get(reference="PIP-PR")
    action = Action.objects.filter(plan=plan).select_related("recommendation").first()
    holding = PostHolding.objects.filter(user=owner).first()
    role = PlanRole.objects.filter(plan=plan).first()
    proposal = DateProposal.objects.first()
    return {"reference": plan.reference, "ref": action.ref, "rec": action.recommendation.slug,
            "user_id": str(role.user_id), "role_id": str(role.pk), "post_id": str(holding.post_id),
            "holding_id": str(holding.pk), "pk": str(proposal.pk if proposal else 1), "fmt": "csv",
            "token": "x", "evidence_id": "1", "report_id": "1",
            # Not a real static file: sending one closes the test's database connection on PostgreSQL (Django
            # ends a request when a file response is closed); real files are tested in test_caching.py.
            "path": "web/no-such-file.css"}


def _get(client, path, user, tokens: dict):
    """GET as this person: signed in for pages, with a token of theirs for the API."""
    headers = {}
    if path.startswith("/api/"):
        if user.pk not in tokens:
            tokens[user.pk] = token_create(user=user, name="Fuzz")[1]
        headers["HTTP_AUTHORIZATION"] = f"Bearer {tokens[user.pk]}"
    return client.get(path, **headers)


@pytest.mark.parametrize("route", ROUTES)
def test_no_address_gives_a_server_error_to_a_plan_manager_or_an_outsider(client, manager, owner, outsider, route):
    real, tokens = _real_values(manager, owner), {}

    @FUZZ
    @given(data=st.data())
    def fetch(data):
        path = _fuzzed_path(data, route, real)
        who = data.draw(st.sampled_from([manager, outsider]), label="who")
        note(f"GET {path!r} as {who.username}")
        client.force_login(who)
        response = _get(client, path, who, tokens)
        if hasattr(response, "streaming_content"):
            response.close()
        assert response.status_code < 500, (path, who.username, response.status_code)

    fetch()


# Forms ----------------------------------------------------------------------------------------------------------

class _Forms(HTMLParser):
    """The POST forms on a page: where each posts to, and its fields with the values the page filled in (the
    options of a select or a set of radios, too)."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, list[str]], set[str]]] = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.forms.append((attrs.get("action") or "", {}, set()))
            return
        if not self.forms:
            return
        _, fields, files = self.forms[-1]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind == "file":
                files.add(name)
            elif kind not in ("submit", "button", "image", "reset"):
                fields.setdefault(name, []).append(attrs.get("value") or ("on" if kind == "checkbox" else ""))
            elif name:
                fields.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "select" and name:
            self._select = fields.setdefault(name, [])
        elif tag == "option" and self._select is not None:
            self._select.append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = fields.setdefault(name, [])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.append(data)


def _forms_posting_to(client, path: str) -> tuple[dict[str, list[str]], set[str], bool]:
    """The fields of the forms that post to `path`, read from the page itself or the one above it (a button such
    as "Start" posts from the action page); every field on those pages if none names `path`."""
    pages = [path, path.rstrip("/").rsplit("/", 1)[0] + "/"]
    fields: dict[str, list[str]] = {}
    files: set[str] = set()
    everything: dict[str, list[str]] = {}
    for page in pages:
        response = client.get(page)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Forms()
        parser.feed(response.content.decode())
        for action, form_fields, form_files in parser.forms:
            for name, values in form_fields.items():
                everything.setdefault(name, []).extend(values)
            if urlsplit(action).path in (path, "") and (action or page == path):
                for name, values in form_fields.items():
                    fields.setdefault(name, []).extend(values)
                files |= form_files
    return (fields or everything), files, bool(fields or files)


UPLOADS = [b"", b"%PDF-1.7\n%%EOF\n", b"PK\x03\x04" + b"\x00" * 40, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
           b"reference,title\n1,\x00\n", b"\xff\xfe<\x00?\x00x\x00", b'{"plan": 1}', b"\x00" * 100]


def _form_values(data, fields: dict[str, list[str]], files: set[str]) -> dict:
    values = {}
    for name, seen in sorted(fields.items()):
        if name == "csrfmiddlewaretoken":
            continue
        options = [value for value in seen if value is not None] or [""]
        one = st.one_of(st.sampled_from(options), st.sampled_from(options), texts(), numbers().map(str))
        values[name] = data.draw(st.lists(one, min_size=1, max_size=3) if len(seen) > 1 else one, label=name)
    for name in sorted(files):
        content = data.draw(st.sampled_from(UPLOADS), label=name)
        filename = data.draw(st.one_of(st.sampled_from(["plan.docx", "plan.xlsx", "plan.csv", "plan.json",
                                                        "evidence.pdf", "a.msg", "x"]), TEXT.filter(bool)),
                             label=f"{name} name")
        filename = filename.replace("/", "_").replace("\x00", "")
        # A name of only dots ("." or "..") is one no browser sends and Django's test file refuses to carry.
        values[name] = SimpleUploadedFile(filename if filename.strip(".") else "x", content)
    return values


POST_ROUTES = [route for route in ROUTES if not route.startswith(("api/", "static/", "healthz"))]


@pytest.mark.parametrize("route", POST_ROUTES)
def test_no_form_value_gives_a_server_error(client, manager, owner, route):
    real = _real_values(manager, owner)
    path = _fill(route, lambda kind, name: quote(real.get(name, "1"), safe=""))
    found = {}
    for who in (manager, owner):
        client.force_login(who)
        found[who] = _forms_posting_to(client, path)
    # Whoever is shown a form posting here sends it (both, if neither is: the view still gets the POST).
    senders = [who for who, (_, _, shown) in found.items() if shown] or [manager, owner]

    @FUZZ
    @given(data=st.data())
    def post(data):
        who = data.draw(st.sampled_from(senders), label="who")
        fuzz_address = data.draw(st.sampled_from([False, False, False, True]), label="fuzz the address")
        target = _fuzzed_path(data, route, real) if fuzz_address else path
        fields, files, _ = found[who]
        values = _form_values(data, fields, files)
        note(f"POST {target!r} as {who.username}: {values!r}")
        client.force_login(who)
        response = client.post(target, values)
        if hasattr(response, "streaming_content"):
            response.close()
        assert response.status_code < 500, (target, who.username, response.status_code)

    post()


def test_the_fuzz_covers_every_kind_of_page():
    """A guard that the walk found the patterns: if it found none, every test above would pass vacuously."""
    assert "plans/<slug:reference>/actions/<part:ref>/" in ROUTES
    assert "administration/users/<id:user_id>/roles/<id:role_id>/revoke/" in ROUTES
    assert any(route.startswith("api/plans/") for route in ROUTES)
    assert len(POST_ROUTES) > 50


# The crashes the fuzz found, pinned as plain examples -----------------------------------------------------------

@pytest.mark.parametrize("ref", ["¹.¹", "١.١", "1.¹", "𝟙.𝟙", "1." + "9" * 30, "9" * 30 + ".1"])
def test_an_action_ref_in_other_scripts_digits_or_too_long_is_a_404(signed_in, plan_manager, ref):
    response = signed_in(plan_manager).get(f"/plans/PIP-PR/actions/{quote(ref)}/")
    assert response.status_code == 404


def test_an_action_ref_with_leading_zeros_still_leads_to_the_action(signed_in, plan_manager):
    response = signed_in(plan_manager).get("/plans/PIP-PR/actions/01.01/")
    assert response.status_code == 301 and response["Location"] == "/plans/PIP-PR/actions/1.1/"


@pytest.mark.parametrize("path", ["/administration/users/{}/", "/administration/posts/{}/holdings/1/",
                                  "/evidence/{}/download/", "/proposals/{}/decide/", "/plans/PIP-PR/reports/{}/",
                                  "/account/api-tokens/{}/revoke/", "/plans/PIP-PR/recommendations/{}/edit/"])
def test_an_id_too_large_for_the_database_is_an_address_that_names_nothing(signed_in, manager, path):
    assert signed_in(manager).get(path.format(2**63)).status_code == 404
    assert signed_in(manager).get(path.format(2**63 - 1)).status_code == 404


def test_an_owner_post_id_too_large_for_the_database_is_refused_as_not_one_of_the_choices(signed_in, plan_manager):
    client = signed_in(plan_manager)
    version = re.search(r'name="version" value="(\d+)"', client.get("/plans/PIP-PR/actions/1.1/edit/").text)[1]
    for post in (str(2**63), "١", "1.5"):
        response = client.post("/plans/PIP-PR/actions/1.1/edit/", {
            "text": "Develop a communications plan.", "owner_posts": [post], "reason": "Fuzzed", "version": version})
        assert response.status_code == 400 and "is not one of the available choices" in response.text


def test_a_role_granted_on_a_plan_id_too_large_is_refused(signed_in, manager, outsider):
    response = signed_in(manager).post(f"/administration/users/{outsider.pk}/roles/",
                                       {"plan": str(2**64), "role": "viewer"})
    assert response.status_code == 400 and "not one of the available choices" in response.text


def test_a_recommendation_reference_too_long_for_its_column_is_refused(signed_in, plan_manager):
    response = signed_in(plan_manager).post("/plans/PIP-PR/recommendations/new/", {
        "ref": "9" * 101, "kind": "recommendation", "text": "A finding."})
    assert response.status_code == 400 and "Keep the reference to 100 characters or fewer." in response.text


def test_where_to_go_after_locking_a_period_is_only_ever_a_path_on_this_site(signed_in, plan_manager):
    page = signed_in(plan_manager).get("/plans/PIP-PR/queue/").text
    period = re.search(r'queue/lock/\?period=([0-9-]+)"', page)[1]
    response = signed_in(plan_manager).post("/plans/PIP-PR/queue/lock/", {"period_start": period, "confirm": "on",
                                                                          "next": "home"})
    assert response.status_code == 302 and response["Location"] == "/plans/PIP-PR/queue/"


def test_a_static_file_name_too_long_for_the_file_system_is_not_found(client):
    assert client.get("/static/" + "9" * 400).status_code == 404


@pytest.mark.django_db
def test_a_sign_in_with_a_username_longer_than_any_accounts_is_refused_not_a_server_error(client):
    """django-axes records a failed sign-in's username in a 255-character column (PostgreSQL refused longer)."""
    response = client.post("/accounts/login/", {"username": "9" * 400, "password": "¹.¹"})
    assert response.status_code == 200 and "Please enter a correct username and password" in response.text
