"""The helpers every page object uses to act and wait: they must keep Playwright's guarantees."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from pages.common import activate, evaluate_first, probe, soon, wait_true

pytestmark = pytest.mark.e2e

PAGE = """
<style>#cover { position: fixed; inset: 0; background: rgba(255,255,255,.7); }</style>
<button id="go" onclick="window.clicks.push((document.getElementById('cover') ? 'covered' : 'free')
                                            + (event.isTrusted ? '' : ' (synthetic)'))">Enviar</button>
<button id="off" disabled onclick="window.clicks.push('disabled')">Desligado</button>
<div id="cover"></div>
<script>window.clicks = [];</script>
"""


class TestActivate:
    """activate() clicks at once only what a person could click; otherwise it waits like click()."""

    def test_free_button_is_clicked_once(self, page: Page):
        """Nothing covers it: one trusted (real mouse) click reaches the button."""
        page.set_content(PAGE)
        page.evaluate("document.getElementById('cover').remove()")
        activate(page.get_by_role("button", name="Enviar"))
        assert page.evaluate("window.clicks") == ["free"]

    def test_covered_button_waits_for_the_overlay_to_go(self, page: Page):
        """An overlay covers the button: no click goes through it; the click lands once it is gone."""
        page.set_content(PAGE)
        page.evaluate("setTimeout(() => document.getElementById('cover').remove(), 400)")
        activate(page.get_by_role("button", name="Enviar"))
        assert page.evaluate("window.clicks") == ["free"]

    def test_disabled_button_is_not_clicked(self, page: Page):
        """A disabled button is never clicked: the fallback waits for it to be enabled and times out."""
        page.set_content(PAGE)
        page.evaluate("document.getElementById('cover').remove()")
        page.set_default_timeout(600)
        with pytest.raises(Exception, match="Timeout"):
            activate(page.locator("#off"))
        assert page.evaluate("window.clicks") == []


class TestSoonAndEvaluateFirst:
    """soon() keeps the whole timeout; evaluate_first() reads like Locator.evaluate."""

    def test_soon_passes_when_the_element_comes_late(self, page: Page):
        page.set_content("<div id=box></div>")
        page.evaluate("setTimeout(() => document.getElementById('box').innerHTML = '<p>pronto</p>', 900)")
        soon(lambda t: expect(page.get_by_text("pronto")).to_be_visible(timeout=t), 5_000)

    def test_soon_raises_after_the_timeout(self, page: Page):
        page.set_content("<div id=box></div>")
        with pytest.raises(AssertionError):
            soon(lambda t: expect(page.get_by_text("nunca")).to_be_visible(timeout=t), 1_000)

    def test_evaluate_first_waits_for_a_missing_element(self, page: Page):
        page.set_content("<div id=box></div>")
        page.evaluate("setTimeout(() => document.getElementById('box').innerHTML = '<input id=i value=abc>', 300)")
        assert evaluate_first(page.locator("#i"), "el => el.value") == "abc"
        assert evaluate_first(page.locator("#box"), "(el, arg) => el.id + arg", "!") == "box!"


STATES = """
<style>#cover2 { position: fixed; left: 0; top: 0; width: 100%; height: 60px; }</style>
<input id=shown value=abc> <input id=none style="display:none"> <input id=hidden style="visibility:hidden">
<input id=flat style="width:0;height:0;border:0;padding:0"> <div style="display:none"><input id=inner></div>
<input id=off disabled value=x>
"""


class TestProbeAndWaitTrue:
    """probe() reads in one trip what Playwright would answer; wait_true() waits in the page."""

    def test_probe_agrees_with_playwright(self, page: Page):
        """Visible as is_visible() says, a click point only for what activate() would click at
        once, the caller's expression with its argument, None for nothing."""
        page.set_content(STATES)
        for css in ("#shown", "#none", "#hidden", "#flat", "#inner", "#off"):
            found = probe(page.locator(css), "(el, suffix) => el.id + suffix", "!")
            assert found is not None and found.value == css[1:] + "!"
            assert found.visible == page.locator(css).is_visible(), css
            assert (found.click is not None) == (css == "#shown"), css
        assert probe(page.locator("#missing")) is None
        page.evaluate("document.body.insertAdjacentHTML('beforeend', '<div id=cover2></div>')")
        assert probe(page.locator("#shown")).click is None  # covered: the probe's caller falls back to click()

    def test_wait_true_waits_for_late_elements_and_times_out(self, page: Page):
        page.set_content("<div id=box></div>")
        page.evaluate("setTimeout(() => document.getElementById('box').innerHTML = '<input id=i>', 200);"
                      "setTimeout(() => document.getElementById('i').value = 'pronto', 500)")
        assert wait_true(page.locator("#i"), "(el, want) => el.value === want", "pronto", 5_000) is True
        assert wait_true(page.locator("#i"), "(el, want) => el.value === want", "nunca", 300) is False


class TestLeavingAPage:
    """A page that asks "leave this page?" (beforeunload) does not stop a navigation."""

    LEAVING = ("<input id=q><script>addEventListener('beforeunload', e => { if (q.value) {"
               " e.preventDefault(); e.returnValue = ''; } });</script>")

    def test_a_filled_form_that_warns_is_left(self, page: Page):
        """A form typed into (as a kept tab's unsaved O.S. form) is left by a goto: the prompt is
        accepted and the next page loads; without the handler the navigation does not happen."""
        from pages.common import install_modal_handler

        seen: list[str] = []
        page.on("dialog", lambda d: seen.append(d.type))
        install_modal_handler(page)
        page.goto("data:text/html," + self.LEAVING)
        page.fill("#q", "O.S. não salva")
        page.click("#q")  # a person's gesture: Chromium asks only after one
        page.goto("data:text/html,<h1>Nova O.S.</h1>", timeout=10_000)
        expect(page.get_by_role("heading", name="Nova O.S.")).to_be_visible()
        assert "beforeunload" in seen

    def test_other_dialogs_are_dismissed(self, page: Page):
        from pages.common import install_modal_handler

        install_modal_handler(page)
        page.set_content("<p>x</p>")
        assert page.evaluate("confirm('Excluir?')") is False
