"""Words the report generates, and authored text turned into blocks. Pure Python: no Django, no database."""

from __future__ import annotations

from collections.abc import Sequence

from .data import Block, BulletList, Paragraph

ON_TRACK = "All objectives are currently on track for completion."
BULLETS = ("- ", "• ", "* ")


def and_list(items: Sequence[str]) -> str:
    """ "1.1", "1.1 and 3.1", "1.1, 3.1 and 5.1" """
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def summary_sentence(overdue_refs: Sequence[str]) -> str:
    """The executive summary's sentence on progress: the source report's words when nothing is overdue,
    otherwise how many actions are overdue and which."""
    if not overdue_refs:
        return ON_TRACK
    count = len(overdue_refs)
    if count == 1:
        return f"1 action is overdue: {overdue_refs[0]}."
    return f"{count} actions are overdue: {and_list(overdue_refs)}."


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def moved_sentence(counts: dict[str, int], overdue: int, first_report: bool) -> str:
    """What moved since the last report, for the executive summary: "Since the last report: 2 actions completed;
    1 date revised; none overdue." `counts` holds the number of changes of each kind (changes.GROUPS' titles)."""
    parts = [text for number, text in (
        (counts.get("Completed", 0), _count(counts.get("Completed", 0), "action completed", "actions completed")),
        (counts.get("Closed after verification", 0), f"{counts.get('Closed after verification', 0)} closed after "
                                                     "verification"),
        (counts.get("Returned to the owner", 0), f"{counts.get('Returned to the owner', 0)} returned to the owner"),
        (counts.get("Due date revisions", 0), _count(counts.get("Due date revisions", 0), "date revised",
                                                     "dates revised")),
        (counts.get("New actions", 0), _count(counts.get("New actions", 0), "new action", "new actions")),
        (counts.get("Cancelled actions", 0), f"{counts.get('Cancelled actions', 0)} cancelled"),
    ) if number]
    parts.append(f"{overdue} overdue" if overdue else "none overdue")
    since = "Since the plan was agreed" if first_report else "Since the last report"
    return f"{since}: {'; '.join(parts)}."


def blocks_from_text(text: str) -> tuple[Block, ...]:
    """Authored text as blocks: paragraphs are separated by a blank line; lines starting "- " (or "• ")
    make a bulleted list. A single line break inside a paragraph is kept as a space."""
    blocks: list[Block] = []
    for chunk in (text or "").replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        paragraph: list[str] = []
        bullets: list[str] = []
        for line in lines:
            bullet = next((line[len(mark):].strip() for mark in BULLETS if line.startswith(mark)), None)
            if bullet is not None:
                if paragraph:
                    blocks.append(Paragraph(" ".join(paragraph)))
                    paragraph = []
                bullets.append(bullet)
            else:
                if bullets:
                    blocks.append(BulletList(tuple(bullets)))
                    bullets = []
                paragraph.append(line)
        if paragraph:
            blocks.append(Paragraph(" ".join(paragraph)))
        if bullets:
            blocks.append(BulletList(tuple(bullets)))
    return tuple(blocks)


def with_sentence(blocks: tuple[Block, ...], sentence: str) -> tuple[Block, ...]:
    """The executive summary: the author's opening, then the sentence on progress in the same paragraph (as
    the source report has it) when the opening ends with a paragraph."""
    if not sentence:
        return blocks
    if blocks and isinstance(blocks[-1], Paragraph):
        return (*blocks[:-1], Paragraph(f"{blocks[-1].text} {sentence}"))
    return (*blocks, Paragraph(sentence))


def shorten(text: str, width: int = 70) -> str:
    """The start of an action's text, cut at a word, for lists of changes."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[:width].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"
