"""The plain-cursor row reader behind the per-request lookups (actiontrack/ops/rows.py) gives the same instance
the ORM would, on either database: dates, times and booleans converted, extras set, nothing found is None."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session

from actiontrack.ops import rows
from actiontrack.plans.models import Plan


def fields_of(instance):
    return {field.attname: getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields}


def test_a_plan_read_by_the_row_reader_equals_the_orms_with_its_extras(demo):
    sql = f'SELECT {rows.columns(Plan, "p")}, 1 = 1, 2 + 3 FROM "{Plan._meta.db_table}" p WHERE p.reference = %s'
    plan = rows.one(Plan, sql, ["PIP-PR"], ("truth", "five"))
    expected = Plan.objects.get(reference="PIP-PR")
    assert fields_of(plan) == fields_of(expected)
    assert isinstance(plan.agreed_on, type(expected.agreed_on)) and plan.created_at.tzinfo is not None
    assert plan.truth and plan.five == 5
    assert plan._state.db == "default" and not plan._state.adding  # saved as it is, not inserted again


def test_a_user_and_a_session_come_back_with_real_booleans_and_aware_times(plan_manager):
    model = get_user_model()
    sql = f'SELECT {rows.columns(model, "u")} FROM "{model._meta.db_table}" u WHERE u.id = %s'
    user = rows.one(model, sql, [plan_manager.pk])
    assert fields_of(user) == fields_of(model.objects.get(pk=plan_manager.pk))
    assert user.is_active is True and user.is_superuser is False
    assert isinstance(user.date_joined, datetime) and user.date_joined.tzinfo is not None

    store = SessionStore()
    store["k"] = "v"
    store.create()
    sql = f'SELECT {rows.columns(Session, "s")} FROM "{Session._meta.db_table}" s WHERE s.session_key = %s'
    session = rows.one(Session, sql, [store.session_key])
    assert session.expire_date == Session.objects.get(pk=store.session_key).expire_date
    assert session.expire_date.tzinfo is not None


def test_nothing_found_is_none(db):
    sql = f'SELECT {rows.columns(Plan, "p")} FROM "{Plan._meta.db_table}" p WHERE p.reference = %s'
    assert rows.one(Plan, sql, ["NO-SUCH-PLAN"]) is None
