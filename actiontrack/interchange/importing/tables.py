"""From tables of cells (Word tables, sheets, CSV) to actions, whatever shape the table has: header rows
found and repeated ones skipped, continuation rows (recommendation cell blank or merged) kept under their
recommendation, rows split across pages joined, numbered recommendations ("1)", "Rec 1", "AFI 3") read,
empty rows and notes below the table left out. Each format module only turns its file into Grids."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.references import REF_MAX, clean_ref

from . import decisions
from .base import ERROR, WARNING, Column, Location, ParsedRow, ParseResult, Problem, Rows, rec_key
from .columns import FIELD_BY_KEY, HEADER_KIND, PERCENT_STATUS, detect, header_score, normalise
from .grid import MERGED, Grid, cell_text, short, sub_headers
from .groups import GROUP_HEADING, NAMED_GROUP, as_at, group_name
from .refs import has_action_number, parse_ref, split_reference
from .row_values import check_lengths, read_values
from .titles import title_from, title_from_cover
from .values import status_meanings

HEADER_SCAN = 30  # rows searched for the header row at the top of each table or sheet
IDENTIFYING = ("ref", "owner", "due", "revised", "baseline", "status")
_TERMINAL = re.compile(r"[.!?;:)]\s*$")
_NOTE = re.compile(r"^\s*(notes?|key|source|nb|n\.b\.|\*)\b", re.I)


@dataclass
class _Rec:
    ref: str  # as the source writes it, or the next number where it gives none
    text: str
    kind: str
    own_cell: bool  # the recommendation cell of the last row held this text itself
    group: str = ""
    conflict: bool = False  # its reference is another recommendation's in the same group

    @property
    def key(self) -> tuple[str, str]:
        return rec_key(self.group, self.ref)


@dataclass
class Shape:
    """What the assembler found, for the result: title, columns, notes and owner names."""

    title: str = ""
    columns: list[Column] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    owner_names: dict[str, None] = field(default_factory=dict)
    samples: dict[tuple[str, int], str] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)  # each status value found -> the lifecycle it is read as
    rows: int = 0
    as_at: date | None = None  # "As at 31 March 2022" above a header
    split_ref: str = ""  # the first Ref cell such as "AFI 1.1", which may be whole or a recommendation's and action's
    split_ref_default: str = ""  # how such a cell is read when the plan manager does not say (decisions.REFS_*)


def words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


class Assembler:
    """Reads grids into ParsedRows. With `report=False` (the second reading, when the rows are applied)
    nothing is recorded: the first reading already reported every problem."""

    def __init__(self, mapping: dict[str, str] | None, max_rows: int, problems: list[Problem] | None,
                 shape: Shape | None, listed: dict[int, str] | None = None):
        self.mapping = mapping or {}
        self.max_rows = max_rows
        self.problems = problems
        self.shape = shape
        self.listed = listed or {}  # numbered recommendations written above the table (Word documents)
        self.rec: _Rec | None = None
        # Memory grows with the recommendations and actions of a tracker, so these hold small things: a hash
        # of each recommendation's words (one process reads both times), a short text, one int per ref.
        self.rec_by_text: dict[tuple[str, int], str] = {}  # (group, hash of its words) -> reference
        self.texts_by_ref: dict[tuple[str, str], tuple[int, str]] = {}
        self.numbers_used: dict[str, int] = {}  # per group: the highest plain number, to number what has none
        self.actions_in: dict[tuple[str, str], int] = {}
        # Each action's (group, recommendation, ref) by its hash, to find one that appears twice: three strings a
        # row were two thirds of the parse's memory at 10,000 rows (bench/IMPORT.md); two keys of 64 bits
        # colliding is about one chance in 10^11 at that size.
        self.refs_seen: dict[int, int] = {}
        self.group = ""  # the group the rows being read are in (a heading row, a group column, a sheet)
        self.pending: ParsedRow | None = None
        self.count = 0
        self.physical = 0
        self.stopped = False
        self.warned: set[str] = set()
        self.no_action_column: set[str] = set()  # tables read as one action per recommendation
        self.cover_texts: list[str] = []  # texts of sheets with no header row (a cover names the plan)
        self.meanings = status_meanings(mapping)  # the plan's own status words, as the person importing gave them
        self.header_kind = ""  # the kind the recommendation column's header names ("Finding")
        self.percent = False  # the status column is a "% complete"
        self.text_from_rec: set[int] = set()  # rows (by id) whose action text is their recommendation's
        self.refs_chosen = decisions.refs(mapping)  # how a Ref such as "AFI 1.1" is read, if the person said

    # Reporting ------------------------------------------------------------------------------------------

    def problem(self, severity: str, message: str, location: Location, text: str = "",
                row: ParsedRow | None = None, once: str = "") -> None:
        if row is not None and severity == ERROR:
            row.has_errors = True
        if self.problems is None:
            return
        if once:
            if once in self.warned:
                return
            self.warned.add(once)
        self.problems.append(Problem(severity, message, location, text))

    def note(self, message: str) -> None:
        if self.shape is not None and len(self.shape.notes) < 200:
            self.shape.notes.append(message)

    # Reading --------------------------------------------------------------------------------------------

    def read(self, grids: Iterable[Grid]) -> Iterator[ParsedRow]:
        previous: tuple[list[Column], int, list[str]] | None = None
        found_any = False
        for grid in grids:
            previous = yield from self._grid(grid, previous)
            found_any = found_any or previous is not None
            if self.stopped:
                break
        if self.pending is not None:
            yield self._finish(self.pending)
            self.pending = None
        if self.shape is not None and not self.shape.title:
            self.shape.title = title_from_cover(self.cover_texts)
        if not found_any:
            expected = ", ".join(FIELD_BY_KEY[k].label for k in ("ref", "recommendation", "action", "owner", "due"))
            self.problem(ERROR, "No table with a header row I recognise: the first rows of a table must name its "
                         f"columns, such as {expected}. Add a header row or map the columns.", Location())

    def _grid(self, grid: Grid, previous: tuple[list[Column], int, list[str]] | None):
        columns = None
        width = 0
        header_keys: list[str] = []
        header_texts: list[str] | None = None  # the header row's cells, until the row after it has been seen
        above: list[str] = []  # the first text of each row above the header: a title, perhaps
        scanned = 0
        blank_run = 0
        last: dict[int, object] = {}
        if grid.group is not None:  # a sheet, or a table with a heading above it
            self.group = grid.group
        for row_number, cells in grid.rows:
            self.physical += 1
            if self.physical > self.max_rows * 3 + 1000:
                self.problem(ERROR, f"the file has more than {self.physical - 1:,} rows; an import takes at most "
                             f"{self.max_rows:,} actions (setting IMPORT_MAX_ROWS)", Location(grid.name, row_number))
                self.stopped = True
                break
            cells = list(cells)
            if columns is None:
                texts = [c if isinstance(c, str) else "" for c in cells]
                if header_score(texts, self.mapping):
                    if self.shape is not None and not self.shape.title:
                        self.shape.title = title_from(above)
                    columns, width = self._header(grid, cells), len(cells)
                    if grid.group:
                        self.note(f"{grid.name}: its rows are in the group {grid.group!r}, which its "
                                  f"{'heading' if grid.name.startswith('Table') else 'name'} gives.")
                    header_keys = [normalise(t) for t in texts]
                    header_texts = [cell_text(c) for c in cells]
                    continue
                if (grid.may_continue and scanned == 0 and previous and len(cells) == previous[1]
                        and any(cell_text(c) for c in cells)):
                    columns, width = [Column(grid.name, c.index, c.label, c.header, c.key, c.field, c.detected,
                                             c.note) for c in previous[0]], previous[1]
                    header_keys = previous[2]  # its header, repeated under a heading, is skipped too
                    self.note(f"{grid.name} has no header row and as many columns as the table before it: read as "
                              "its continuation on the next page.")
                else:
                    scanned += 1
                    first = next((cell_text(c) for c in cells if cell_text(c)), "")
                    if first:
                        self._above(grid, row_number, first)
                        above.append(first)
                    if scanned >= HEADER_SCAN:
                        break
                    continue
            resolved = [last.get(i, "") if c is MERGED else c for i, c in enumerate(cells)]
            merged = {i for i, c in enumerate(cells) if c is MERGED}
            last = dict(enumerate(resolved))
            texts = [cell_text(c) for c in resolved]  # each cell cleaned once
            if not any(texts):
                blank_run += 1
                continue
            if header_texts is not None:  # the row after the header: the second row of a two-row header?
                combined = sub_headers(header_texts, texts)
                header_texts = None
                if combined is not None:
                    if self.shape is not None:
                        del self.shape.columns[-len(columns):]
                    columns = self._header(grid, combined)
                    named = ", ".join(repr(combined[i]) for i, t in enumerate(texts) if t)
                    self.note(f"{grid.name}, row {row_number}: a second header row, read with the header above it "
                              f"({named}).")
                    continue
            if len(texts) == len(header_keys) and all(normalise(t) == k
                                                       for t, k in zip(texts, header_keys, strict=True)):
                self.note(f"{grid.name}, row {row_number}: the header row repeated (as on each page); skipped.")
                continue
            yield from self._row(grid, columns, row_number, resolved, texts, merged, blank_run)
            blank_run = 0
            if self.stopped:
                break
        if columns is None:
            self.cover_texts.extend(above)  # a sheet that is not a tracker: its texts may still name the plan
            if scanned:
                self.note(f"{grid.name}: no header row naming an action or recommendation column in its first "
                          "rows; not read.")
            return previous
        return columns, width, header_keys

    def _above(self, grid: Grid, number: int, text: str) -> None:
        """A line above the header: a heading naming the table's group ("Pillar: Effectiveness"), or the date
        the tracker is as at ("As at 31 March 2022")."""
        if NAMED_GROUP.fullmatch(text) and len(text) <= 120:
            self.group = group_name(text)
            self.note(f"{grid.name}, row {number}: a heading above the table ({short(text)!r}); its rows are in "
                      "that group.")
        elif self.shape is not None and not self.shape.as_at and (day := as_at(text)):
            self.shape.as_at = day

    def _header(self, grid: Grid, cells: list) -> list[Column]:
        headers = [(i, grid.label(i), cell_text(c)) for i, c in enumerate(cells) if cell_text(c)]
        columns = detect(grid.name, headers, self.mapping, hidden=grid.hidden)
        self.header_kind = next((HEADER_KIND.get(c.key, "") for c in columns if c.field == "recommendation"), "")
        self.percent = any(c.field == "status" and c.key in PERCENT_STATUS for c in columns)
        if self.shape is not None:
            self.shape.columns.extend(columns)
        return columns

    # One row --------------------------------------------------------------------------------------------

    def _row(self, grid: Grid, columns: list[Column], number: int, cells: list, texts: list[str],
             merged: set[int], blank_run: int) -> Iterator[ParsedRow]:
        raw: dict[str, object] = {}
        text: dict[str, str] = {}
        where: dict[str, str] = {}
        for column in columns:
            if column.field and column.index < len(cells) and column.field not in raw:
                raw[column.field] = cells[column.index]
                text[column.field] = texts[column.index]
                where[column.field] = column.where
        filled = [i for i, t in enumerate(texts) if t]
        if self.shape is not None and len(self.shape.samples) < len(self.shape.columns):
            for column in columns:
                if column.index < len(cells) and texts[column.index]:
                    self.shape.samples.setdefault((column.table, column.index), short(texts[column.index], 40))
        mapped_filled = [key for key, value in text.items() if value]
        location = Location(grid.name, number)
        rec_merged = any(c.field == "recommendation" and c.index in merged for c in columns)
        rec_cell = "" if rec_merged else text.get("recommendation", "")
        action_cell = text.get("action", "")
        identifying = [key for key in IDENTIFYING if key in raw]
        has_identity = any(text.get(key) for key in identifying)

        if not mapped_filled:
            self.note(f"{grid.name}, row {number}: text only in columns that are not imported; skipped.")
            return
        if len(filled) == 1 and NAMED_GROUP.fullmatch(texts[filled[0]]) and mapped_filled[0] != "action":
            yield from self._group_heading(grid, number, texts[filled[0]])
            return
        if len(filled) > 1 and len({texts[i] for i in filled}) == 1 and len(filled) == len(cells) \
                and GROUP_HEADING.fullmatch(texts[filled[0]]):
            yield from self._group_heading(grid, number, texts[filled[0]])
            return
        if len(filled) == 1 and mapped_filled[0] not in ("action", "recommendation"):
            lone = short(text[mapped_filled[0]])
            self.note(f"{grid.name}, row {number}: a note beside or below the table ({lone!r}); not imported.")
            return
        if len(filled) > 1 and len({texts[i] for i in filled}) == 1 and len(filled) == len(cells):
            self.note(f"{grid.name}, row {number}: one text across the whole row ({short(texts[filled[0]])!r}),"
                      " a note; not imported.")
            return
        if not action_cell and not has_identity:
            if rec_cell:
                yield from self._recommendation_only(grid, number, rec_cell, blank_run, where)
            elif self.pending is not None:
                self._continue(self.pending, text, number, grid.name)
            return
        previous = self.pending
        if (previous is not None and identifying and not has_identity and action_cell
                and (not rec_cell or self._continues_rec(rec_cell))
                and (action_cell[:1].islower() or not _TERMINAL.search(previous.text))):
            if rec_cell:
                self._append_rec(previous, rec_cell)
            self._continue(previous, text, number, grid.name)
            return
        if self.pending is not None:
            yield self._finish(self.pending)
            self.pending = None
        self.pending = self._new_action(location, raw, text, where, rec_cell)

    def _group_heading(self, grid: Grid, number: int, heading: str) -> Iterator[ParsedRow]:
        """A heading over the rows it groups ("Theme 2: Protection"): they are in that group from here on."""
        if self.pending is not None:
            yield self._finish(self.pending)
            self.pending = None
        self.group = group_name(heading)
        self.note(f"{grid.name}, row {number}: a heading across the table ({short(heading)!r}); the rows below it "
                  "are in that group, and their numbering may restart.")

    def _continues_rec(self, rec_cell: str) -> bool:
        return (self.rec is not None and self.rec.own_cell and split_reference(rec_cell)[0] is None
                and (rec_cell[:1].islower() or not _TERMINAL.search(self.rec.text)))

    def _recommendation_only(self, grid: Grid, number: int, rec_cell: str, blank_run: int,
                             where: dict[str, str]) -> Iterator[ParsedRow]:
        """A row with only recommendation text: the rest of a recommendation split across pages, a
        recommendation heading its actions below, or a note under the table."""
        numbered = split_reference(rec_cell)[0] is not None
        if not numbered and self.rec is not None and words(rec_cell) == words(self.rec.text):
            return
        if not numbered and (blank_run or _NOTE.match(rec_cell)):
            self.note(f"{grid.name}, row {number}: a note below the table ({short(rec_cell)!r}); not imported.")
            return
        if not numbered and self._continues_rec(rec_cell):
            if self.pending is not None and self.pending.rec_key == self.rec.key:
                self._append_rec(self.pending, rec_cell)  # which carries the recommendation's text on too
            else:
                self.rec.text = f"{self.rec.text} {rec_cell}"
            self.note(f"{grid.name}, row {number}: joined to the recommendation above (a row split across pages).")
            return
        if self.pending is not None:
            yield self._finish(self.pending)
            self.pending = None
        self._start_rec(rec_cell, None, "", Location(grid.name, number, where.get("recommendation", "")))
        self.rec.own_cell = False

    def _append_rec(self, row: ParsedRow, rec_cell: str) -> None:
        row.rec_text = f"{row.rec_text} {rec_cell}".strip()
        self.rec.text = row.rec_text

    def _continue(self, row: ParsedRow, text: dict[str, str], number: int, table: str) -> None:
        """A row split across pages: its text belongs to the action above."""
        joined = []
        if text.get("action"):
            row.text = _join(row.text, text["action"])
            joined.append("action text")
        for key in ("progress", "evidence", "status_reason"):
            if text.get(key):
                setattr(row, key, _join(getattr(row, key), text[key]))
                joined.append(FIELD_BY_KEY[key].label.lower())
        if joined:
            self.problem(WARNING, f"joined to action {row.ref} above ({' and '.join(joined)}): read as a row split "
                         "across pages", Location(table, number), short(text.get("action", "")))

    def _refs(self, location: Location, text: dict[str, str], where: dict[str, str],
              rec_cell: str) -> tuple[tuple[str, int | None, str] | None, str]:
        """(the recommendation's reference a Ref cell gives, with the action's number if it gives one, and the
        kind; the action's own reference). The action's own is in an action-ref column, or is a Ref cell that
        extends the recommendation's reference ("E1b" beside "E1 Target …", or under it)."""
        ref = None
        if text.get("ref"):
            ref = parse_ref(text["ref"], whole=self._refs_whole(text["ref"], "action_ref" in where))
            if ref is None:
                self.problem(ERROR, f"{short(text['ref'])!r} is not a reference: one has letters or digits, and "
                             f"at most {REF_MAX} characters", _at(location, where, "ref"), text["ref"])
        action_ref = clean_ref(text.get("action_ref", ""))
        if action_ref and ref is None and not rec_cell:
            numbered = parse_ref(action_ref)
            if numbered and numbered[1]:  # "2.1" in an action-number column: recommendation 2's action 1
                ref = numbered
        if ref and ref[1] is None and not action_ref:
            own = split_reference(rec_cell)[0] if rec_cell else (
                self.rec.ref if self.rec is not None and self.rec.group == self.group else None)
            if own and _extends(ref[0], own):
                return None, ref[0]
        return ref, action_ref

    def _refs_whole(self, cell: str, action_column: bool) -> bool:
        """Whether a Ref such as "AFI 1.1" or "2.1" is the recommendation's reference whole: as the plan manager
        said, else when the table numbers its actions in a column of their own ("AFI 1.1" and "AFI 1.2" are then
        two areas for improvement, each with its actions 1, 2 ...), else not ("2.1" is action 1 of 2)."""
        default = decisions.REFS_WHOLE if action_column else decisions.REFS_SPLIT
        whole = (self.refs_chosen or default) == decisions.REFS_WHOLE
        if self.shape is not None and not self.shape.split_ref and has_action_number(cell):
            ref = clean_ref(cell)
            self.shape.split_ref, self.shape.split_ref_default = short(ref, 40), default
            split = parse_ref(cell)
            read = (f"the recommendation's own reference, {ref!r}" if whole
                    else f"recommendation {split[0]}, action {split[1]}")
            why = ("your choice" if self.refs_chosen else "the table has an action number column" if whole
                   else "the table has no action number column")
            self.note(f"A Ref such as {ref!r} is read as {read} ({why}); choose otherwise in the preview's choices "
                      "(or with --refs on the command line).")
        return whole

    def _start_rec(self, rec_cell: str, ref_given: str | None, ref_kind: str, location: Location) -> None:
        ref, kind, body = split_reference(rec_cell) if rec_cell else (None, "", "")
        if ref_given is not None:
            if ref is not None and ref.casefold() != ref_given.casefold():
                self.problem(WARNING, f"the ref says recommendation {ref_given} but the recommendation is numbered "
                             f"{ref}; the ref is used", location, rec_cell)
            ref = ref_given
        listed = self._listed(body) if body else None
        if ref is None and listed:
            ref = listed[0]
        if ref is None and body and (self.group, hash(words(body))) in self.rec_by_text:
            ref = self.rec_by_text[(self.group, hash(words(body)))]
        if ref is None:  # the source gives none: the next number, never one it gave another
            ref = str(self.numbers_used.get(self.group, 0) + 1)
        full = listed[1] if listed and listed[0] == ref else body
        if listed and listed[0] == ref and words(listed[1]) != words(body):
            self.note(f"Recommendation {ref}: the full text is taken from the numbered list above the table.")
        self.rec = _Rec(ref=ref, text=full, kind=kind or ref_kind or self.header_kind, own_cell=bool(rec_cell),
                        group=self.group)
        other = self.texts_by_ref.get(self.rec.key)
        if other and full and other[0] != hash(words(full)):
            self.rec.conflict = True
            where = f" in {self.group}" if self.group else ""
            self.problem(ERROR, f"recommendation {ref}{where} has the same reference as the different "
                         f"recommendation {other[1]!r} above: give one of them another reference (or put them in "
                         "different groups, if the source restarts its numbering)", location, rec_cell or full)
        elif full:
            self.texts_by_ref[self.rec.key] = (hash(words(full)), short(full))
        if ref.isascii() and ref.isdigit():
            self.numbers_used[self.group] = max(self.numbers_used.get(self.group, 0), int(ref))
        if full:
            self.rec_by_text.setdefault((self.group, hash(words(full))), ref)
            self.rec_by_text.setdefault((self.group, hash(words(body))), ref)

    def _listed(self, body: str) -> tuple[str, str] | None:
        wanted = words(body)
        for number, text in self.listed.items():
            if wanted and words(text).startswith(wanted):
                return str(number), text
        return None

    def _same_rec(self, rec_cell: str) -> bool:
        if self.rec is None or self.rec.group != self.group:
            return False
        ref, _, body = split_reference(rec_cell)
        if ref is not None and ref.casefold() != self.rec.ref.casefold():
            return False
        return words(body) in (words(self.rec.text), "") or words(self.rec.text).startswith(words(body))

    def _new_action(self, location: Location, raw: dict, text: dict[str, str], where: dict[str, str],
                    rec_cell: str) -> ParsedRow:
        if text.get("group"):
            self.group = group_name(text["group"])
        ref, action_ref = self._refs(location, text, where, rec_cell)
        # A plain number in an "Action no." column numbers the action within its recommendation: "2" under R12 is
        # R12.2, not a second action called "2".
        given_number = int(action_ref) if action_ref.isdigit() and len(action_ref) <= 4 else None
        if given_number is not None:
            action_ref = ""
        rec_location = _at(location, where, "recommendation")
        if rec_cell and not self._same_rec(rec_cell):
            self._start_rec(rec_cell, ref[0] if ref else None, ref[2] if ref else "", rec_location)
        elif ref and (self.rec is None or self.rec.key != rec_key(self.group, ref[0])):
            self._start_rec("", ref[0], ref[2], rec_location)
        elif self.rec is None or self.rec.group != self.group:
            self._start_rec("", None, "", rec_location)
            if "recommendation" in raw and not rec_cell:
                self.problem(WARNING, f"no recommendation above this action; it is put under recommendation "
                             f"{self.rec.ref}", rec_location)
        if rec_cell:
            self.rec.own_cell = True
        rec = self.rec
        action_number = given_number or (ref[1] if ref and ref[1] else self.actions_in.get(rec.key, 0) + 1)
        self.actions_in[rec.key] = max(self.actions_in.get(rec.key, 0), action_number)
        row = ParsedRow(location=location, rec_ref=rec.ref, rec_text=rec.text, rec_kind=rec.kind,
                        action_number=action_number, action_ref=action_ref, group=rec.group,
                        text=text.get("action", ""),
                        ref_given=bool(ref and ref[1]) or bool(action_ref) or given_number is not None,
                        columns=where)
        if rec.conflict:
            row.has_errors = True
        key = hash(row.key)
        seen = self.refs_seen.get(key)
        if seen is not None:
            self.problem(ERROR, f"action {row.ref} appears twice: first at row {seen}", row.at("ref"),
                         text.get("ref", ""), row)
        self.refs_seen[key] = location.row or 0
        if not row.text and "action" not in where and rec.text:
            # A committee appendix lists recommendations only: each is its own single action.
            row.text = rec.text
            self.text_from_rec.add(id(row))
            if location.table not in self.no_action_column:
                self.no_action_column.add(location.table)
                self.note(f"{location.table} has no action column: each recommendation is read as its own single "
                          "action, with the recommendation's text as the action's.")
        if not row.text:
            self.problem(ERROR, "the row has no action text", row.at("action"), row=row)
        read_values(row, raw, text, self.meanings, self.problem, percent=self.percent,
                    status_once=f"status:{words(text.get('status', ''))}")
        if self.shape is not None:
            for names in (row.owners, row.supporting):
                if names and len(self.shape.owner_names) < 5000:
                    self.shape.owner_names.setdefault(names, None)
            if row.status_text and len(self.shape.statuses) < 200:
                self.shape.statuses.setdefault(row.status_text, row.lifecycle.value if row.lifecycle else "")
        if text.get("kind") and self.rec is not None and self.rec.key == row.rec_key:
            self.rec.kind = row.rec_kind
        self.count += 1
        if self.count > self.max_rows:
            self.problem(ERROR, f"the file has more than {self.max_rows:,} actions, the most one import takes "
                         "(setting IMPORT_MAX_ROWS); split it or ask an administrator", location, row=row)
            self.stopped = True
        return row

    def _finish(self, row: ParsedRow) -> ParsedRow:
        if self.rec is not None and self.rec.key == row.rec_key:
            row.rec_text = self.rec.text
        if id(row) in self.text_from_rec:  # the recommendation's text as it ended, continuation rows included
            self.text_from_rec.discard(id(row))
            row.text = row.rec_text
        check_lengths(row, self.problem)
        if row.completed_on and row.lifecycle is None:
            self.problem(WARNING, f"action {row.ref} has a completion date but no status; read as completed",
                         row.at("completed"))
            row.lifecycle = Lifecycle.COMPLETED
        elif row.completed_on and not row.lifecycle.is_complete:
            # Said aloud: the apply records a completion date only for a completed action.
            self.problem(WARNING, f"action {row.ref} has a completion date, {row.completed_on:%d/%m/%Y}, but its "
                         f"status is {row.lifecycle.label}: the date is not recorded unless the status says it "
                         "is complete", row.at("completed"))
        if self.shape is not None:
            self.shape.rows += 1
        return row

def _extends(ref: str, own: str) -> bool:
    """Whether `ref` is an action's reference under the recommendation `own`: "E1b" under "E1", "33.22c-2" under
    "33.22c" — but not "12" under "1"."""
    ref, own = ref.casefold(), own.casefold()
    return ref != own and ref.startswith(own) and not ref[len(own)].isdigit()


def _join(first: str, second: str) -> str:
    return f"{first} {second}".strip() if first else second


def _at(location: Location, where: dict[str, str], key: str) -> Location:
    return Location(location.table, location.row, where.get(key, ""))


def assemble(open_grids: Callable[[], Iterable[Grid]], *, mapping: dict[str, str] | None, fmt: str, max_rows: int,
             title: str = "", listed: dict[int, str] | None = None, problems: list[Problem] | None = None,
             keep: bool = False) -> ParseResult:
    """Read the grids once, reporting every problem. The rows are read again, from the file, each time
    they are iterated (keep=True holds them instead, for formats that are in memory anyway)."""
    problems = list(problems or [])
    shape = Shape(title=title)
    first = Assembler(mapping, max_rows, problems, shape, listed)
    kept = None
    if keep:
        kept = list(first.read(open_grids()))
    else:
        for _ in first.read(open_grids()):
            pass

    def again() -> Iterator[ParsedRow]:
        return Assembler(mapping, max_rows, None, None, listed).read(open_grids())

    if shape.statuses:
        shape.notes.append("Status values found, and what each is read as: " + "; ".join(
            f"{value!r} → {Lifecycle(meaning).label if meaning else 'no status'}"
            for value, meaning in shape.statuses.items())
            + ". Give any of them another meaning in the preview (or with --status on the command line).")
    rows = kept if kept is not None else Rows(again, shape.rows)
    columns = [replace(c, sample=shape.samples.get((c.table, c.index), "")) for c in shape.columns]
    return ParseResult(rows=rows, problems=problems, format=fmt, title=shape.title, columns=columns,
                       notes=shape.notes, owner_names=list(shape.owner_names), statuses=dict(shape.statuses),
                       as_at=shape.as_at, split_ref=shape.split_ref, split_ref_default=shape.split_ref_default)
