"""The action page's History rows, written in Python for speed, read exactly as the template loop wrote them:
escaping, the reason's dash when there is none, and the time recorded in UK local time (BST in summer)."""

from datetime import UTC, date, datetime

from django.template import Context, Template

from actiontrack.plans.selectors.history import HistoryRow
from actiontrack.web.history_table import history_rows_html

AS_THE_TEMPLATE_WROTE = Template("""{% load uk %}{% for event in history %}    <tr>
      <th scope="row" class="nowrap">{{ event.effective_on|short }}</th>
      <td>{{ event.what }}</td>
      <td class="prewrap">{{ event.old }}</td>
      <td class="prewrap">{{ event.new }}</td>
      <td>{{ event.reason|default:"—" }}</td>
      <td>{{ event.actor }} <span class="hint">{{ event.source }}</span></td>
      <td class="nowrap">{{ event.recorded_at|date:"d/m/Y H:i" }}</td>
    </tr>
{% endfor %}""")


def test_history_rows_are_the_html_the_template_wrote():
    history = [
        HistoryRow(recorded_at=datetime(2021, 7, 1, 23, 30, tzinfo=UTC), effective_on=date(2021, 6, 30),
                   actor="Priya O'Shah", source="Web", what="Due date", old="31/05/2021",
                   new='31/12/2021 (On "Approval")', reason="Board <agreed> & minuted"),
        HistoryRow(recorded_at=datetime(2021, 12, 1, 9, 5, tzinfo=UTC), effective_on=date(2021, 12, 1),
                   actor="Demo loader", source="Demo data", what="Progress update", old="—",
                   new="Line one\nline two – done", reason=""),
    ]
    written = str(history_rows_html(history))
    assert written == AS_THE_TEMPLATE_WROTE.render(Context({"history": history}))
    assert "02/07/2021 00:30" in written  # British Summer Time: the next day, in the UK
    assert "<td>—</td>" in written and "&lt;agreed&gt; &amp; minuted" in written
