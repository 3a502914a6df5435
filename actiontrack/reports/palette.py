"""The colours behind each RAG colour name, for outputs that cannot use the web stylesheet's tag classes
(DOCX cell shading, PDF and HTML documents, the chart). The fill and ink pairs are GOV.UK's tag palette, as in
web/static/web/actiontrack.css, so a status looks the same everywhere; the bar colours are the strong
GOV.UK colours, for the chart. Colour only ever repeats the status text."""

# colour name: (cell fill, text on that fill, chart bar)
PALETTE = {
    "red": ("#f4cdc6", "#2a0b06", "#d4351c"),
    "amber": ("#fcd6c3", "#6e3619", "#f47738"),
    "green": ("#cce2d8", "#005a30", "#00703c"),
    "blue": ("#bbd4ea", "#0c2d4a", "#1d70b8"),
    "grey": ("#e5e6e7", "#282d30", "#505a5f"),
}
