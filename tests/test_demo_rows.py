"""The tests' copy of the demo (tests/demo_rows.py) is the demo: the same rows the loader writes, and a
database the loader then finds complete."""

from django.contrib.auth import get_user_model

from actiontrack.plans.demo import load_demo
from tests.demo_rows import restore


def _rows(model):
    return list(model._base_manager.order_by("pk").values())


def test_the_copy_holds_every_row_the_loader_wrote_and_the_loader_then_adds_nothing(db, demo_rows):
    result = restore(demo_rows)
    assert result.plan.reference == "PIP-PR" and result.plan.actions.count() == 10
    for model, rows in demo_rows.tables:
        assert _rows(model) == rows, model._meta.label
    again = load_demo()
    assert again.created is False and again.passwords == {}
    for model, rows in demo_rows.tables:
        assert _rows(model) == rows, f"the loader changed {model._meta.label} after the copy"


def test_people_made_before_and_after_the_demo_do_not_collide_with_its_rows(outsider, demo):
    later = get_user_model().objects.create_user("later", password="a later user's long password")
    demo_ids = set(get_user_model().objects.filter(
        username__in=["pmo", "cparker", "earwicker", "verifier", "board"]).values_list("pk", flat=True))
    assert len(demo_ids) == 5 and not demo_ids & {outsider.pk, later.pk}
    assert later.pk > max(demo_ids)
