from django import template

from actiontrack.web import charts

register = template.Library()


@register.simple_tag
def rag_bar(counts, title, chart_id):
    return charts.rag_bar(counts, title, chart_id)


@register.simple_tag
def trend_lines(points, title, chart_id):
    return charts.trend_lines(points, title, chart_id)
