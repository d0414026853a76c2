"""The HTML stepper in a real browser: Debian's chromium driven by Playwright.

``make test`` installs chromium when it is missing. Without a browser this test fails: it is
never skipped.
"""

from __future__ import annotations

import shutil

import pytest

from autograd import Value
from autograd.readers.display import number as short_number
from autograd.stepper import export_html
from autograd.toy import toy_model
from autograd.tracing import trace

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    assert executable, "chromium is not installed: run `make test`, which installs it"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        yield browser
        browser.close()


def four_digits(x: float) -> float:
    return float(f"{x:.6g}")


def shown(page, node_id: str, word: str) -> str:
    return page.evaluate(
        """([id, word]) => Array.from(document.getElementById(id).querySelectorAll('text'))
               .map(t => t.textContent).find(t => t.startsWith(word + ' '))""",
        [node_id, word],
    )


def test_click_through_every_step_of_the_toy_model(browser, tmp_path):
    model = toy_model()
    path = export_html(model.loss, tmp_path / "steps.html", parameters=model.parameters.values())
    record = trace(model.loss)  # the same graph as the page (same node ids, same pass)
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(path.as_uri())
    total = int(page.get_attribute("#slider", "max"))
    n_forward = total - len(record.backward)
    assert n_forward == 13 and page.text_content("#counter") == f"0 / {total}"
    assert shown(page, record.forward[0].node_id, "data") == "data ?"  # f0 is not computed yet

    for position in range(1, total + 1):
        page.click("#next")
        assert page.text_content("#counter").startswith(f"{position} / {total}")
        lines = page.text_content("#lines")
        if position <= n_forward:
            assert "forward" in page.text_content("#counter")
            continue
        row = record.backward[position - n_forward - 1]
        assert f"= {short_number(row.contribution)}" in lines
        assert f"is now {short_number(row.grad_after)}" in lines
        assert row.local_formula in lines or short_number(row.local) in lines
        grad_text = shown(page, row.parent_id, "grad")
        assert float(grad_text.split()[1]) == four_digits(row.grad_after)
        assert page.evaluate(f"document.getElementById('{row.parent_id}') !== null")
        current = page.evaluate("Array.from(document.querySelectorAll('.current')).map(e => e.id)")
        assert row.node_id in current and row.parent_id in current

    for name, parameter in model.parameters.items():  # at the end every grad is the engine's
        node_id = f"n{parameter.serial}"
        assert float(shown(page, node_id, "grad").split()[1]) == four_digits(parameter.grad), name
    for node in model.intermediates.values():
        assert float(shown(page, f"n{node.serial}", "data").split()[1]) == four_digits(node.data)

    page.keyboard.press("ArrowLeft")  # keys and the slider move too
    assert page.text_content("#counter").startswith(f"{total - 1} / {total}")
    page.fill("#slider", "0")
    page.dispatch_event("#slider", "input")
    assert page.text_content("#counter") == f"0 / {total}"
    assert dialogs == []


@pytest.mark.parametrize(
    "label", ["<script>alert(1)</script>", '"]; x [label="pwn', "<img src=x onerror=alert(2)>"]
)
def test_hostile_labels_are_shown_not_run(browser, tmp_path, label):
    x = Value(1.5, label)
    y = (x * x).tanh()
    y.label = label
    path = export_html(y, tmp_path / "hostile.html", title=label)
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(path.as_uri())
    for _ in range(int(page.get_attribute("#slider", "max"))):
        page.click("#next")
    assert dialogs == []
    assert page.text_content("h1") == label
    assert label in page.text_content("#lines") or label in page.text_content("#title")
    assert page.evaluate("document.querySelectorAll('script').length") == 2  # only the page's own
