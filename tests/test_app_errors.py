"""Bad input shows beside its box, in the page's language, and the last good results stay (STYLE.md §3, §7).

One test for every app: the apps are found by walking ``coopkit/ui`` (every subclass of `App`
in any of its modules), and each number box an app shows (found in the page it builds: every
text box marked ``ck-number`` or ``ck-cell``) is typed letters, nothing, a negative number and a
huge number, on a Vietnamese and on an English page. A new app or a new box is covered without
editing this file. Rules that belong to one app (a grace period longer than the loan, funds above
100 %) are tested beside that app.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil

import ipywidgets as widgets
import pytest

import coopkit.ui
from coopkit import i18n
from coopkit.ui import App


def _all_subclasses(cls: type) -> set[type]:
    return {sub for direct in cls.__subclasses__() for sub in (direct, *_all_subclasses(direct))}


def discover_apps() -> list[type]:
    """Every concrete App class defined in a module of ``coopkit.ui`` (subpackages included)."""
    for module in pkgutil.walk_packages(coopkit.ui.__path__, "coopkit.ui."):
        importlib.import_module(module.name)
    return sorted((cls for cls in _all_subclasses(App)
                   if cls.__module__.startswith("coopkit.ui") and not getattr(cls, "__abstractmethods__", None)),
                  key=lambda cls: cls.__name__)


APPS = discover_apps()

#: What is typed, and the reason the error must carry (None: any reason of the box's own rule).
BAD = {
    "letters": ("abc", "not_a_number"),
    "empty": ("", "empty"),
    "negative": ("-5", None),
    "huge": ("1e308", "out_of_range"),
}


def number_texts(app: App) -> list[tuple[object, widgets.Text]]:
    """(control, text box) for every number box of the controls the page shows."""

    def texts(widget: widgets.Widget) -> list[widgets.Text]:
        if isinstance(widget, widgets.Text):
            return [widget] if {"ck-number", "ck-cell"} & set(widget._dom_classes) else []
        if isinstance(widget, widgets.Box):
            return [t for child in widget.children for t in texts(child)]
        return []

    return [(control, text) for control in app.controls if control.box.layout.display != "none"
            for text in texts(control.box)]


@pytest.fixture(autouse=True)
def _quick_charts(monkeypatch):
    """The chart is not what this test checks: no PNG is encoded for each of the many typings
    (every module of coopkit.ui that draws one gets a stand-in)."""
    for module in pkgutil.walk_packages(coopkit.ui.__path__, "coopkit.ui."):
        loaded = importlib.import_module(module.name)
        if hasattr(loaded, "figure_png"):
            monkeypatch.setattr(loaded, "figure_png", lambda figure: b"")
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def something_went_wrong(app: App, caplog) -> bool:
    """A traceback was logged, or the page says "something went wrong"."""
    logged = [r for r in caplog.records if r.name.startswith("coopkit") and r.levelno >= logging.ERROR]
    shown = any(i18n.tr("app.unexpected_error", lang) in app.summary.value for lang in i18n.LANGUAGES)
    return bool(logged) or shown


def test_every_app_of_the_package_is_found():
    names = {cls.__name__ for cls in APPS}
    # the workbooks' apps; a new one joins without editing this file
    assert {"UnitCostApp", "BreakEvenApp", "ChannelPricingApp", "WhatIfApp", "YieldPlanApp", "ProductionRiskApp",
            "CropMixApp", "FlockApp", "InvestmentApp", "CashFlowApp", "MemberIncomeApp"} <= names


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("kind", list(BAD))
@pytest.mark.parametrize("cls", APPS, ids=lambda cls: cls.__name__)
def test_bad_input_shows_beside_its_box_and_keeps_the_results(cls, kind, lang, caplog):
    typed, reason = BAD[kind]
    other = "en" if lang == "vi" else "vi"
    app = cls(lang=lang)
    assert app.error is None and app.result is not None
    boxes = number_texts(app)
    assert boxes, f"{cls.__name__} shows no number box"
    switched = False
    for control, text in boxes:
        where = f"{cls.__name__} {control.field}: {typed!r} ({lang})"
        if kind == "negative" and control.minimum < 0:
            continue  # this box takes negative numbers (the year's opening cash may be overdrawn)
        good, before = app.result, text.value
        text.value = typed
        assert not something_went_wrong(app, caplog), where
        assert app.error is not None, where
        assert reason is None or app.error.reason == reason, (where, app.error.reason)
        assert app.control_for(app.error) is control, (where, app.error.field)
        assert control.error_text == f"⚠ {app.error.message(lang)}", where
        assert control.error_text != f"⚠ {app.error.message(other)}", where
        assert "Traceback" not in control.error_text and "{" not in control.error_text, where
        assert app.result is good, where  # the last good results stay
        if not switched:  # the message follows a language switch, the results stay
            app.set_lang(other)
            assert control.error_text == f"⚠ {app.error.message(other)}", where
            assert app.result is good and not something_went_wrong(app, caplog), where
            app.set_lang(lang)
            switched = True
        text.value = before
        assert app.error is None and control.error_text == "", f"{where}: not cleared by typing {before!r} back"
        assert not something_went_wrong(app, caplog), where


#: Rules of one app, said in its own words beside the box (the cases above are the same for all).
APP_RULES = [
    ("FlockApp", "hens", "-5.000", "phải lớn hơn 0", "must be greater than zero"),
    ("FlockApp", "price_per_egg", "0", "phải lớn hơn 0", "must be greater than zero"),
    ("InvestmentApp", "annual_rate", "-5", "không được âm", "cannot be negative"),
    ("InvestmentApp", "annual_rate", "150", "từ 0% đến 100% (bạn đã nhập “150”)", "from 0% to 100% (you typed “150”)"),
    ("InvestmentApp", "purchase_price", "1e308", "từ 0\xa0₫ đến 1.000.000.000.000\xa0₫", "from ₫0 to ₫1,000,000,000,000"),
    ("InvestmentApp", "months", "99999999999999999999", "từ 0 đến 360 tháng", "from 0 to 360 months"),
    ("InvestmentApp", "months", "0", "phải lớn hơn 0", "must be greater than zero"),
    ("InvestmentApp", "months", "30,5", "số tháng nguyên", "whole number of months"),
    ("InvestmentApp", "grace_months", "36", "phải ngắn hơn thời hạn vay", "must be shorter than the loan term"),
    ("InvestmentApp", "salvage_value", "900.000.000", "không được cao hơn giá mua", "cannot be higher than the purchase price"),
    ("InvestmentApp", "loan_amount", "500.000.000", "vượt quá giá mua", "more than the purchase price"),
    ("InvestmentApp", "useful_life_years", "0", "phải lớn hơn 0", "must be greater than zero"),
    ("InvestmentApp", "discount_rate", "-1", "không được âm", "cannot be negative"),
]


@pytest.mark.parametrize(("cls_name", "field", "text", "vi", "en"), APP_RULES,
                         ids=[f"{c}-{f}-{t}" for c, f, t, _vi, _en in APP_RULES])
def test_an_apps_own_rule_is_said_beside_its_box_and_keeps_the_results(cls_name, field, text, vi, en):
    cls = next(app for app in APPS if app.__name__ == cls_name)
    app = cls(lang="vi")
    before = app.result
    app.control(field).text.value = text
    assert app.error is not None and app.error.field == field
    assert vi in app.control(field).error_text
    assert app.result is before
    assert "ck-stale" in app.results._dom_classes
    app.set_lang("en")
    assert en in app.control(field).error_text
