"""The HTML stepper in a real browser: Debian's chromium driven by Playwright.

Every step of the demo page is walked at 1280×720 and 1920×1080, in English and in Chinese:
after each key press the current node, parent, op and edge must be inside the viewport, their
text at least 18 px on the 1080p screen, the explanation at least 18 px, every text inside its
box, and the page must have moved exactly one step, whether the slider has focus or not. No
request leaves the page and nothing is logged as an error. axe-core checks accessibility at
several steps.

`make test` installs chromium (and a CJK font) when missing. Without a browser these tests are
skipped with the reason, except when ``CI`` is set: then they fail.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess

import pytest

import nn
from autograd import Value, sum_values
from autograd.readers.display import node_id, number
from autograd.readers.stepper import Stepper, export_html
from autograd.toy import toy_model

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SIZES = [(1280, 720), (1920, 1080)]
MIN_TEXT_PX = 18.0


def _chromium() -> str | None:
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
    )


def _cjk_font() -> bool:
    """Whether fontconfig (which chromium uses on Linux) has a font for Chinese."""
    if not shutil.which("fc-list"):
        return False
    listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=60)
    return bool(listed.stdout.strip())


@pytest.fixture(scope="module")
def browser():
    missing = []
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing.append("the playwright package (pip install -e '.[test]')")
    executable = _chromium()
    if executable is None:
        missing.append("Debian's chromium (`make chromium` installs it, with apt, as root)")
    if not _cjk_font():
        missing.append("a CJK font for the Chinese page (`make chromium` installs fonts-noto-cjk)")
    if missing:
        reason = "browser tests need " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(reason + " (required when CI is set)")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        yield browser
        browser.close()


def demo_page(tmp_path, lang="en"):
    model = toy_model()
    path = export_html(
        model.loss, tmp_path / f"steps-{lang}.html", parameters=model.parameters.values(), lang=lang
    )
    return model, path


class Watched:
    """A page with every request and error recorded."""

    def __init__(self, browser, size, reduced=True):
        width, height = size
        self.page = browser.new_page(
            viewport={"width": width, "height": height},
            reduced_motion="reduce" if reduced else "no-preference",
        )
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("dialog", lambda d: (self.errors.append("dialog " + d.message), d.dismiss()))

    def open(self, path, fragment=""):
        self.url = path.as_uri()
        self.page.goto(self.url + fragment)
        self.page.wait_for_function("document.body.dataset.moving === '0'")
        return self.page

    def check_quiet(self):
        assert self.errors == []
        assert all(url.split("#")[0] == self.url for url in self.requests), self.requests


# The visible graph area: the graph's own element (below the toolbar, beside the panel) and the
# window, less a margin of 4 px; what is current must be inside it, not only inside the window.
VISIBLE = """
  const g = document.getElementById('graph').getBoundingClientRect();
  const M = 4;
  const inside = (r) => r.left >= Math.max(g.left, 0) + M && r.top >= Math.max(g.top, 0) + M
      && r.right <= Math.min(g.right, innerWidth) - M && r.bottom <= Math.min(g.bottom, innerHeight) - M;
"""

STATE = (
    """() => {"""
    + VISIBLE
    + """
  const current = Array.from(document.querySelectorAll('#graph .current'));
  const px = (t) => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
  const boxText = current.filter((e) => e.classList.contains('box'))
      .flatMap((e) => Array.from(e.querySelectorAll('text')));
  const overflowing = [];
  for (const box of document.querySelectorAll('#graph .box')) {
    const shape = box.querySelector('.shape').getBBox();
    for (const t of box.querySelectorAll(':scope > text')) {
      const b = t.getBBox();
      if (b.x < shape.x - 0.5 || b.x + b.width > shape.x + shape.width + 0.5)
        overflowing.push(box.id + ': ' + t.textContent);
    }
  }
  return {
    counter: document.getElementById('counter').textContent,
    slider: Number(document.getElementById('slider').value),
    hash: location.hash,
    current: current.map((e) => e.id),
    outOfView: current.filter((e) => !inside(e.getBoundingClientRect())).map((e) => e.id),
    smallestText: Math.min(...boxText.map(px)),
    explainPx: Math.min(...Array.from(document.querySelectorAll('#lines dd, #title, #subtitle'))
        .map((e) => parseFloat(getComputedStyle(e).fontSize))),
    overflowing,
    explanation: document.getElementById('announce').textContent,
    receiving: Array.from(document.querySelectorAll('#graph .receiving')).map((e) => e.id),
    sending: Array.from(document.querySelectorAll('#graph .sending')).map((e) => e.id),
    badge: Array.from(document.querySelectorAll('#graph .receiving .badge text')).map((e) => e.textContent),
    changed: Array.from(document.querySelectorAll('#graph text.changed')).map((e) => e.className.baseVal),
    countLines: document.getElementById('count').getClientRects().length,
  };
}"""
)


def state(page):
    return page.evaluate(STATE)


def press(page, key, *, slider_focused):
    if slider_focused:
        page.focus("#slider")
    else:
        page.focus("#next")
    page.keyboard.press(key)
    page.wait_for_function("document.body.dataset.moving === '0'")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_walk_every_step_of_the_demo(browser, tmp_path, size, lang):
    model, path = demo_page(tmp_path, lang)
    watched = Watched(browser, size)
    page = watched.open(path)
    total = int(page.get_attribute("#slider", "max"))
    assert total == 13 + 22 + 1  # forward steps, chain-rule steps, the closing table
    start = state(page)
    assert start["counter"] == f"0 / {total}" and start["current"] == []
    f0 = model.intermediates["f0"]
    assert page.text_content(f"#{node_id(f0)} text.data").endswith(" ?")  # not computed yet
    assert (
        page.evaluate("document.querySelectorAll('#graph > svg .edge.input:not(.unknown)').length")
        == 0
    )
    assert not page.is_visible(
        "#graph > svg .edge.input .value"
    )  # no local derivative before its time

    for position in range(1, total + 1):
        press(page, "ArrowRight", slider_focused=position % 2 == 0)
        now = state(page)
        assert now["slider"] == position and now["counter"] == f"{position} / {total}"
        assert now["hash"] == f"#step={position}"
        assert now["outOfView"] == [], (position, now)
        if now["current"]:
            # 18 px on a 1920-px page; on a 1280-px page, the size that projects as large on the
            # same screen (12 px): the page judges readability the same way.
            least = MIN_TEXT_PX * min(1.0, size[0] / 1920)
            assert set(now["current"]) and now["smallestText"] >= least, (
                position,
                now["smallestText"],
            )
        assert now["explainPx"] >= MIN_TEXT_PX
        assert now["overflowing"] == [], now["overflowing"]
        if position == 13 + 1:  # the first chain-rule step: pass #1, distinct symbols
            text = now["explanation"]
            assert ("#1" if lang == "en" else "第一遍") in text
            assert "grad(ℓ) = 1" in text and "∂ℓ/∂(f3 - y)" in text
        # What just changed is marked by more than colour: the receiving box's line is bold
        # and badged "=" (forward) or "+=" (backward); the box the gradient comes from differs.
        if 1 <= position <= 13:
            assert len(now["receiving"]) == 1 and now["badge"] == ["="], now
            assert now["changed"] == ["data changed"]
        elif position <= 35:
            assert len(now["receiving"]) == 1 and now["badge"] == ["+="], now
            assert now["changed"] == ["grad changed"] and now["sending"] != now["receiving"]
        assert now["countLines"] <= 1  # "· 1 / 22" never breaks

    # the end: the table of every leaf's gradient, equal to the engine's
    table = page.evaluate(
        "Array.from(document.querySelectorAll('#table tbody tr'))"
        ".map(r => Array.from(r.cells).map(c => c.textContent))"
    )
    reference = toy_model()
    reference.loss.backward()
    expected = {name: p.grad for name, p in reference.parameters.items()}
    expected.update(x=reference.x.grad, y=reference.y.grad)
    assert {name: grad for name, _role, grad in table} == {
        k: number(v) for k, v in expected.items()
    }
    for name, parameter in model.parameters.items():
        assert page.text_content(f"#{node_id(parameter)} text.grad").endswith(
            " " + number(expected[name])
        )
    if lang == "zh":
        assert page.text_content("#title") == "完成：每个叶节点的梯度"
        assert page.text_content(f"#{node_id(f0)} text.grad").startswith("梯度 ")
    watched.check_quiet()


def test_keys_move_exactly_one_step_whatever_has_focus(browser, tmp_path):
    _model, path = demo_page(tmp_path)
    watched = Watched(browser, (1280, 720))
    page = watched.open(path, "#step=24")
    assert state(page)["slider"] == 24  # the step in the URL opens that step
    for target in ("#slider", "#prev", "#speed", "#graph", "#whole"):
        page.focus(target)
        before = state(page)["slider"]
        page.keyboard.press("ArrowRight")
        assert state(page)["slider"] == before + 1, target
        page.keyboard.press("ArrowLeft")
        assert state(page)["slider"] == before, target
    page.click("#slider")  # clicked, then arrows: still one step each
    clicked = state(page)["slider"]
    page.keyboard.press("ArrowRight")
    assert state(page)["slider"] == clicked + 1
    page.keyboard.press("End")
    assert state(page)["slider"] == 36
    page.keyboard.press("Home")
    assert state(page)["slider"] == 0
    page.select_option("#speed", "400")
    page.focus("#graph")
    page.keyboard.press(" ")  # play
    page.wait_for_function("Number(document.getElementById('slider').value) >= 2")
    page.keyboard.press(" ")  # pause
    paused = state(page)["slider"]
    page.wait_for_timeout(900)
    assert state(page)["slider"] == paused
    page.keyboard.press("p")  # presenter mode: larger explanation
    assert page.evaluate("document.body.classList.contains('presenter')")
    watched.check_quiet()


def test_the_camera_animates_and_settles_on_the_step(browser, tmp_path):
    _model, path = demo_page(tmp_path)
    watched = Watched(browser, (1920, 1080), reduced=False)
    page = watched.open(path, "#step=20")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
        page.wait_for_function("document.body.dataset.moving === '0'", timeout=3000)
        assert state(page)["outOfView"] == []
    page.keyboard.press("w")  # the whole graph: every box in view
    page.wait_for_function("document.body.dataset.moving === '0'", timeout=3000)
    assert page.evaluate(
        """() => { const g = document.getElementById('graph').getBoundingClientRect();
          return Array.from(document.querySelectorAll('#graph > svg .box')).every((b) => {
            const r = b.getBoundingClientRect();
            return r.left >= g.left - 1 && r.right <= g.right + 1
                && r.top >= g.top - 1 && r.bottom <= g.bottom + 1; }); }"""
    )
    watched.check_quiet()


LABELS_APART = """() => {
  const labels = Array.from(document.querySelectorAll('#graph > svg .edge .label-bg'))
      .map((r) => r.getBBox());
  const overlaps = [];
  for (let i = 0; i < labels.length; i++)
    for (let j = i + 1; j < labels.length; j++) {
      const a = labels[i], b = labels[j];
      if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height)
        overlaps.push([i, j]);
    }
  const crossings = [];
  for (const edge of document.querySelectorAll('#graph > svg .edge')) {
    const path = edge.querySelector('path');
    const own = edge.querySelector('.label-bg');
    const length = path.getTotalLength();
    for (let s = 0; s <= length; s += 2) {
      const p = path.getPointAtLength(s);
      for (const bg of document.querySelectorAll('#graph > svg .edge .label-bg')) {
        if (bg === own) continue;
        const b = bg.getBBox();
        if (p.x > b.x + 1 && p.x < b.x + b.width - 1 && p.y > b.y + 1 && p.y < b.y + b.height - 1)
          crossings.push(edge.id + ' crosses the label of ' + bg.closest('.edge').id);
      }
    }
  }
  return {overlaps, crossings: Array.from(new Set(crossings))};
}"""


def test_edge_labels_never_overlap_or_cross_edges(browser, tmp_path):
    _model, path = demo_page(tmp_path)
    watched = Watched(browser, (1920, 1080))
    page = watched.open(path)
    assert page.evaluate(LABELS_APART) == {"overlaps": [], "crossings": []}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_axe_finds_no_accessibility_violations(browser, tmp_path, lang):
    from axe_playwright_python.sync_playwright import Axe

    _model, path = demo_page(tmp_path, lang)
    watched = Watched(browser, (1280, 720))
    axe = Axe()
    for position in (0, 5, 20, 36):
        page = watched.open(path, f"#step={position}")
        results = axe.run(page)
        assert results.violations_count == 0, (position, results.generate_report())
    assert page.get_attribute("#announce", "aria-live") == "polite"
    landmarks = "['header', 'main', 'aside'].every((tag) => document.querySelector(tag))"
    assert page.evaluate(landmarks)
    assert page.get_attribute("#graph", "tabindex") == "0"


def test_two_leaves_with_one_label_on_the_page(browser, tmp_path):
    x, other = Value(3.0, "x"), Value(-2.0, "x")
    f = x * other + x.sin()
    path = export_html(f, tmp_path / "two.html")
    watched = Watched(browser, (1280, 720))
    page = watched.open(path)
    assert page.text_content(f"#{node_id(x)} text.name") == "x"
    assert page.text_content(f"#{node_id(other)} text.name") == "x₂"
    page.keyboard.press("End")
    rows = page.evaluate(
        "Array.from(document.querySelectorAll('#table tbody tr'))"
        ".map(r => [r.cells[0].textContent, r.cells[2].textContent])"
    )
    assert dict(rows) == {"x": number(-2.0 + math.cos(3.0)), "x₂": number(3.0)}
    watched.check_quiet()


def mlp_loss():
    """A 2-4-4-1 network's squared-error loss on 8 points."""
    model = nn.MLP(2, [4, 4, 1], seed=3)
    points, labels = nn.data.make_moons(8, noise=0.1, seed=2)
    loss = sum_values([(model(p) - (2 * t - 1)) ** 2 for p, t in zip(points, labels)]) / 8
    loss.label = "ℓ"
    return model, loss


def test_a_collapsed_network_is_followed_through_every_step(browser, tmp_path):
    model, loss = mlp_loss()
    path = export_html(
        loss,
        tmp_path / "mlp.html",
        parameters=model.parameters(),
        collapse=model.grouping("neurons"),
        title="2-4-4-1 on 8 points",
    )
    watched = Watched(browser, (1920, 1080))
    page = watched.open(path)
    total = int(page.get_attribute("#slider", "max"))
    assert total > 500  # every chain-rule step, not one per neuron
    groups = page.evaluate("document.querySelectorAll('#graph > svg .box.group').length")
    assert groups == 9
    for position in range(1, total + 1):
        page.keyboard.press("ArrowRight")
        view = page.evaluate(
            """() => { const g = document.getElementById('graph').getBoundingClientRect();
              const out = Array.from(document.querySelectorAll('#graph .current')).filter((e) => {
                const r = e.getBoundingClientRect();
                return !(r.left >= g.left - 1 && r.right <= g.right + 1 && r.top >= g.top - 1
                         && r.bottom <= g.bottom + 1); }).map((e) => e.id);
              return [Number(document.getElementById('slider').value), out,
                      document.querySelectorAll('#graph .current').length]; }"""
        )
        assert view[0] == position and view[1] == [], view
        assert view[2] > 0 or position == total
    page.keyboard.press("Home")
    page.keyboard.press("PageDown")
    page.keyboard.press("PageDown")
    first_part = state(page)["slider"]  # a neuron's z and output (one sample) are one part
    assert first_part >= 2 and page.evaluate(
        f"document.querySelector('#graph .current') !== null && {first_part} > 1"
    )
    backward = int(
        page.evaluate(
            "Array.from(document.getElementById('jump').options)"
            ".find((o) => o.textContent.startsWith('Backward pass · ')).value"
        )
    )
    page.select_option("#jump", str(backward))
    assert state(page)["slider"] == backward
    page.keyboard.press("PageDown")  # over the rest of one box's steps at once
    assert state(page)["slider"] > backward + 1
    text = state(page)["explanation"]
    assert "inside the box L" in text and not re.search(r"\bv\d+\b", text)
    watched.check_quiet()


@pytest.mark.parametrize(
    "label", ["<script>alert(1)</script>", '"]; x [label="pwn', "<img src=x onerror=alert(2)>"]
)
def test_hostile_labels_are_shown_not_run(browser, tmp_path, label):
    x = Value(1.5, label)
    y = (x * x).tanh()
    y.label = label
    path = export_html(y, tmp_path / "hostile.html", title=label)
    watched = Watched(browser, (1280, 720))
    page = watched.open(path)
    page.keyboard.press("End")
    assert page.text_content("h1") == label
    assert page.text_content(f"#{node_id(x)} text.name") == label
    assert page.evaluate("document.querySelectorAll('script').length") == 2  # only the page's own
    watched.check_quiet()


def test_the_notebook_object_embeds_the_page(browser, tmp_path):
    model = toy_model()
    stepper = Stepper(model.loss, parameters=model.parameters.values(), height=600)
    html = stepper._repr_html_()
    assert html.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts"' in html
    notebook = tmp_path / "notebook.html"
    notebook.write_text(f"<!DOCTYPE html><html><body>{html}</body></html>", encoding="utf-8")
    watched = Watched(browser, (1280, 720))
    watched.page.goto(notebook.as_uri())
    frame = watched.page.frame_locator("iframe")
    frame.locator("body[data-moving='0']").wait_for()  # the page inside has started
    frame.locator("#graph").click()
    watched.page.keyboard.press("ArrowRight")
    assert frame.locator("#counter").text_content() == "1 / 36"
    assert watched.errors == []


def lecturer_page(tmp_path, lang="en"):
    from autograd.cli.main import main

    path = tmp_path / f"mine-{lang}.html"
    assert (
        main(
            [
                "trace",
                "(sigmoid(w1*x1 + w2*x2 + b) - t) ** 2 / 2",
                *["w1=0.15", "x1=0.05", "w2=0.2", "x2=0.1", "b=0.35", "t=0.01"],
                "--params",
                "w1,w2,b",
                "--lang",
                lang,
                "--html",
                str(path),
                "--format",
                "json",
            ]
        )
        == 0
    )
    return path


INSIDE = (
    "(ids) => {"
    + VISIBLE
    + """
  return ids.filter((id) => !inside(document.getElementById(id).getBoundingClientRect())); }"""
)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_lecturer_s_expression_is_framed_inside_the_visible_area(browser, tmp_path, size):
    """At the start every leaf of the first row (and b) is whole; in presenter mode each step's
    boxes stay inside the graph area, clear of the toolbar and the panel; End from the start
    logs nothing."""
    path = lecturer_page(tmp_path)
    watched = Watched(browser, size)
    page = watched.open(path)
    leaves = page.evaluate(
        "Array.from(document.querySelectorAll('#graph .box.value'))"
        ".filter((b) => /^(w1|x1|w2|x2|b)$/.test(b.querySelector('text.name').textContent))"
        ".map((b) => b.id)"
    )
    assert len(leaves) == 5 and page.evaluate(INSIDE, leaves) == []
    page.keyboard.press("End")  # from step 0: no "negative viewBox" or any other error
    page.wait_for_function("document.body.dataset.moving === '0'")
    page.keyboard.press("Home")
    page.keyboard.press("p")
    page.wait_for_timeout(100)
    total = int(page.get_attribute("#slider", "max"))
    for _ in range(total - 1):
        press(page, "ArrowRight", slider_focused=False)
        now = state(page)
        assert now["outOfView"] == [], now
    page.keyboard.press("w")
    page.wait_for_function("document.body.dataset.moving === '0'")
    boxes = page.evaluate("Array.from(document.querySelectorAll('#graph .box')).map((b) => b.id)")
    assert page.evaluate(INSIDE, boxes) == []  # the whole graph, one layout
    watched.check_quiet()


TOOLBAR = """() => {
  const jump = document.getElementById('jump');
  const style = getComputedStyle(jump);
  const measure = document.createElement('canvas').getContext('2d');
  measure.font = style.font;
  const room = jump.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const h1 = document.querySelector('h1');
  return {
    cut: Array.from(jump.options).map((o) => o.textContent)
        .filter((text) => measure.measureText(text).width > room - 16),  // 16: the arrow
    titleWhole: h1.scrollWidth <= h1.clientWidth,
    tooltip: h1.title === h1.textContent,
    rows: document.querySelector('header').offsetHeight < 2.2 * jump.offsetHeight,
  };
}"""


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_toolbar_shows_the_jump_menu_whole_and_the_title_when_there_is_room(
    browser, tmp_path, size, lang
):
    """The jump menu is as wide as its longest entry (a collapsed network's "Backward pass ·
    L1.N2" included); the title takes the room the controls leave, all of it at 1920 px, and
    its full text is its tooltip; the toolbar stays one row."""
    _model, path = demo_page(tmp_path, lang)
    model, loss = mlp_loss()
    network = export_html(
        loss,
        tmp_path / f"mlp-{lang}.html",
        parameters=model.parameters(),
        collapse=model.grouping("neurons"),
        lang=lang,
    )
    for page_path in (path, network):
        watched = Watched(browser, size)
        toolbar = watched.open(page_path).evaluate(TOOLBAR)
        assert toolbar["cut"] == [] and toolbar["tooltip"] and toolbar["rows"], toolbar
        if size[0] >= 1920 and page_path == path:
            assert toolbar["titleWhole"], toolbar
        watched.check_quiet()
        watched.page.close()


LOOK_OF_THE_STEP = """() => {
  const box = document.querySelector('#graph .receiving');
  const look = (e, properties) => {
    const s = getComputedStyle(e);
    return properties.map((p) => p + ': ' + s.getPropertyValue(p));
  };
  return {
    box: box.id,
    shape: look(box.querySelector('.shape'), ['fill', 'stroke', 'stroke-width', 'stroke-dasharray']),
    halo: look(box.querySelector('.halo'), ['display', 'stroke', 'stroke-width', 'stroke-dasharray']),
    background: look(box.querySelector('.changed-bg'), ['fill', 'stroke', 'stroke-width']),
    text: look(box.querySelector('text.changed'), ['fill', 'font-weight', 'font-size']),
    animations: document.getAnimations().length,
  };
}"""


@pytest.mark.parametrize("position", [5, 20])
def test_a_step_looks_the_same_opened_directly_or_reached_by_a_key(browser, tmp_path, position):
    """Opened at #step=20, or reached from step 19 with →, the box that receives the new number
    has the same outline, halo, background and text: nothing flashes another colour first."""
    _model, path = demo_page(tmp_path)
    watched = Watched(browser, (1280, 720), reduced=False)
    direct = watched.open(path, f"#step={position}").evaluate(LOOK_OF_THE_STEP)
    watched.page.close()
    watched = Watched(browser, (1280, 720), reduced=False)
    page = watched.open(path, f"#step={position - 1}")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.body.dataset.moving === '0'")
    reached = page.evaluate(LOOK_OF_THE_STEP)
    assert reached == direct and direct["animations"] == 0
    assert "rgb(255, 243, 176)" in direct["background"][0]  # #fff3b0, behind black text
    watched.check_quiet()
