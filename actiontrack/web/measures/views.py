"""A plan's measures: everyone who can see the plan reads each measure's values against its targets (a chart with
the same numbers in a table); its plan managers add measures; owners of the actions concerned, and plan managers,
record each period's value."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from actiontrack.pages.forms import IdChoiceField, UKDateField, add_service_errors
from actiontrack.pages.lookups import actor, plan_or_404
from actiontrack.pages.rendering import Refusal, page, render_page
from actiontrack.plans import permissions as perms
from actiontrack.plans.choices import PeriodKindChoices
from actiontrack.plans.models import Measure, Recommendation
from actiontrack.plans.selectors.measures import measures_as_at
from actiontrack.plans.services import measures as service
from actiontrack.web.charts import measure_bars

refusals = page(refused=Refusal(advice="Measures are set by plan managers; their values are recorded by the owners "
                                       "of the actions concerned."))
TEXT = {"class": "input input--w20"}
NUMBER = {"class": "input input--w10", "inputmode": "decimal"}


class MeasureForm(forms.Form):
    recommendation = IdChoiceField(label="Recommendation", queryset=Recommendation.objects.none(),
                                   widget=forms.Select(attrs={"class": "select"}))
    name = forms.CharField(label="Name", max_length=300, widget=forms.TextInput(attrs=TEXT),
                           help_text="What is counted, for example “Fire safety audits completed”")
    unit = forms.CharField(label="Unit", max_length=60, required=False, widget=forms.TextInput(attrs=TEXT),
                           help_text="For example audits, days, %")
    direction = forms.ChoiceField(label="Which way is better", choices=Measure.Direction.choices,
                                  widget=forms.Select(attrs={"class": "select"}))
    period = forms.ChoiceField(label="Recorded", choices=PeriodKindChoices.choices, initial="quarterly",
                               widget=forms.Select(attrs={"class": "select"}))
    # The figures' ranges and decimals are the service's to check, so the web and the API refuse them alike.
    target = forms.DecimalField(label="Target for each period", widget=forms.TextInput(attrs=NUMBER))
    tolerance = forms.DecimalField(label="Tolerance", min_value=0, initial=0,
                                   widget=forms.TextInput(attrs=NUMBER),
                                   help_text="How far short still counts as within tolerance (amber)")
    hold_periods = forms.IntegerField(label="Periods on target for the change to have held", min_value=1,
                                      max_value=12, initial=2, widget=forms.NumberInput(attrs=NUMBER))

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendation"].queryset = plan.recommendations.order_by("position", "pk")
        self.fields["recommendation"].label_from_instance = lambda rec: f"{rec.ref}: {rec.text[:80]}"


class ValueForm(forms.Form):
    day = UKDateField(label="A day in the period", help_text="Day/month/year: the period that contains it")
    value = forms.DecimalField(label="Value", widget=forms.TextInput(attrs=NUMBER))


@refusals
def index(request, reference):
    plan = plan_or_404(request.user, reference)
    today = timezone.localdate()
    manages = perms.is_manager(request.user, plan)
    form = MeasureForm(request.POST if request.method == "POST" else None, plan=plan)
    if request.method == "POST":
        if not manages:
            raise PermissionDenied(f"Only a plan manager of {plan.reference} can set measures.")
        if form.is_valid():
            data = form.cleaned_data
            try:
                service.measure_add(actor=actor(request), effective_on=today, **data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"The measure “{data['name']}” is added.")
                return redirect("measures:index", plan.reference)
    return _page(request, plan, form, manages)


def _page(request, plan, form: MeasureForm, manages: bool, refused: ValueForm | None = None,
          refused_pk: int | None = None):
    """The measures page; `refused`: a value form sent back with its errors, for measure `refused_pk`."""
    today = timezone.localdate()
    views = measures_as_at(plan, today)
    shown = [{"view": view, "chart": measure_bars(view.points, "the target for each period",
                                                   f"{view.measure.name}: each period against its target",
                                                   f"measure-{view.measure.pk}"),
              "can_record": service.may_record(request.user, view.measure, today),
              "form": refused if view.measure.pk == refused_pk else ValueForm(auto_id=f"m{view.measure.pk}-%s")}
             for view in views]
    return render_page(request, "web/measures/index.html", {
        "plan": plan, "measures": shown, "manages": manages, "form": form, "refused": refused},
        status=400 if form.errors or refused else 200)


@require_POST
@refusals
def record(request, reference, pk):
    plan = plan_or_404(request.user, reference)
    measure = get_object_or_404(Measure, pk=pk, plan=plan)
    form = ValueForm(request.POST, auto_id=f"m{measure.pk}-%s")
    if form.is_valid():
        try:
            service.measure_record(actor=actor(request), measure=measure, today=timezone.localdate(),
                                   **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{measure.name}: the value is recorded.")
            return redirect("measures:index", plan.reference)
    # Said beside its fields, with what was typed kept, on the page it was typed on.
    return _page(request, plan, MeasureForm(plan=plan), perms.is_manager(request.user, plan), refused=form,
                 refused_pk=measure.pk)
