"""The colours behind each RAG colour name, for outputs that cannot use the web stylesheet's tag classes
(DOCX cell shading, PDF and HTML documents, the chart). They are domain/rag.COLOURS, the one palette the
stylesheet is checked against (tests/domain/test_colours.py), so a status looks the same everywhere. Colour
only ever repeats the status text."""

from actiontrack.domain.rag import COLOURS

# colour name: (cell fill, text on that fill, chart bar)
PALETTE = {name: (colour["fill"], colour["text"], colour["strong"]) for name, colour in COLOURS.items()}
