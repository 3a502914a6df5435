"""The board report as a Word document (python-docx), made to be accessible: real heading styles (Title,
Heading 1-3), the document's title and language set (core properties and w:lang on the styles), every table
with a header row that repeats across pages (w:tblHeader), a caption and no merged cells, status cells
shaded AND labelled with their text, and the chart with alt text (docPr descr).

The text is made printable first (renderers/text.py): XML, and so Word, cannot carry control characters. Tables
have a fixed layout, so a long unbroken word wraps at its cell's edge instead of widening the column off the
page (Word and LibreOffice break such a word where the line ends)."""

from __future__ import annotations

import base64
import io
from datetime import UTC, datetime, time

from actiontrack.domain.ukdates import format_long

from ..data import (
    ActionTable,
    BulletList,
    ChangeList,
    EqualityTable,
    NumberedList,
    Paragraph,
    RagKey,
    ReportData,
    SlippageTable,
    StatusSummary,
    Subheading,
)
from .chart import chart_png
from .text import printable_report, shortened

FONT = "Arial"
INK = "0B0C0C"
SECONDARY = "484949"
HEADER_FILL = "F3F2F1"
PAGE_CM, MARGIN_CM = (21.0, 29.7), 1.8  # A4
PROPERTY_LENGTH = 255  # the most a document property (title, subject, ...) may hold
# On a landscape page: Ref, Recommendation, Action, Owner, Delivery date, Progress, Status
ACTION_HEADERS = ["Ref", "Recommendation", "Action", "Owner", "Delivery date", "Progress", "Status"]
ACTION_WIDTHS_CM = (1.2, 4.0, 5.4, 3.4, 2.6, 5.7, 3.8)
SLIP_HEADERS = ["Ref", "Action", "First agreed", "Due now", "Days later", "Revisions",
                "Each revision, why and who approved it"]
SLIP_WIDTHS_CM = (1.2, 6.0, 2.4, 2.8, 1.7, 1.8, 10.2)


def set_text(run, text: str) -> None:
    """A run's text (`run` a w:r element). python-docx turns line breaks and tabs into their elements one
    character at a time, which for the longest texts costs more than the rest of the document; text without
    them is set in one piece."""
    if "\n" in text or "\t" in text or "\r" in text:
        run.text = text  # a "\n" becomes a line break
        return
    run.clear_content()
    if text:
        run.add_t(text)


class Writer:
    """Builds one document. Imports python-docx only when a DOCX is asked for (DESIGN rule 4)."""

    def __init__(self, data: ReportData, template: bytes | None = None):
        from docx import Document
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Cm, Pt, RGBColor

        self.data, self.OxmlElement, self.qn, self.Cm, self.Pt, self.RGBColor = data, OxmlElement, qn, Cm, Pt, RGBColor
        self.templated = template is not None
        self.doc = Document(io.BytesIO(template)) if template else Document()
        if self.templated:
            self._from_template()
        self._page()
        self._styles()
        self._properties()

    # The styles the report uses. A template made in Word often holds some only as "latent" (named, not
    # defined): those are copied from python-docx's own template, so the report can always be built.
    USED_STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Caption", "List Bullet", "Table Grid")

    def _from_template(self) -> None:
        """The organisation's committee-paper template as the start: its styles, page set-up, headers and footers
        (with its logo) kept; its body text (the template's own example wording) removed."""
        from copy import deepcopy

        from docx import Document

        body = self.doc.element.body
        for child in list(body):
            if child.tag != self.qn("w:sectPr"):
                body.remove(child)
        ours = Document().styles
        names = {style.name for style in self.doc.styles}
        for name in self.USED_STYLES:
            if name not in names:
                self.doc.styles.element.append(deepcopy(ours[name].element))

    # Document set-up -------------------------------------------------------------------------------------

    def _orient(self, section, landscape: bool) -> None:
        from docx.enum.section import WD_ORIENT

        width, height = PAGE_CM[::-1] if landscape else PAGE_CM
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = self.Cm(width), self.Cm(height)
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = self.Cm(MARGIN_CM)

    def new_section(self, *, landscape: bool) -> None:
        """What follows starts on a new page, landscape (the action table) or portrait (the rest)."""
        from docx.enum.section import WD_SECTION

        self._orient(self.doc.add_section(WD_SECTION.NEW_PAGE), landscape)

    def _page(self) -> None:
        section = self.doc.sections[0]
        self._orient(section, landscape=False)
        marking = ("DRAFT – " if self.data.is_draft else "") + self.data.classification
        if not (self.templated and self._has_content(section.header)):
            header = section.header.paragraphs[0]
            header.text = marking
            header.runs[0].bold = True
        elif self.data.is_draft:  # the template's header stays; a draft still says it is one
            self._format(section.header.add_paragraph().add_run("DRAFT"), bold=True)
        if self.templated and self._has_content(section.footer):
            if not any(f.get(self.qn("w:instr"), "").strip().startswith("PAGE")
                       for f in section.footer._element.iter(self.qn("w:fldSimple"))):
                self._page_number(section.footer.add_paragraph())
            return
        footer = section.footer.paragraphs[0]
        footer.text = f"{self.data.plan_reference} board report, {self.data.meeting_date:%d/%m/%Y}\t"
        self._page_number(footer)

    def _has_content(self, part) -> bool:
        """Whether a template's header or footer holds anything: text, a picture (its logo) or a field."""
        element = part._element
        return bool("".join(element.itertext()).strip() or next(element.iter(self.qn("w:drawing")), None) is not None
                    or next(element.iter(self.qn("w:fldSimple")), None) is not None)

    def _page_number(self, paragraph) -> None:
        """ "Page 3 of 7" at the right of the footer: Word's PAGE and NUMPAGES fields, which every section (the
        landscape action table too) repeats, since their footers link to the first's."""
        from docx.enum.text import WD_TAB_ALIGNMENT

        paragraph.paragraph_format.tab_stops.add_tab_stop(self.Cm(PAGE_CM[0] - 2 * MARGIN_CM), WD_TAB_ALIGNMENT.RIGHT)
        paragraph.add_run("Page ")
        for instruction, shown in (("PAGE", "1"), ("NUMPAGES", "1")):
            field = self.OxmlElement("w:fldSimple")
            field.set(self.qn("w:instr"), instruction)
            run = self.OxmlElement("w:r")
            text = self.OxmlElement("w:t")
            text.text = shown  # what a reader that does not update fields shows until it does
            run.append(text)
            field.append(run)
            paragraph._p.append(field)
            if instruction == "PAGE":
                paragraph.add_run(" of ")

    def _plain_font(self, style, size: float | None = None, bold: bool | None = None) -> None:
        """Arial in the given size and near-black, with the theme's fonts and colours removed (a theme font
        would win over the named one in Word)."""
        style.font.name = FONT
        style.font.color.rgb = self.RGBColor.from_string(INK)
        if size:
            style.font.size = self.Pt(size)
        if bold is not None:
            style.font.bold = bold
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(self.qn("w:rFonts"))
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(self.qn(attribute), None)
        fonts.set(self.qn("w:cs"), FONT)
        color = rpr.find(self.qn("w:color"))
        for attribute in ("w:themeColor", "w:themeShade", "w:themeTint"):
            color.attrib.pop(self.qn(attribute), None)

    def _styles(self) -> None:
        if self.templated:  # the organisation's fonts and headings stay theirs; only the report's own are added
            self._language()
            self._table_styles()
            return
        styles = self.doc.styles
        self._plain_font(styles["Normal"], 11)
        styles["Normal"].paragraph_format.space_after = self.Pt(6)
        styles["Normal"].paragraph_format.line_spacing = 1.15
        for name, size in (("Title", 20), ("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 11), ("Caption", 10)):
            self._plain_font(styles[name], size, bold=True)
            styles[name].font.italic = False
        styles["Title"].paragraph_format.space_after = self.Pt(12)
        for name in ("Heading 1", "Heading 2", "Heading 3"):
            styles[name].paragraph_format.space_before = self.Pt(14 if name == "Heading 1" else 10)
            styles[name].paragraph_format.space_after = self.Pt(4)
        self._language()
        self._table_styles()

    def _language(self) -> None:
        """The language of every run by default: w:lang on the document defaults and on the Normal style."""
        styles = self.doc.styles
        defaults = styles.element.find(self.qn("w:docDefaults"))
        if defaults is None:
            defaults = self.OxmlElement("w:docDefaults")
            styles.element.insert(0, defaults)
        run_defaults = defaults.find(self.qn("w:rPrDefault"))
        if run_defaults is None:
            run_defaults = self.OxmlElement("w:rPrDefault")
            defaults.insert(0, run_defaults)
        default_rpr = run_defaults.find(self.qn("w:rPr"))
        if default_rpr is None:
            default_rpr = self.OxmlElement("w:rPr")
            run_defaults.append(default_rpr)
        for rpr in (default_rpr, styles["Normal"].element.get_or_add_rPr()):
            lang = rpr.find(self.qn("w:lang"))
            if lang is None:
                lang = self.OxmlElement("w:lang")
                rpr.append(lang)
            lang.set(self.qn("w:val"), self.data.language)
            lang.set(self.qn("w:eastAsia"), self.data.language)

    def _table_styles(self) -> None:
        """Paragraph styles for table cells and a character style per status colour, so that thousands of cells
        need no direct formatting (and the document stays small and consistent)."""
        from docx.enum.style import WD_STYLE_TYPE

        styles = self.doc.styles
        for name, size, colour, bold in (("Table Text", 10, INK, False), ("Table Note", 9, SECONDARY, False),
                                         ("Table Head", 10, INK, True)):
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
            style.font.size = self.Pt(size)
            style.font.bold = bold
            style.font.color.rgb = self.RGBColor.from_string(colour)
            style.paragraph_format.space_before = self.Pt(0)
            style.paragraph_format.space_after = self.Pt(2)
            style.paragraph_format.line_spacing = 1.0
        self.style_ids = {name: styles[name].style_id for name in (
            "Table Text", "Table Note", "Table Head", "List Bullet", "Caption", "Normal")}
        for status in self.data.statuses():
            style = styles.add_style(f"Status {status.label}", WD_STYLE_TYPE.CHARACTER)
            style.font.bold = True
            style.font.color.rgb = self.RGBColor.from_string(status.ink.lstrip("#").upper())
            self.style_ids[f"status:{status.key}"] = style.style_id

    def _properties(self) -> None:
        props = self.doc.core_properties
        day = self.data.issued_on or self.data.as_at
        stamp = datetime.combine(day, time(0, 0), tzinfo=UTC)
        for name, value in (
                ("title", self.data.title), ("subject", self.data.plan_title),
                ("author", self.data.authors or self.data.organisation), ("last_modified_by", "actiontrack"),
                ("language", self.data.language),
                ("keywords", f"{self.data.plan_reference}; board report; improvement plan"),
                ("comments", f"Status of actions as at {self.data.as_at:%d/%m/%Y}. {self.data.status}."),
                ("category", self.data.classification)):
            setattr(props, name, shortened(" ".join(value.split()), PROPERTY_LENGTH))
        props.created = props.modified = stamp
        props.revision = 1

    # Pieces ----------------------------------------------------------------------------------------------

    def paragraph(self, text: str, style: str | None = None, *, size: float | None = None, colour: str | None = None,
                  bold: bool = False):
        paragraph = self.doc.add_paragraph()
        if style:
            paragraph._p.style = self.style_ids[style]
        run = paragraph.add_run()
        set_text(run._r, text)
        self._format(run, size=size, colour=colour, bold=bold)
        return paragraph

    def _format(self, run, *, size=None, colour=None, bold=False) -> None:
        if size:
            run.font.size = self.Pt(size)
        if colour:
            run.font.color.rgb = self.RGBColor.from_string(colour.lstrip("#").upper())
        if bold:
            run.bold = True

    def _shade(self, parent_pr, fill: str) -> None:
        shading = self.OxmlElement("w:shd")
        shading.set(self.qn("w:val"), "clear")
        shading.set(self.qn("w:color"), "auto")
        shading.set(self.qn("w:fill"), fill.lstrip("#").upper())
        parent_pr.append(shading)

    def table(self, caption: str, headers: list[str], rows: list[list], widths_cm: tuple[float, ...]):
        """A table with a caption, one header row marked to repeat on every page, and no merged cells. A cell is
        a string, or a (lines, status) pair: lines after the first are notes; a status shades the cell and
        labels it with its text."""
        self.paragraph(caption, "Caption")
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = self.doc.styles["Table Grid"]
        table.autofit = False  # fixed layout: the widths below
        for column, width in zip(table.columns, widths_cm, strict=True):
            column.width = self.Cm(width)  # on the grid, which add_row copies into each new cell
        tbl_pr = table._tbl.tblPr
        for tag, value in (("w:tblCaption", caption), ("w:tblDescription", caption)):
            element = self.OxmlElement(tag)
            element.set(self.qn("w:val"), value)
            tbl_pr.append(element)
        header = table.rows[0]
        header_pr = header._tr.get_or_add_trPr()
        for tag in ("w:cantSplit", "w:tblHeader"):
            header_pr.append(self.OxmlElement(tag))
        for cell, text, width in zip(header.cells, headers, widths_cm, strict=True):
            cell.width = self.Cm(width)
            self._fill(cell, text, head=True)
            self._shade(cell._tc.get_or_add_tcPr(), HEADER_FILL)
        self._rows(table, rows)
        self.doc.add_paragraph()
        return table

    def header_grid(self, data: ReportData) -> None:
        """The report's details as committee papers lay them out: label | value | label | value, labels shaded and
        bold. A layout of pairs, read left to right, so it has no header row (and no merged cells: a row with one
        pair leaves the other two cells empty)."""
        self.paragraph("Report details", "Caption")
        table = self.doc.add_table(rows=0, cols=4)
        table.style = self.doc.styles["Table Grid"]
        table.autofit = False
        widths = (3.6, 5.1, 3.6, 5.1)
        for column, width in zip(table.columns, widths, strict=True):
            column.width = self.Cm(width)
        for left, right in data.header_rows:
            cells = table.add_row().cells
            for index, field in ((0, left), (2, right)):
                if field is None:
                    continue
                self._fill(cells[index], field.label, head=True)
                self._shade(cells[index]._tc.get_or_add_tcPr(), HEADER_FILL)
                self._fill(cells[index + 1], field.value)
            for cell, width in zip(cells, widths, strict=True):
                cell.width = self.Cm(width)
        tbl_pr = table._tbl.tblPr
        for tag in ("w:tblCaption", "w:tblDescription"):
            element = self.OxmlElement(tag)
            element.set(self.qn("w:val"), "Report details")
            tbl_pr.append(element)
        self.doc.add_paragraph()

    def _rows(self, table, rows: list[list]) -> None:
        """The body rows. python-docx builds one blank row (its cells' widths, a "Table Text" paragraph with an
        empty run in each) and one "Table Note" paragraph; every row is then a copy of the blank row with its
        texts, notes, and status shading and style. Copying elements is far quicker than building each cell
        through the API, which matters for a table of a thousand actions (bench/report_generation.py)."""
        from copy import deepcopy

        blank = table.add_row()
        blank._tr.get_or_add_trPr().append(self.OxmlElement("w:cantSplit"))
        for cell in blank.cells:
            self._fill(cell, "")
        note = deepcopy(blank.cells[0].paragraphs[0]._p)
        note.style = self.style_ids["Table Note"]
        blank_tr = blank._tr
        tbl = table._tbl
        tbl.remove(blank_tr)
        for values in rows:
            tr = deepcopy(blank_tr)
            for tc, value in zip(tr.tc_lst, values, strict=True):
                lines, status = value if isinstance(value, tuple) else ([value], None)
                run = tc.p_lst[0].r_lst[0]
                set_text(run, lines[0])
                for line in lines[1:]:
                    paragraph = deepcopy(note)
                    set_text(paragraph.r_lst[0], line)
                    tc.append(paragraph)
                if status is not None:
                    run.style = self.style_ids[f"status:{status.key}"]
                    self._shade(tc.get_or_add_tcPr(), status.fill)
            tbl.append(tr)

    def _fill(self, cell, text: str, *, head: bool = False) -> None:
        paragraph = cell.paragraphs[0]
        paragraph._p.style = self.style_ids["Table Head" if head else "Table Text"]
        set_text(paragraph.add_run()._r, text)

    # Blocks ----------------------------------------------------------------------------------------------

    def block(self, block) -> None:
        match block:
            case Paragraph():
                self.paragraph(block.text)
            case Subheading():
                self.doc.add_heading(block.text, level=2)
            case BulletList():
                for item in block.items:
                    self.paragraph(item, "List Bullet")
            case NumberedList():
                for item in block.items:
                    paragraph = self.paragraph(f"{item.number} {item.text}")
                    paragraph.paragraph_format.left_indent = self.Cm(0.8)
                    paragraph.paragraph_format.first_line_indent = self.Cm(-0.8)
            case RagKey():
                for status in block.statuses:
                    paragraph = self.doc.add_paragraph()
                    run = paragraph.add_run(f"{status.title}.")
                    self._format(run, bold=True, colour=status.ink)
                    self._shade(run._r.get_or_add_rPr(), status.fill)
            case ActionTable():
                self.new_section(landscape=True)
                self.table(block.caption, ACTION_HEADERS, [
                    [row.ref, row.recommendation, row.text, row.owners,
                     ([row.due, f"was {row.baseline}"], None) if row.baseline else row.due,
                     ([row.progress, row.progress_by], None) if row.progress_by else row.progress,
                     ([row.status.title, row.reason, *([f"{row.assurance}: {row.assurance_reason}"]
                                                       if row.assurance else [])], row.status)]
                    for row in block.rows], ACTION_WIDTHS_CM)
                self.new_section(landscape=False)
            case StatusSummary():
                self.table(block.caption, ["Status", "Actions"],
                           [[([c.status.title], c.status), str(c.count)] for c in block.counts]
                           + [["Total", str(block.total)]], (6.0, 2.5))
                self.doc.add_picture(io.BytesIO(chart_png(block)), width=self.Cm(14))
                doc_pr = self.doc.inline_shapes[-1]._inline.docPr
                doc_pr.set("descr", block.chart_alt)
                doc_pr.set("title", block.caption)
                self.paragraph("The chart shows the numbers in the table.", size=9, colour=SECONDARY)
            case ChangeList():
                self.paragraph(block.intro)
                for group in block.listed:
                    self.doc.add_heading(group.title, level=3)
                    for item in group.items:
                        self.paragraph(item, "List Bullet")
                if block.none_line:
                    self.paragraph(block.none_line)
            case SlippageTable():
                self.new_section(landscape=True)
                self.doc.add_heading(block.heading, level=2)
                self.table(block.caption, SLIP_HEADERS, [
                    [row.ref, row.text, row.baseline, row.due, str(row.days), str(row.revisions),
                     (list(row.history), None) if row.history else "—"] for row in block.rows], SLIP_WIDTHS_CM)
                self.new_section(landscape=False)
            case EqualityTable():
                def cell(row):
                    return ([row.impact, row.note], None) if row.note else row.impact

                self.table(block.caption, ["Protected characteristic", "Impact"] * 2,
                           [[value for row in pair for value in (row.characteristic, cell(row))]
                            + ["", ""] * (2 - len(pair)) for pair in block.pairs], (4.6, 4.1, 4.6, 4.1))
            case _:
                raise ValueError(f"the DOCX renderer cannot draw a {block.kind!r} block")

    def _brand(self) -> None:
        """The organisation's logo (unless its template carries its own) and name, above the title."""
        data = self.data
        if data.logo and not self.templated:
            png = base64.b64decode(data.logo.split(",", 1)[1])
            self.doc.add_picture(io.BytesIO(png), height=self.Cm(1.8))
            doc_pr = self.doc.inline_shapes[-1]._inline.docPr
            doc_pr.set("descr", data.logo_alt)
            doc_pr.set("title", data.logo_alt)
        if data.organisation:
            self.paragraph(data.organisation, bold=True)

    def write(self) -> bytes:
        data = self.data
        self._brand()
        self.paragraph(f"Report to the {data.meeting} · {format_long(data.meeting_date)}", colour=SECONDARY)
        self.doc.add_heading(data.subject, level=0)
        if data.is_draft:
            self.paragraph("Draft – the table shows the plan as it is now recorded for "
                           f"{format_long(data.as_at)}; it may still change until the report is issued.",
                           bold=True)
        self.header_grid(data)
        for section in data.sections:
            self.doc.add_heading(section.heading, level=1)
            for block in section.blocks:
                self.block(block)
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def render(data: ReportData, template: bytes | None = None) -> bytes:
    """The report as a DOCX: on the organisation's committee-paper template when one is given, else on ours."""
    return Writer(printable_report(data), template).write()
