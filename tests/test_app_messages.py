"""How many widget messages an app's cell sends when the page is built.

Issue 10 §1: on a busy machine a kernel delivers its widget messages after the cell's reply,
and the largest app cells (workbooks 04, 10, 11: 700-1 070 messages) were the ones whose app
got lost. Fewer messages mean a lighter, faster first visit; these tests keep the count down
(classes given at construction instead of ``add_class`` right after).
"""

from __future__ import annotations

import collections

import pytest
from ipywidgets.widgets import widget as ipywidget

from coopkit.ui import CashFlowApp, MemberIncomeApp, NumberBox, WhatIfApp


@pytest.fixture
def messages(monkeypatch):
    """Counts of comm opens and state updates (by widget class and trait) sent from now on."""
    sent = collections.Counter()
    original_open, original_send = ipywidget.Widget.open, ipywidget.Widget.send_state

    def open_(self):
        sent["open", type(self).__name__] += 1
        return original_open(self)

    def send_state(self, key=None):
        keys = key if isinstance(key, (list, tuple, set)) else [key or "*"]
        for k in keys:
            sent["update", k] += 1
        return original_send(self, key)

    monkeypatch.setattr(ipywidget.Widget, "open", open_)
    monkeypatch.setattr(ipywidget.Widget, "send_state", send_state)
    return sent


def test_a_number_box_is_built_with_its_classes(messages):
    NumberBox("price_per_unit", 16_000, "vi", money=True)
    assert messages["update", "_dom_classes"] == 0


@pytest.mark.parametrize(("app_class", "kwargs", "most"), [
    (CashFlowApp, {"product": "ca_phe_nhan_son_la"}, 800),   # 1 075 before
    (MemberIncomeApp, {}, 750),                              # 829 before
    (WhatIfApp, {"product": "cam_lac_thuy", "channel": "trader"}, 720),
])
def test_the_largest_apps_send_fewer_messages(messages, app_class, kwargs, most):
    app_class(lang="vi", standalone=False, **kwargs)
    total = sum(messages.values())
    assert total <= most, messages.most_common(10)
