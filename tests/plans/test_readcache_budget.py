"""The read cache stays within its memory budget (ACTIONTRACK_READ_CACHE_MB), least recently used out first,
and can be turned off. No database: these keys carry made-up versions."""

from actiontrack.plans import readcache


class Built:
    def __init__(self):
        self.calls = 0

    def __call__(self, value):
        def build():
            self.calls += 1
            return value
        return build


def test_values_are_dropped_oldest_first_once_the_budget_is_spent(settings):
    settings.READ_CACHE_MB = 1  # 1,000,000 bytes by the cache's estimate
    built = Built()
    for n in range(4):
        readcache.get_or_build(("page", n), built("x" * 240_000))
    assert readcache.size() == (4, 960_000)
    readcache.get_or_build(("page", 0), built("unused"))  # page 0 is now the most recently used
    readcache.get_or_build(("page", 4), built("y" * 240_000))  # over budget: page 1 goes, not page 0
    assert readcache.size() == (4, 960_000)
    assert readcache.get_or_build(("page", 0), built("rebuilt")) == "x" * 240_000
    assert readcache.get_or_build(("page", 1), built("rebuilt")) == "rebuilt"
    assert built.calls == 6


def test_a_value_larger_than_a_quarter_of_the_budget_is_served_but_not_kept(settings):
    settings.READ_CACHE_MB = 1
    built = Built()
    assert readcache.get_or_build(("huge",), built("z" * 300_000)) == "z" * 300_000
    assert readcache.size() == (0, 0)
    readcache.get_or_build(("huge",), built("z" * 300_000))
    assert built.calls == 2


def test_a_value_is_weighed_by_its_length_or_its_own_estimate():
    class View:
        cache_weight = 2_501_000
    assert readcache.weight(View()) == 2_501_000
    assert readcache.weight("abc") == 3 and readcache.weight(b"abcd") == 4 and readcache.weight(7) == 1_000


def test_a_budget_of_zero_turns_the_cache_off(settings):
    settings.READ_CACHE_MB = 0
    built = Built()
    for _ in range(3):
        readcache.get_or_build(("page",), built("x"))
    assert built.calls == 3 and readcache.size() == (0, 0)
