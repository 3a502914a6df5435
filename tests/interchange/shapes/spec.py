"""What a fixture plan holds and what a correct import of it must produce: the recommendations with the
references and groups their source gives them, their actions, owners, due dates (with the text as written
kept as the condition when it had to be interpreted) and statuses. The builders write the files from these
same objects, so a file and its `<name>.expected.json` cannot drift apart."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

FILES = Path(__file__).parent / "files"


def uk(day: str | None) -> str:
    """"2022-09-30" -> "30/09/2022": how most trackers write a date."""
    return date.fromisoformat(day).strftime("%d/%m/%Y") if day else ""


@dataclass
class Act:
    text: str
    owners: list[str]  # post names (or users' e-mail addresses), lead first
    due: str | None  # ISO: the due date in force a correct import gives; None = no date set
    status: str  # a Lifecycle value
    due_text: str = ""  # as written in the file; "" = uk(due)
    status_text: str = ""  # as written in the file
    ref: str = ""  # the action's own reference as the source gives it ("" = derived from the recommendation's)
    condition: str = ""  # kept with the due date: a condition, or the original text of an interpreted date
    baseline: str | None = None  # the first agreed date, when the file gives one apart from the date in force
    baseline_text: str = ""
    completed_on: str | None = None
    completed_assumed: bool = False  # the completion date is the document's "as at" date, an assumption
    progress: str = ""

    @property
    def written_due(self) -> str:
        return self.due_text or uk(self.due)

    @property
    def written_baseline(self) -> str:
        return self.baseline_text or uk(self.baseline)


@dataclass
class Rec:
    ref: str  # as the source gives it: "AFI 3", "33.22c", "R12", "MD1"
    kind: str  # recommendation, afi, cause_of_concern, must_do, should_do, finding, other
    text: str
    actions: list[Act]
    group: str = ""  # theme, pillar, volume, core service, audit, directorate, source


@dataclass
class Fixture:
    name: str
    file: str
    imitates: str
    classes: list[int]  # the numbered classes of issue 15's "The importer" section it exercises
    title: str
    recommendations: list[Rec]
    group_called: str = ""  # what the source calls its groups
    as_at: str | None = None  # the document's own "as at" date
    default_owner: str = ""  # for a plan that names no owners: the one the plan manager gives (`--owner`)
    notes: list[str] = field(default_factory=list)  # what else a correct import must do with this file

    def actions(self) -> list[tuple[Rec, Act]]:
        return [(rec, act) for rec in self.recommendations for act in rec.actions]

    def expected(self) -> dict:
        data = asdict(self)
        for rec in data["recommendations"]:
            for act in rec["actions"]:
                act.pop("due_text"), act.pop("status_text"), act.pop("baseline_text")
        return data

    def write_expected(self, folder: Path = FILES) -> Path:
        path = folder / f"{self.name}.expected.json"
        path.write_text(json.dumps(self.expected(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return path


def load_expected(name: str, folder: Path = FILES) -> dict:
    return json.loads((folder / f"{name}.expected.json").read_text(encoding="utf-8"))
