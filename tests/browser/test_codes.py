"""A cooperative's scenarios are its own (issue 14 §6), on a phone, in Vietnamese: the first save
shows the folder's code; another visitor who types the cooperative's name sees nothing until the
code is typed, and a wrong code says so."""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import expect

from .conftest import open_app

pytestmark = pytest.mark.browser

PHONE = {"width": 412, "height": 915}
CODE = re.compile(r"[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}")


def test_the_code_shown_at_the_first_save_opens_the_scenarios_from_another_phone(voila_server, make_page):
    owner = f"HTX Mật ong {secrets.token_hex(3)}"  # a new cooperative each run, on a server shared by the session
    first = make_page(locale="vi-VN", viewport=PHONE)
    app = open_app(first, voila_server, "04_what_if_pricing.ipynb")
    app.locator(".ck-scenario-name input").fill("Giá Tết")
    app.locator("button.ck-pin").click()
    app.locator(".ck-owner input").fill(owner)
    app.locator(".ck-owner input").press("Enter")
    expect(app.locator(".ck-owner-code")).to_be_hidden()  # a new cooperative: no code asked
    app.locator("button.ck-save").click()
    expect(app.locator(".ck-status")).to_contain_text("Đã lưu 1 kịch bản")
    note = app.locator(".ck-code-new")
    expect(note).to_contain_text("Mã của HTX bạn:")
    expect(note).to_contain_text("hãy ghi lại")
    code = note.locator("b.ck-code").inner_text().strip()
    assert CODE.fullmatch(code), code
    right = note.evaluate("e => e.getBoundingClientRect().right")
    assert right <= PHONE["width"], f"the code's note runs off the phone's screen ({right} px)"

    second = make_page(locale="vi-VN", viewport=PHONE)
    other = open_app(second, voila_server, "04_what_if_pricing.ipynb")
    options = other.locator(".ck-saved-choice select option")
    other.locator(".ck-owner input").fill(owner.lower())  # spelled otherwise: the same folder
    other.locator(".ck-owner input").press("Enter")
    box = other.locator(".ck-owner-code input")
    expect(box).to_be_visible()
    assert box.get_attribute("type") == "password"
    expect(other.locator(".ck-code-help")).to_contain_text("đã có mã")
    expect(options).to_have_count(0)

    wrong = "ABC-DEF" if code != "ABC-DEF" else "XYZ-234"
    box.fill(wrong)
    box.press("Enter")
    expect(other.locator(".ck-status")).to_contain_text("mã này không đúng")
    expect(options).to_have_count(0)

    box.fill(code.lower())
    box.press("Enter")
    expect(options).to_have_count(1)
    expect(options.first).to_have_text("Giá Tết")
    other.locator("button.ck-load").click()
    expect(other.locator(".ck-status")).to_contain_text("Đã mở và ghim “Giá Tết”")
    expect(other.locator('.ck-pinned td[data-key="profit:Giá Tết"]')).to_have_count(1)
    assert code not in second.locator("body").inner_text()  # never shown to the other visitor
    assert "Traceback" not in second.locator("body").inner_text()
