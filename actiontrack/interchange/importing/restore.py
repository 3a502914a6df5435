"""Restoring a plan from actiontrack's JSON export, exactly: its rows and its journal as they were recorded
(who, when, effective date, old -> new, reason, source), so the plan as at any past date reads as it did.
A service of its own (`plan_restore`, which service.py calls for a JSON export under a new reference): it
shares the report and the all-or-nothing write with the importer (apply.py), nothing else.

This is the one place that writes journal events that no service made: it is a restore, not a change. So
it refuses unless no plan has the reference yet (nothing existing is touched), checks that the restored
journal replays to the restored rows, and journals one event of its own saying where the plan came from.

The file is checked as the forms check what people type: its text was normalised and measured when it was
read (parse_json), and its evidence links must pass the same check as a link added on the web
(`plans.evidence.clean_link`). People are never matched by username: an account here with the same
username may be someone else, so no restored row or event is linked to one, post holdings are not
linked to accounts, and roles are not granted. Who did what is kept as the names the file's journal
records (`actor_name`, and the restore's own event lists them). The person restoring is the only user
credited: with the restore, and as the plan manager of the restored plan. Evidence files are not in the
export: their metadata and SHA-256 are.

A preview (apply=False) makes every check, the journal's replay included, on the document in memory and
writes nothing, so it holds no lock while other people save."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError

from actiontrack.core.choices import ChangeSource, EntityType
from actiontrack.core.journal import DUE, Actor, as_change, change_from_row, record
from actiontrack.core.models import JournalEvent
from actiontrack.domain.external import FIELD as EXTERNAL
from actiontrack.domain.journal import state_as_at
from actiontrack.interchange.exporting.export_json import PLAN_FIELDS
from actiontrack.people.models import Post, PostHolding
from actiontrack.people.selectors import normalise_post_name
from actiontrack.plans import permissions as perms
from actiontrack.plans.choices import EvidenceKind, RecommendationKind
from actiontrack.plans.models import (
    Action,
    Comment,
    DateProposal,
    Evidence,
    Group,
    Measure,
    MeasureValue,
    OffTrackNotice,
    PeriodLock,
    Plan,
    PlanRole,
    ProgressUpdate,
    Recommendation,
)
from actiontrack.plans.services import ACTION_FIELDS
from actiontrack.plans.services.evidence import clean_link
from actiontrack.plans.services.off_track import FIELD as NOTICE_FIELD

from .all_or_nothing import write_all_or_nothing
from .base import ERROR, WARNING, Location
from .report import CREATE, Change, ImportReport, clip

IMPORTED = "imported"


# The lists of an action's records in a JSON export, and the kind of journal event that records each.
RECORDS = {"updates": EntityType.UPDATE, "proposals": EntityType.PROPOSAL, "evidence": EntityType.EVIDENCE,
           "comments": EntityType.COMMENT}


class _Bad(Exception):
    """The document cannot be restored; the message says why."""


def _d(value):
    return date.fromisoformat(value) if value else None


def _dt(value):
    return datetime.fromisoformat(value) if value else None


def plan_restore(*, actor: Actor, document: dict, reference: str, report: ImportReport, apply: bool,
                 today: date) -> ImportReport:
    """Recreate the exported plan under `reference`, which must not exist yet. A preview writes nothing."""
    if actor.user is not None and not perms.can_create_plans(actor.user):
        raise PermissionDenied("Only an administrator or a plan manager can create a plan.")
    report.restore = True

    def restore() -> None:
        try:
            _Restore(actor, document, reference, report, today, writing=apply).run()
        except _Bad as exc:
            report.problem(ERROR, str(exc))

    if not apply:
        restore()
        return report
    return write_all_or_nothing(report, restore)  # all of the plan or none of it


class _Restore:
    def __init__(self, actor: Actor, document: dict, reference: str, report: ImportReport, today: date,
                 writing: bool):
        self.actor, self.doc, self.reference, self.report, self.today = actor, document, reference, report, today
        self.writing = writing  # False: a preview, checked in memory, with placeholder ids
        self.placeholders = itertools.count(-1, -1)
        self.owner_posts: dict[int, list[int]] = {}  # action id -> its owner posts' ids (for a preview's replay)
        self.replay: dict[int, list] = {}  # action id -> its journal's changes (for a preview's replay)
        self.sequence = itertools.count(1)  # the file's order, which a restore's event ids keep
        self.ids: dict[str, dict[int, int]] = {kind: {} for kind in EntityType.values}
        self.group_ids: dict[int, int] = {}  # groups are not journalled entities: their ids are kept apart
        self.notice_ids: dict[int, int] = {}  # nor are off-track notices (journalled on the plan)
        self.new_posts: set[int] = set()
        self.posts_refused: list[str] = []
        self.administers = actor.user is None or actor.user.is_staff
        self.granted = False

    def _all_items(self):
        for name in ("journal", "post_journal", "updates", "proposals", "evidence", "comments", "period_locks",
                     "roles"):
            yield from self.doc[name]
        for post in self.doc["posts"]:
            yield from post["holdings"]

    def name_of(self, username) -> str:
        """The name the file records for a username, kept as text (never a local account's)."""
        if not isinstance(username, str) or not username:
            return ""
        if not hasattr(self, "_recorded"):
            self._recorded = self.recorded_as()
        return self._recorded.get(username, username)[:200]

    def recorded_as(self) -> dict[str, str]:
        """Every username the file names, with the name its journal records for it: kept as text only."""
        names = {data["actor"]: data["actor_name"] for data in [*self.doc["journal"], *self.doc["post_journal"]]
                 if data.get("actor")}
        usernames = {v for key in ("actor", "user", "author", "proposed_by", "decided_by", "added_by", "locked_by")
                     for item in self._all_items() for v in [item.get(key)] if isinstance(v, str) and v}
        return {username: names.get(username, username) for username in sorted(usernames)}

    def _links_refused(self) -> bool:
        """Evidence links checked as the evidence form checks them; each one refused is an error naming it."""
        refused = False
        for n, data in enumerate(self.doc["evidence"]):
            if data["kind"] != EvidenceKind.FILE or data["url"]:
                try:
                    clean_link(data["url"])
                except ValidationError as exc:
                    refused = True
                    self.report.problem(ERROR, f"evidence link {n + 1} in the file is refused: "
                                        f"{' '.join(exc.messages)}", Location("JSON", column=f"evidence[{n}].url"),
                                        data["url"][:80])
        return refused

    def run(self) -> None:
        if Plan.objects.filter(reference__iexact=self.reference).exists():
            raise _Bad(f"A plan with reference {self.reference!r} exists already: a JSON export is restored only "
                       "as a new plan. Import it under another reference (--plan), or import a tracker (Excel or "
                       "CSV) to update the existing plan.")
        if self._links_refused():
            return
        self._check_records()
        plan = self._plan()
        self._posts()
        if self.doc["plan"]["escalate_senior_post"] is not None:  # a post of the file, known once posts are
            plan.escalate_senior_post_id = self._map(EntityType.POST, self.doc["plan"]["escalate_senior_post"],
                                                     " (the plan's senior post for escalation)")
            if self.writing:
                plan.save(update_fields=["escalate_senior_post"])
        self._rows(plan)
        self._journal(plan)
        self._check(plan)
        if self.writing:
            self._external_closures()
        exported = self.doc.get("exported_at", "")
        if self.granted and self.writing:
            record(actor=self.actor, plan=plan, entity_type=EntityType.PLAN, entity_id=plan.pk, field="role_granted",
                   old=None, new={"user": self.actor.user.get_username(), "role": "manager"},
                   effective_on=max(self.today, plan.agreed_on), reason="The plan's importer manages it.")
        people = self.recorded_as()
        if people:
            self.report.notes.append(
                f"{len(people)} people named in the file are kept as the names its journal records ("
                + ", ".join(f"{name} ({username})" if name != username else name
                            for username, name in list(people.items())[:20]) + (" …" if len(people) > 20 else "")
                + "); none of them is linked to an account here, whatever its username. The restore is credited "
                "to whoever applies it.")
        if self.writing:
            self._record_import(plan, exported, people)
        counts = {"recommendations created": len(self.doc["recommendations"]),
                  "actions created": len(self.doc["actions"]), "journal events restored": len(self.doc["journal"]),
                  "progress updates restored": len(self.doc["updates"]),
                  "evidence records restored": len(self.doc["evidence"]),
                  "comments restored": len(self.doc["comments"]),
                  "off-track notices restored": len(self.doc["off_track_notices"])}
        self.report.counts.update(counts)
        recs = sorted(self.doc["recommendations"], key=lambda r: r["position"])
        order = {data["id"]: n for n, data in enumerate(recs)}
        for data in recs:
            self.report.add(Change(CREATE, f"{RecommendationKind(data['kind']).label} {data['ref']}",
                                   (clip(data["text"]),)), "listed")
        for data in sorted(self.doc["actions"], key=lambda a: (order.get(a["recommendation"], 0), a["position"])):
            self.report.add(Change(CREATE, f"Action {data['ref']}", (clip(data["text"]),)), "listed")
        self.report.counts.pop("listed", None)

    def _record_import(self, plan: Plan, exported: str, people: dict[str, str]) -> None:
        record(actor=self.actor, plan=plan, entity_type=EntityType.PLAN, entity_id=plan.pk, field=IMPORTED, old=None,
               new={"file": self.report.filename, "format": "json", "from_reference": self.doc["plan"]["reference"],
                    "exported_at": exported, "recorded_as": people},
               effective_on=max(self.today, plan.agreed_on),
               reason=f"Imported from JSON export {self.report.filename} (exported {exported[:10]}): the plan, its "
                      "journal, updates, date proposals and evidence records restored as they were recorded.")

    def _plan(self) -> Plan:
        data = self.doc["plan"]
        fields = {name: data[name] for name in PLAN_FIELDS if name != "reference"}
        for name in ("commissioned_on", "reported_on", "agreed_on"):
            fields[name] = _d(fields[name])
        fields["created_at"] = _dt(fields["created_at"])
        plan = Plan(reference=self.reference, **fields)
        try:
            plan.full_clean()
        except ValidationError as exc:
            raise _Bad("The plan cannot be restored: " + " ".join(exc.messages)) from None
        self.ids[EntityType.PLAN][data["id"]] = self._create(plan)
        self.report.plan_reference, self.report.plan_title, self.report.new_plan = plan.reference, plan.title, True
        self.report.add(Change(CREATE, f"Plan {plan.reference}", (f"title {plan.title!r}", "restored from JSON")),
                        "plans created")
        return plan

    def _posts(self) -> None:
        existing = {}
        for post in Post.objects.all():
            for name in [post.name, *post.alias_list]:
                existing.setdefault(normalise_post_name(name), post)
        for data in self.doc["posts"]:
            found = next((existing[k] for k in map(normalise_post_name, [data["name"], *data["aliases"]])
                          if k in existing), None)
            if found is not None:
                self.ids[EntityType.POST][data["id"]] = found.pk
                held = [(h.holder_name, h.starts_on, h.ends_on) for h in found.holdings.order_by("starts_on", "pk")]
                wanted = [(h["holder_name"], _d(h["starts_on"]), _d(h["ends_on"])) for h in data["holdings"]]
                if held != wanted:
                    self.report.problem(WARNING, f"the post {found.name!r} exists here already and is used as it is; "
                                        "its holders here differ from the file's", text=data["name"])
                continue
            if not self.administers:
                self.posts_refused.append(data["name"])
                continue
            post = Post(name=data["name"], aliases="\n".join(data["aliases"]), description=data["description"])
            pk = self._create(post)
            for holding in data["holdings"]:
                self._create(PostHolding(post=post, holder_name=holding["holder_name"], user=None,
                                         starts_on=_d(holding["starts_on"]), ends_on=_d(holding["ends_on"])))
            self.ids[EntityType.POST][data["id"]] = pk
            self.new_posts.add(pk)
            self.report.add(Change(CREATE, f"Post {post.name!r}", (f"{len(data['holdings'])} holder(s)",)),
                            "posts created")

        if self.posts_refused:
            raise _Bad("Only an administrator can create posts, and these posts in the file do not exist here: "
                       + ", ".join(repr(n) for n in self.posts_refused) + ". Ask an administrator to add them (or to "
                       "import the file), then import again.")

    def _map(self, kind: str, old_id, what: str = "") -> int:
        try:
            return self.ids[kind][old_id]
        except (KeyError, TypeError):
            raise _Bad(f"The file refers to {kind} {old_id!r}{what}, which it does not contain: it may have been "
                       "edited or damaged.") from None

    def _group(self, old_id) -> int | None:
        if old_id is None:
            return None
        try:
            return self.group_ids[old_id]
        except (KeyError, TypeError):
            raise _Bad(f"The file refers to group {old_id!r}, which it does not contain: it may have been "
                       "edited or damaged.") from None

    def _rows(self, plan: Plan) -> None:
        for data in self.doc["groups"]:
            group = Group(plan=plan, name=data["name"], position=data["position"])
            self.group_ids[data["id"]] = self._save(group, f"group {data['name'][:40]!r}")
        for data in self.doc["recommendations"]:
            rec = Recommendation(plan=plan, ref=data["ref"], slug=data["slug"], group_id=self._group(data["group"]),
                                 source=data["source"], kind=data["kind"], text=data["text"],
                                 position=data["position"])
            self.ids[EntityType.RECOMMENDATION][data["id"]] = self._save(rec, f"recommendation {data['ref'][:40]}")
        for data in self.doc["actions"]:
            rec_id = self._map(EntityType.RECOMMENDATION, data["recommendation"])
            action = Action(plan=plan, recommendation_id=rec_id, number=data["number"], ref=data["ref"],
                            slug=data["slug"], text=data["text"],
                            baseline_on=_d(data["baseline_on"]), due_on=_d(data["due_on"]),
                            due_condition=data["due_condition"], lifecycle=data["lifecycle"],
                            lifecycle_reason=data["lifecycle_reason"], completed_on=_d(data["completed_on"]),
                            version=data["version"], position=data["position"])
            pk = self._save(action, f"action {data['ref'][:40]}")
            self.owner_posts[pk] = [self._map(EntityType.POST, post) for post in data["owner_posts"]]
            if self.writing:
                action.owner_posts.set(self.owner_posts[pk])
                action.supporting_posts.set([self._map(EntityType.POST, post) for post in data["supporting_posts"]])
            self.ids[EntityType.ACTION][data["id"]] = pk
        for data in self.doc["updates"]:
            update = ProgressUpdate(
                action_id=self._map(EntityType.ACTION, data["action"]), period_start=_d(data["period_start"]),
                text=data["text"], author=None, author_name=self.name_of(data.get("author")),
                created_at=_dt(data["created_at"]), updated_at=_dt(data["updated_at"]), version=data["version"])
            self.ids[EntityType.UPDATE][data["id"]] = self._create(update)
        for data in self.doc["proposals"]:
            proposal = DateProposal(
                action_id=self._map(EntityType.ACTION, data["action"]), due_on=_d(data["due_on"]),
                due_condition=data["due_condition"], reason=data["reason"], proposed_by=None,
                proposed_by_name=self.name_of(data.get("proposed_by")),
                proposed_at=_dt(data["proposed_at"]), status=data["status"], decided_by=None,
                decided_at=_dt(data["decided_at"]), decision_comment=data["decision_comment"])
            self.ids[EntityType.PROPOSAL][data["id"]] = self._create(proposal)
        for data in self.doc["evidence"]:
            item = Evidence(
                action_id=self._map(EntityType.ACTION, data["action"]), kind=data["kind"], title=data["title"],
                url=data["url"], original_name=data["original_name"], content_type=data["content_type"],
                size=data["size"], sha256=data["sha256"], added_by=None,
                added_by_name=self.name_of(data.get("added_by")),
                added_at=_dt(data["added_at"]))
            self.ids[EntityType.EVIDENCE][data["id"]] = self._create(item)
        for data in self.doc["comments"]:
            comment = Comment(action_id=self._map(EntityType.ACTION, data["action"]), text=data["text"], author=None,
                              author_name=data["author_name"] or self.name_of(data.get("author")),
                              created_at=_dt(data["created_at"]), edited_at=_dt(data["edited_at"]),
                              version=data["version"])
            self.ids[EntityType.COMMENT][data["id"]] = self._create(comment)
        self._measures(plan)
        self._notices()
        files = sum(1 for data in self.doc["evidence"] if data["kind"] == "file")
        if files:
            self.report.problem(WARNING, f"{files} evidence file(s) are listed with their names and SHA-256, but "
                                "the files themselves are not in a JSON export: attach them again if they are needed")
        for data in self.doc["period_locks"]:
            self._create(PeriodLock(plan=plan, period_start=_d(data["period_start"]), locked_by=None,
                                    locked_at=_dt(data["locked_at"])))
        self._roles(plan)

    def _roles(self, plan: Plan) -> None:
        """The file's roles are listed, never granted: a username here may be someone else. Whoever restores
        the plan from the web manages it; an administrator grants the others on the plan's page."""
        if self.doc["roles"]:
            listed = ", ".join(f"{data['user']} ({data['role']})" for data in self.doc["roles"][:30])
            self.report.problem(WARNING, "the roles on the plan in the file are not restored, because a username "
                                "here may belong to someone else: " + listed + ". An administrator grants roles "
                                "on the plan's page" + (". You are the restored plan's plan manager."
                                                         if self.actor.user is not None else "."))
        if self.actor.user is not None:  # a new plan: its restorer is not its manager yet
            self._create(PlanRole(user=self.actor.user, plan=plan, role="manager"))
            self.granted = True

    def _save(self, row, what: str) -> int:
        """Check a row as the model does; save it, unless previewing. Its id (a placeholder in a preview)."""
        # Links to rows the restore made are ours; in a preview they are placeholders no table holds.
        links = ["plan", "recommendation"] if self.writing else ["plan", "recommendation", "group"]
        try:
            row.full_clean(exclude=links)
        except ValidationError as exc:
            raise _Bad(f"{what} cannot be restored: " + " ".join(exc.messages)) from None
        return self._create(row)

    def _create(self, row) -> int:
        if not self.writing:
            return next(self.placeholders)
        row.save()
        return row.pk

    def _journal(self, plan: Plan) -> None:
        for data in self.doc["journal"]:
            self._event(plan, data)
        for data in self.doc["post_journal"]:
            if self.ids[EntityType.POST].get(data["entity_id"]) in self.new_posts:
                self._event(None, data)

    def _event(self, plan: Plan | None, data: dict) -> None:
        kind = data["entity_type"]
        if kind not in self.ids:
            raise _Bad(f"journal event {data['id']} is about {kind!r}, which is not a kind of thing actiontrack has")
        # The journal's own columns, checked as its model would (it is written directly, not through a form).
        if len(data["field"]) > JournalEvent._meta.get_field("field").max_length:
            raise _Bad(f"journal event {data['id']} names a field no journal has ({data['field'][:40]!r}…)")
        if data["source"] not in ChangeSource.values:
            raise _Bad(f"journal event {data['id']} has an unknown source {str(data['source'])[:20]!r}")
        if len(data["actor_name"] or data["actor"] or "") > JournalEvent._meta.get_field("actor_name").max_length:
            raise _Bad(f"journal event {data['id']} names its author in more than "
                       f"{JournalEvent._meta.get_field('actor_name').max_length} characters")
        entity_id = self._map(kind, data["entity_id"], f" (journal event {data['id']})")
        old = self._values(kind, data["field"], data.get("old"))
        new = self._values(kind, data["field"], data.get("new"))
        if not self.writing:
            if kind == EntityType.ACTION:
                self.replay.setdefault(entity_id, []).append(change_from_row(
                    next(self.sequence), kind, entity_id, data["field"], new, _d(data["effective_on"])))
            return
        JournalEvent.objects.create(
            plan=plan, entity_type=kind, entity_id=entity_id, field=data["field"], old=old, new=new,
            reason=data["reason"], actor=None, actor_name=data["actor_name"] or data["actor"] or "",
            source=data["source"], recorded_at=_dt(data["recorded_at"]), effective_on=_d(data["effective_on"]))

    def _values(self, kind: str, field: str, value):
        """The ids inside an event's values, translated: an action's recommendation and owner posts; the
        action an update, proposal, evidence or comment event is about."""
        if kind == EntityType.RECOMMENDATION and field == "created" and isinstance(value, dict) and "group" in value:
            value = {**value, "group": self._group(value["group"])}
        elif kind == EntityType.RECOMMENDATION and field == "group":
            value = self._group(value)
        elif kind == EntityType.ACTION and field == "created" and isinstance(value, dict):
            value = dict(value)
            value["recommendation"] = self._map(EntityType.RECOMMENDATION, value.get("recommendation"))
            for posts in ("owner_posts", "supporting_posts"):
                if posts in value:
                    value[posts] = sorted(self._map(EntityType.POST, pk) for pk in value.get(posts) or [])
        elif kind == EntityType.ACTION and field in ("owner_posts", "supporting_posts") and isinstance(value, list):
            value = sorted(self._map(EntityType.POST, pk) for pk in value)
        elif kind == EntityType.MEASURE and field == "created" and isinstance(value, dict):
            value = {**value, "recommendation": self._map(EntityType.RECOMMENDATION, value.get("recommendation")),
                     "action": None if value.get("action") is None else self._map(EntityType.ACTION, value["action"])}
        elif kind == EntityType.PLAN and field == NOTICE_FIELD and isinstance(value, dict) and "notice" in value:
            value = {**value, "notice": self.notice_ids.get(value["notice"])}  # None: a file from before notices
        elif kind in RECORDS.values() and isinstance(value, dict) and "action" in value:
            value = {**value, "action": self._map(EntityType.ACTION, value["action"])}
        return value

    def _check_records(self) -> None:
        """Every update, date proposal, evidence record and comment must be in the file's journal, about its
        action, as the services write them: the action page lists only the kinds its journal names
        (selectors.recorded_kinds), so one restored without would never be shown."""
        journalled = {(data["entity_type"], data["entity_id"], data["new"]["action"]) for data in self.doc["journal"]
                      if isinstance(data.get("new"), dict) and isinstance(data["new"].get("action"), int)}
        refs = {data["id"]: data["ref"] for data in self.doc["actions"]}
        for name, kind in RECORDS.items():
            for data in self.doc[name]:
                if (kind, data["id"], data["action"]) not in journalled:
                    raise _Bad(f"{EntityType(kind).label.lower()} {data['id']} of action "
                               f"{str(refs.get(data['action'], data['action']))[:40]} is not in the file's journal; "
                               "the file may have been edited, so it is not restored.")

    def _check(self, plan: Plan) -> None:
        """The restored journal must replay to the restored rows, or the file was edited by hand."""
        for pk, ref, row in self._restored_actions(plan):
            state = state_as_at(self.replay.get(pk, []), date.max)
            if state is None:
                raise _Bad(f"action {ref} has no creation in the file's journal.")
            for field, value in row.items():
                replayed = sorted(state[field]) if field == "owner_posts" else state[field]
                if replayed != value:
                    raise _Bad(f"action {ref}: the file's journal gives {field} {replayed!r} but its action "
                               f"has {value!r}; the file may have been edited, so it is not restored.")

    def _measures(self, plan: Plan) -> None:
        """The plan's measures and their values per period (files before measures have none)."""
        for data in self.doc["measures"]:
            try:
                measure = Measure(plan=plan, name=data["name"][:300], unit=data["unit"][:60],
                                  recommendation_id=self._map(EntityType.RECOMMENDATION, data["recommendation"]),
                                  action_id=(None if data["action"] is None
                                             else self._map(EntityType.ACTION, data["action"])),
                                  direction=data["direction"], period=data["period"], target=Decimal(data["target"]),
                                  tolerance=Decimal(data["tolerance"]), hold_periods=data["hold_periods"],
                                  position=data["position"])
                if measure.direction not in Measure.Direction.values or not measure.target.is_finite():
                    raise ValueError(data["direction"])
                values = [MeasureValue(period_start=_d(v["period_start"]), value=Decimal(v["value"]),
                                       target=Decimal(v["target"]), tolerance=Decimal(v["tolerance"]),
                                       recorded_by=str(v["recorded_by"])[:200], recorded_on=_d(v["recorded_on"]))
                          for v in data["values"]]
            except (ArithmeticError, KeyError, TypeError, ValueError, AttributeError):
                raise _Bad(f"measure {str(data.get('name'))[:60]!r} cannot be read: the file may have been edited "
                           "or damaged.") from None
            self.ids[EntityType.MEASURE][data["id"]] = self._create(measure)
            for value in values:
                value.measure_id = self.ids[EntityType.MEASURE][data["id"]]
                self._create(value)

    def _notices(self) -> None:
        """The off-track notices drafted for the plan's actions, as worded and decided (files before them have
        none). The daily run drafts any still missing."""
        for data in self.doc["off_track_notices"]:
            notice = OffTrackNotice(
                action_id=self._map(EntityType.ACTION, data["action"], f" (off-track notice {data['id']})"),
                agreed_on=_d(data["agreed_on"]), due_on=_d(data["due_on"]), drafted_on=_d(data["drafted_on"]),
                text=data["text"], sent_to=data["sent_to"], status=data["status"], decided_on=_d(data["decided_on"]),
                decided_by=data["decided_by"], note=data["note"])
            try:
                notice.full_clean(exclude=["action"])
            except ValidationError as exc:
                raise _Bad(f"off-track notice {data['id']} cannot be restored: " + " ".join(exc.messages)) from None
            self.notice_ids[data["id"]] = self._create(notice)

    def _external_closures(self) -> None:
        """Each action's closure by an outside body, as its restored journal replays (files before it have none)."""
        for pk, events in self.replay.items():
            state = state_as_at(events, date.max) or {}
            if state.get(EXTERNAL):
                Action.objects.filter(pk=pk).update(external_closure=state[EXTERNAL])

    def _restored_actions(self, plan: Plan):
        """(id, ref, the fields the journal sets) of each action: as saved, or, in a preview, as the file has
        them. When writing, the journal to replay is read back as saved too."""
        if self.writing:
            for event in JournalEvent.objects.filter(plan=plan, entity_type=EntityType.ACTION):
                self.replay.setdefault(event.entity_id, []).append(as_change(event))
            for action in plan.actions.select_related("recommendation").prefetch_related("owner_posts"):
                row = {field: getattr(action, field) for field in ACTION_FIELDS}
                row[DUE] = {"on": action.due_on, "condition": action.due_condition}
                row["owner_posts"] = sorted(p.pk for p in action.owner_posts.all())
                yield action.pk, action.ref, row
            return
        for data in self.doc["actions"]:
            pk = self.ids[EntityType.ACTION][data["id"]]
            row = {field: _d(data[field]) if field.endswith("_on") else data[field] for field in ACTION_FIELDS}
            row[DUE] = {"on": _d(data["due_on"]), "condition": data["due_condition"]}
            row["owner_posts"] = sorted(self.owner_posts[pk])
            yield pk, data["ref"], row
