"""Apps show on their root whether they are computing, so that a page (and a browser test) can
wait for them to settle instead of guessing a time (coopkit.ui.base.safe)."""

from __future__ import annotations

from coopkit.ui import BreakEvenApp
from coopkit.ui.base import BUSY_CLASS, DONE_CLASS, safe


def _done(app) -> int:
    counts = [int(c[len(DONE_CLASS):]) for c in app.view._dom_classes if c.startswith(DONE_CLASS)]
    assert len(counts) <= 1, app.view._dom_classes
    return counts[0] if counts else 0


def test_an_input_marks_the_app_busy_while_it_computes_then_counts_it_done():
    app = BreakEvenApp(product="trung_son_nam", lang="vi")
    seen = []
    original = app.compute
    app.compute = lambda: (seen.append(BUSY_CLASS in app.view._dom_classes), original())[1]
    before = _done(app)
    app.control("price_per_unit").text.value = "3.000"
    assert seen == [True]                                   # busy while the domain call ran
    assert BUSY_CLASS not in app.view._dom_classes          # and no longer after
    assert _done(app) == before + 1
    assert "ck-app" in app.view._dom_classes and "ck-ready" in app.view._dom_classes


def test_bad_input_and_a_failing_callback_also_settle():
    app = BreakEvenApp(product="trung_son_nam", lang="vi")
    before = _done(app)
    app.control("price_per_unit").text.value = "abc"
    assert app.error is not None and _done(app) == before + 1
    boom = safe(app, lambda: 1 / 0)
    boom()
    assert BUSY_CLASS not in app.view._dom_classes and _done(app) == before + 2


def test_nested_callbacks_count_once():
    app = BreakEvenApp(product="trung_son_nam", lang="vi")
    before = _done(app)
    inner = safe(app, lambda: None)
    outer = safe(app, lambda: (inner(), inner()))
    outer()
    assert _done(app) == before + 1
