"""The chat page, the advisor view and the embedded chat in real Chromium (Debian's, driven by Playwright) against
the servers `make run` starts: questions, quick replies, the checklist, history after a reload, embedding on
another site, an unreachable server, keyboard use and axe-core's accessibility rules. Screenshots go to
build/screenshots/."""
import functools
import http.server
import threading
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.conftest import PROJECT_ROOT
from tests.e2e.conftest import EMBED_PORT, RASA_PORT, WEB_PORT
from tests.e2e.test_chat_socketio import BACKGROUND

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PAGE = f"http://localhost:{WEB_PORT}/"
ADVISOR = f"http://localhost:{WEB_PORT}/advisor.html"
AXE = Path(__file__).parent / "assets" / "axe.min.js"
SCREENSHOTS = PROJECT_ROOT / "build" / "screenshots"
ANSWER_SECONDS = 60_000


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: apt-get install -y chromium (make test installs it)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, servers):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the parent's signature
        pass


@pytest.fixture(scope="module")
def other_site(tmp_path_factory):
    """An association's site on another port: its own page with the chat's one script tag."""
    root = tmp_path_factory.mktemp("site")
    tag = f'<script src="http://localhost:{WEB_PORT}/chat.js" data-server-url="{{server}}"></script>'
    page = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>An association</title></head>'
            '<body><main><h1>Our association</h1><p>Questions about Endorsement? Ask our assistant.</p></main>'
            '{tag}</body></html>')
    (root / "index.html").write_text(page.format(tag=tag.format(server=f"http://localhost:{RASA_PORT}")))
    (root / "down.html").write_text(page.format(tag=tag.format(server="http://localhost:9")))
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", EMBED_PORT), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://localhost:{EMBED_PORT}"
    server.shutdown()
    server.server_close()


def open_chat(page: Page, url: str = PAGE) -> None:
    page.goto(url)
    expect(page.locator(".iecmh-chat")).to_have_attribute("data-state", "online", timeout=ANSWER_SECONDS)


def ask(page: Page, message: str) -> None:
    before = page.locator(".iecmh-from-bot").count()
    page.get_by_label("Your message").fill(message)
    page.get_by_label("Your message").press("Enter")
    expect(page.locator(".iecmh-from-bot")).not_to_have_count(before, timeout=ANSWER_SECONDS)


def accessibility_problems(page: Page) -> list:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_a_question_and_a_quick_reply(page):
    open_chat(page)
    ask(page, "is the exam online?")
    answer = page.locator(".iecmh-from-bot").last
    expect(answer.locator("a[href^='http']").first).to_be_visible()
    button = page.get_by_role("button", name="More about the exam")
    expect(button).to_be_visible(timeout=ANSWER_SECONDS)
    before = page.locator(".iecmh-from-bot").count()
    button.click()
    expect(page.locator(".iecmh-from-user").last).to_have_text("You: More about the exam")
    expect(page.locator(".iecmh-from-bot")).not_to_have_count(before, timeout=ANSWER_SECONDS)
    expect(page.locator(".iecmh-from-bot").last).to_contain_text("Source")


def test_the_checklist_in_one_message_and_the_history_after_a_reload(page):
    open_chat(page)
    page.get_by_label("Your message").fill(BACKGROUND)
    page.get_by_role("button", name="Send").click()
    checklist = page.locator(".iecmh-log .iecmh-checklist").last
    expect(checklist).to_be_visible(timeout=ANSWER_SECONDS)
    expect(checklist.locator(".iecmh-summary")).to_contain_text("Best fit now")
    expect(checklist.locator(".iecmh-summary")).to_contain_text("(IFS)")
    assert checklist.locator(".iecmh-category").count() >= 7
    assert checklist.locator(".iecmh-source a[href^='http']").count() >= 5
    expect(checklist.locator(".iecmh-status-badge").first).to_contain_text("et")  # "Met" / "Not met" in words
    page.locator(".iecmh-from-bot").filter(has_text="Checked against").last.evaluate(
        "m => { const log = m.closest('.iecmh-log');"
        " log.scrollTop += m.getBoundingClientRect().top - log.getBoundingClientRect().top - 8; }")
    page.screenshot(path=str(SCREENSHOTS / "chat.png"), full_page=False)
    problems = accessibility_problems(page)
    assert not problems, "\n".join(problems)

    page.reload()
    expect(page.locator(".iecmh-log .iecmh-checklist")).to_have_count(1)
    expect(page.locator(".iecmh-from-user").first).to_contain_text("My student has a BA in psych")
    open_chat(page)
    ask(page, "what if she gets her master's?")
    what_if = page.locator(".iecmh-from-bot .iecmh-text").filter(has_text="If you earned a master's degree")
    expect(what_if).to_have_count(1, timeout=ANSWER_SECONDS)


def test_keyboard_only(page):
    open_chat(page)
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-label') || document.activeElement.id")\
                .endswith("-input"):
            break
    else:
        pytest.fail("the message box is not reachable with Tab")
    before = page.locator(".iecmh-from-bot").count()
    page.keyboard.type("what is reflective supervision?")
    page.keyboard.press("Enter")
    expect(page.locator(".iecmh-from-bot")).not_to_have_count(before, timeout=ANSWER_SECONDS)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") in ("BUTTON", "A")


def test_a_phone_screen(browser, servers):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        open_chat(page)
        ask(page, "how much does it cost?")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways on a phone ({width} px)"
        page.screenshot(path=str(SCREENSHOTS / "chat-phone.png"))
    finally:
        context.close()


def test_embedded_on_another_site(page, other_site):
    page.goto(other_site + "/index.html")
    launcher = page.get_by_role("button", name="Ask about IECMH Endorsement")
    launcher.click()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_label("Your message")).to_be_focused()
    expect(page.locator(".iecmh-chat")).to_have_attribute("data-state", "online", timeout=ANSWER_SECONDS)
    ask(page, "what is reflective supervision?")
    expect(page.locator(".iecmh-from-bot").last.locator(".iecmh-text")).not_to_be_empty()
    page.keyboard.press("Escape")
    expect(launcher).to_be_focused()
    expect(page.locator(".iecmh-panel")).to_be_hidden()


def test_an_unreachable_server_is_said_and_the_message_kept(page, other_site):
    page.goto(other_site + "/down.html")
    page.get_by_role("button", name="Ask about IECMH Endorsement").click()
    expect(page.locator(".iecmh-connection")).to_contain_text("can't be reached", timeout=ANSWER_SECONDS)
    page.get_by_label("Your message").fill("hello?")
    page.get_by_label("Your message").press("Enter")
    expect(page.locator(".iecmh-from-user .iecmh-note")).to_contain_text("will be sent when")


def test_the_advisor_view(page):
    page.goto(ADVISOR)
    expect(page.locator(".iecmh-chat")).to_have_attribute("data-state", "online", timeout=ANSWER_SECONDS)
    page.get_by_label("Ages they work with").select_option("infant")
    page.get_by_label("Highest degree").select_option("bachelor")
    page.get_by_label("Field of study").fill("psychology")
    page.get_by_label("Years of paid work").fill("3")
    page.get_by_label("Families served").fill("15")
    page.get_by_label("Training hours").fill("60")
    page.get_by_label("RS/C hours received").fill("30")
    page.get_by_label("RS/C given by").fill("an endorsed IFRS")
    page.get_by_role("button", name="Check").click()
    results = page.locator("#results .iecmh-checklist")
    expect(results).to_be_visible(timeout=ANSWER_SECONDS)
    expect(results.locator(".iecmh-summary")).to_contain_text("(IFS)")
    categories = results.locator(".iecmh-category")
    assert categories.count() >= 7
    assert all(categories.nth(i).get_attribute("open") is not None for i in range(categories.count()))
    stated = results.inner_text()

    master = page.get_by_label("with a master's")
    master.check()
    expect(page.locator("#results-state")).to_contain_text("What if: with a master's", timeout=ANSWER_SECONDS)
    expect(results.locator("h3").first).to_have_text("Checklist with the what-if", timeout=ANSWER_SECONDS)
    assert results.inner_text() != stated
    rsc = page.get_by_label("+24 RS/C hours")
    rsc.check()
    expect(page.locator(".iecmh-from-bot .iecmh-text").filter(has_text="54 RS/C hours")).to_have_count(
        1, timeout=ANSWER_SECONDS)  # 30 stated + 24
    expect(page.get_by_label("RS/C hours received")).to_have_value("30")
    page.screenshot(path=str(SCREENSHOTS / "advisor.png"), full_page=False)
    rsc.uncheck()
    master.uncheck()
    expect(results.locator("h3").first).to_have_text("Checklist for the background as stated")
    assert results.inner_text() == stated

    with page.expect_download() as download:
        page.get_by_role("button", name="Download plan (.md)").click()
    plan = Path(download.value.path()).read_text(encoding="utf-8")
    assert plan.startswith("# IECMH Endorsement plan") and "## Plan" in plan and "(IFS)" in plan
    assert "[source](http" in plan

    page.emulate_media(media="print")
    assert page.locator("#conversation").is_hidden() and results.is_visible()
    page.emulate_media(media="screen")
    problems = accessibility_problems(page)
    assert not problems, "\n".join(problems)

    page.get_by_role("button", name="New student").click()
    expect(page.locator("#results .iecmh-checklist")).to_have_count(0)
    expect(page.get_by_label("Field of study")).to_have_value("")
    expect(page.locator(".iecmh-from-user")).to_have_count(0)
    expect(master).to_be_disabled()
