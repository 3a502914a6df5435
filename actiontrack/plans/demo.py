"""The demo plan, built from the two source documents (tests/seeds/): the action plan agreed in early
2021 and the board report of 30 November 2021. Everything goes through the services, so the demo's
history is journalled exactly as real use would be. Where the documents are silent the data states its
assumption in the journal reason (and docs/demo.md lists them all)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from actiontrack.core import journal
from actiontrack.core.choices import ChangeSource, EntityType
from actiontrack.core.journal import Actor
from actiontrack.core.models import JournalEvent
from actiontrack.domain.journal import CREATED
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.ukdates import parse_uk_date
from actiontrack.people import services as people
from actiontrack.people.models import Post
from actiontrack.plans.choices import PlanRoleKind, SourceKind
from actiontrack.plans.models import PlanRole

from . import services
from .models import Plan
from .services import measures, workflow

REFERENCE = "PIP-PR"
LOADER = Actor.system("Demo loader", ChangeSource.DEMO)
AGREED = date(2021, 2, 1)  # assumption: agreed the first working day after the review reported (29/01/2021)

BACKGROUND = (
    "ECFRS commissioned Hertfordshire Fire and Rescue Service to carry out a peer review of the Protection "
    "Improvement plan in November 2020. The scope of the review was for them to carry out an independent "
    "peer review of the activity ECFRS has carried out in response to the recommendations outlined in the "
    "HMICFRS areas of concerns for protection."
)
DOCUMENTS = ["Protection Improvement Plan", "Risk Based Inspection Programme", "Enforcement Policy",
             "Grenfell Gap Analysis", "ECFRS Protection Strategy", "Protection Improvement Plan Tracker"]

HPP, HP, HOPS, COMMS = ("Head of Prevention and Protection", "Head of Protection", "Head of Ops Policy",
                        "Corporate Communications")
POSTS = {
    HPP: ["Head of Protection and Prevention"],
    HP: [],
    HOPS: ["Head of Operational Policy"],
    COMMS: ["Corporate comms"],
}
# Holders inferred by matching the owners of the two documents (AM Palmer's actions are the Head of
# Prevention and Protection's in November, and so on).
HOLDINGS = [(HPP, "AM Palmer", date(2021, 1, 1), None), (HP, "GM Earwicker", date(2021, 1, 1), "earwicker"),
            (HOPS, "GM Eaglestone", date(2021, 1, 1), None)]
# The November report was written by "Chris Parker Area Manager Prevention and Protection": the post
# changed hands between the documents. The date is assumed.
NEW_HOLDER = (HPP, "AM Chris Parker", date(2021, 10, 1), "cparker")

RECOMMENDATIONS = {
    1: "Provide further evidence for the enhancement of the sharing of information and expectations to "
       "businesses. This may be by way of an external communications plan.",
    2: "Clarify & evidence provision of Out of Hours FP cover.",
    3: "Include some commentary within the Protection Strategy to explain sufficiency of resources or planning "
       "to enhance this. This would give better clarity as to how ECFRS are going to achieve parity with the "
       "NFCC Competency Framework which HMI will use a benchmark.",
    4: "Outline clear objectives & target figures for audit activity in order to evidence the ability to meet "
       "these.",
    5: "Create links to the HR policy/people strategy for Fire Protection.",
    6: "Supply and/or provide clear link to Quality Assurance Policy for all audit activity.",
    7: "Outline clear objectives & rationale for enforcement activity in order to evidence the ability to "
       "increase this activity.",
    8: "Provide further evidence for the enhancement of pro-active engagement with businesses to promote fire "
       "safety. This may be by way of an external communications plan.",
}

# (ref, text, owner posts, delivery date exactly as written in the agreed plan)
ACTIONS = [
    ("1.1", "Develop a communications plan to share with customers.", [HPP, COMMS], "31/05/2021"),
    ("2.1", "Rebalance the flexi duty rota and make best use of staff we already have.", [HOPS], "31/05/2021"),
    ("2.2", "Establish an out of hours system for day duty fire safety officers.", [HP], "28/02/2021"),
    ("3.1", "This is included in the staff succession planning currently and will be picked up in the annual "
            "review of the Protection strategy.", [HPP], "31//12/2021"),
    ("4.1", "Set a performance target in the monthly, quarterly and annual performance reports. To be "
            "monitored at 1/4ly P and P board.", [HPP], "01/04/2021"),
    ("5.1", "Restructure of the Protection function then embed this into the service people strategy",
     [HPP], "31/07/2021"),
    ("6.1", "Embed the Quality Assurance Process within Protection activities", [HP], "31/03/2021"),
    ("6.2", "Create a recording and reporting process to enable activity to be monitored and action taken to "
            "resolve.", [HPP], "31/05/2021"),
    ("7.1", "Review the Enforcement policy to include clearer objectives and rationale.", [HPP], "28/02/2021"),
    ("8.1", "Investment in the Essex Chamber of commerce.\n\nComms plan to utilise the connections already in "
            "existence and enhance partnership working with other agencies and Businesses", [HPP, COMMS],
     "31/05/2021"),
]

# What happened between the documents, in effective-date order: (date, ref, kind, value, reason). The reasons
# read as an owner or plan manager would write them; which dates are assumed is in docs/demo.md, not here (the
# reasons reach the board paper's list of changes).
HISTORY = [
    (date(2021, 2, 26), "2.2", "complete", None, "Out of hours system for day duty fire safety officers in place."),
    (date(2021, 2, 26), "7.1", "complete", None, "Enforcement policy reviewed with clearer objectives and "
                                                 "rationale."),
    *[(date(2021, 3, 1), ref, "start", None, "Work begun.")
      for ref in ("1.1", "2.1", "3.1", "4.1", "5.1", "6.1", "6.2", "8.1")],
    (date(2021, 3, 31), "4.1", "complete", None, "Performance target set in the monthly, quarterly and annual "
                                                 "performance reports."),
    (date(2021, 3, 31), "6.1", "complete", None, "Quality Assurance Process embedded in Protection activities."),
    (date(2021, 4, 30), "8.1", "text", "business engagement managers role",
     "Investment in the Essex Chamber of Commerce replaced by a business engagement manager role."),
    (date(2021, 5, 20), "2.1", "due", "31/07/2021",
     "Staff have had to move flexi banks to realign the operational rota; more time agreed."),
    (date(2021, 5, 20), "6.2", "due", "31/07/2021", "The recording and reporting process needs more time to "
                                                    "test with the teams."),
    (date(2021, 5, 25), "1.1", "due", "31/12/2021 (On Approval)",
     "The communications plan is awaiting approval; the new date holds on approval."),
    (date(2021, 5, 28), "8.1", "complete", None, "Business engagement manager role in place."),
    (date(2021, 6, 30), "2", "rec_text", "Clarify & evidence provision of Out of Hours Fire Safety Officer cover.",
     "\"FP\" written out: the cover is by fire safety officers."),
    (date(2021, 6, 30), "3", "rec_text", RECOMMENDATIONS[3].replace("which HMI will use", "which HMICFRS will use"),
     "The inspectorate named in full."),
    (date(2021, 7, 20), "5.1", "due", "31/12/2021",
     "The restructure of the Protection function will complete with the annual review."),
    (date(2021, 7, 30), "2.1", "complete", None, "Flexi duty rota rebalanced."),
    (date(2021, 7, 30), "6.2", "complete", None, "Recording and reporting process in use."),
]

# The owner's progress updates for November 2021, written before the report's as-at date by the new holder of
# Head of Prevention and Protection: (ref, text). The documents give none; see docs/demo.md.
UPDATES_ON = date(2021, 11, 26)
UPDATES = [
    ("1.1", "The communications plan is drafted and with the Service Leadership Team for approval. On track for "
            "31/12/2021 once approved."),
    ("3.1", "Succession planning for Protection is in place. The commentary on sufficiency of resources will be "
            "added at the annual review of the Protection Strategy in December."),
    ("5.1", "The new structure of the Protection function is agreed and being put in place. Embedding it in the "
            "service people strategy follows in December."),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str  # a PlanRoleKind, or "owner" for a post holder
    what: str


DEMO_USERS = [
    DemoUser("pmo", "Priya", "Shah", PlanRoleKind.MANAGER, "plan manager"),
    DemoUser("cparker", "Chris", "Parker", "owner", "owner: Head of Prevention and Protection"),
    DemoUser("earwicker", "Gary", "Earwicker", "owner", "owner: Head of Protection"),
    DemoUser("verifier", "Sam", "Okafor", PlanRoleKind.VERIFIER, "verifier (assurance lead)"),
    DemoUser("board", "Alex", "Morgan", PlanRoleKind.VIEWER, "board member (viewer)"),
]


class DemoClash(Exception):
    """The database already holds a post under one of the demo's post names (or spellings), not made by the demo:
    the demo would hand someone's real post its invented holders and actions."""


def _posts() -> dict[str, Post]:
    """The demo's posts: made now, or found where an earlier run of the demo made them."""
    posts = {}
    for name, aliases in POSTS.items():
        post = Post.objects.filter(name=name).first()
        if post is not None and not _made_by_demo(post):
            raise _clash(name, f"{name!r} is already the name of a post in this database.")
        if post is None:
            try:
                post = people.post_create(actor=LOADER, name=name, aliases=aliases, effective_on=AGREED)
            except ValidationError as exc:
                raise _clash(name, " ".join(exc.messages)) from None
        posts[name] = post
    return posts


def _made_by_demo(post: Post) -> bool:
    return JournalEvent.objects.filter(entity_type=EntityType.POST, entity_id=post.pk, field=CREATED,
                                       source=ChangeSource.DEMO).exists()


def _clash(name: str, why: str) -> DemoClash:
    return DemoClash(f"The demo cannot add its post {name!r}: {why} The demo belongs in a database of its own: set "
                     "ACTIONTRACK_DATA_DIR to an empty folder (and leave DATABASE_URL unset) and run it again. "
                     "Nothing was changed.")


def _users() -> dict[str, tuple[object, str | None]]:
    """Create the demo users that do not exist yet; a password is returned only for new ones."""
    user_model = get_user_model()
    users = {}
    for spec in DEMO_USERS:
        user = user_model.objects.filter(username=spec.username).first()
        password = None
        if user is None:
            password = secrets.token_urlsafe(12)
            user = people.user_create(actor=LOADER, username=spec.username, first_name=spec.first_name,
                                      last_name=spec.last_name, email=f"{spec.username}@example.org",
                                      password=password, today=AGREED)
        users[spec.username] = (user, password)
    return users


def _build_plan(posts: dict[str, Post], users: dict) -> tuple[Plan, list[str]]:
    warnings = []
    for post_name, holder, starts_on, username in HOLDINGS:
        people.post_holder_change(actor=LOADER, post=posts[post_name], holder_name=holder, starts_on=starts_on,
                                  user=users[username][0] if username else None,
                                  reason="Holder named in the agreed action plan.")
    plan = services.plan_create(
        actor=LOADER, reference=REFERENCE, title="Protection Improvement Plan – Peer Review",
        agreed_on=AGREED, source_kind=SourceKind.PEER_REVIEW, organisation="Essex County Fire and Rescue Service",
        source_body="Hertfordshire Fire and Rescue Service", commissioned_on=date(2020, 11, 1),
        reported_on=date(2021, 1, 29), background=BACKGROUND, documents_reviewed="\n".join(DOCUMENTS),
        board="Performance and Resources Board", classification="OFFICIAL",
        reason="Action plan agreed after the peer review reported on 29 January 2021.")
    recs = {number: services.recommendation_create(actor=LOADER, plan=plan, ref=str(number), text=text)
            for number, text in RECOMMENDATIONS.items()}
    actions = {}
    for ref, text, owner_names, written in ACTIONS:
        parsed = parse_uk_date(written)
        reason = "Agreed in the action plan."
        if parsed.warnings:
            warnings.extend(f"action {ref}: {w}" for w in parsed.warnings)
            reason += " Delivery date " + "; ".join(parsed.warnings) + "."
        rec_number, number = (int(part) for part in ref.split("."))
        actions[ref] = services.action_create(
            actor=LOADER, recommendation=recs[rec_number], number=number, text=text,
            owner_posts=[posts[name] for name in owner_names], due_on=parsed.value,
            due_condition=parsed.condition, reason=reason)
    for day, ref, kind, value, reason in HISTORY:
        if kind == "rec_text":
            services.recommendation_change_text(actor=LOADER, recommendation=recs[int(ref)], text=value,
                                                effective_on=day, reason=reason)
            continue
        action = actions[ref]
        if kind == "complete":
            services.action_change_lifecycle(actor=LOADER, action=action, lifecycle=Lifecycle.COMPLETED,
                                             completed_on=day, effective_on=day, reason=reason)
        elif kind == "start":
            services.action_change_lifecycle(actor=LOADER, action=action, lifecycle=Lifecycle.IN_PROGRESS,
                                             effective_on=day, reason=reason)
        elif kind == "text":
            services.action_change_text(actor=LOADER, action=action, text=value, effective_on=day, reason=reason)
        elif kind == "due":
            parsed = parse_uk_date(value)
            services.action_change_due_date(actor=LOADER, action=action, due_on=parsed.value,
                                            due_condition=parsed.condition, effective_on=day, reason=reason)
    post_name, holder, starts_on, username = NEW_HOLDER
    people.post_holder_change(actor=LOADER, post=posts[post_name], holder_name=holder, starts_on=starts_on,
                              user=users[username][0],
                              reason="Chris Parker appointed Area Manager Prevention and Protection.")
    owner = Actor.of(users[username][0], ChangeSource.DEMO)
    for ref, text in UPDATES:
        workflow.update_save(actor=owner, action=actions[ref], text=text, today=UPDATES_ON)
    _measure(recs[4])
    return plan, warnings


# INVENTED for the demo (docs/demo.md): recommendation 4 asks for "clear objectives & target figures for audit
# activity"; the source gives no figures. A quarterly target of 150 audits, tolerance 15, and values that rise
# after action 4.1 set the target (March 2021): off target, within tolerance, on target.
MEASURE = ("Fire safety audits completed", "audits", 150, 15)
MEASURE_VALUES = [(date(2021, 3, 15), 118, date(2021, 4, 6)), (date(2021, 6, 15), 139, date(2021, 7, 5)),
                  (date(2021, 9, 15), 156, date(2021, 10, 5))]


def _measure(rec) -> None:
    name, unit, target, tolerance = MEASURE
    measure = measures.measure_add(actor=LOADER, recommendation=rec, name=name, unit=unit, target=target,
                                   tolerance=tolerance, period="quarterly", hold_periods=2, effective_on=AGREED)
    for day, value, recorded_on in MEASURE_VALUES:
        measures.measure_record(actor=LOADER, measure=measure, day=day, value=value, today=recorded_on)


def _grant_roles(plan: Plan, users: dict) -> None:
    for spec in DEMO_USERS:
        user = users[spec.username][0]
        if spec.role != "owner" and not PlanRole.objects.filter(user=user, plan=plan, role=spec.role).exists():
            services.role_grant(actor=LOADER, user=user, plan=plan, role=spec.role, today=AGREED)


@dataclass
class DemoResult:
    plan: Plan
    created: bool
    passwords: dict[str, str]  # only for users created in this run
    warnings: list[str]


def load_demo() -> DemoResult:
    """Load the demo plan and users. Running it again changes nothing."""
    with journal.one_version_move():  # atomic
        return _load()


def _load() -> DemoResult:
    users = _users()
    posts = _posts()
    plan = Plan.objects.filter(reference=REFERENCE).first()
    created = plan is None
    warnings: list[str] = []
    if created:
        plan, warnings = _build_plan(posts, users)
    _grant_roles(plan, users)
    passwords = {name: password for name, (_, password) in users.items() if password}
    return DemoResult(plan=plan, created=created, passwords=passwords, warnings=warnings)
