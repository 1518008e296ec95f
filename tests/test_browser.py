"""JupyterLab in a real browser: open the release, run all, press nbgrader's Validate."""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from autograder.course.layout import KIT_ROOT, Course
from autograder.engine.answers import build_submission
from autograder.engine.notebook import read_notebook
from autograder.grading.references import reference_sources
from tests.conftest import ASSIGNMENTS

REPO_ROOT = KIT_ROOT
KIT = Course(KIT_ROOT)

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = REPO_ROOT / "test_artifacts"
#: How often a wait asks the page (ms). Playwright's default, every animation frame, keeps
#: Chromium busy through a notebook's whole run, on the cores the kernel needs.
POLL_MS = 250
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if CHROMIUM is None:
    pytest.skip("no Chromium here (Debian: apt-get install chromium)", allow_module_level=True)
playwright = pytest.importorskip("playwright.sync_api", reason="pip install playwright")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab with nbgrader's extensions, serving keras_weights' release and a solved copy
    of each assignment (``solved_<name>/``)."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(KIT.release_dir("keras_weights"), root / "release")
    for name in ASSIGNMENTS:
        shutil.copytree(KIT.release_dir(name), root / f"solved_{name}")
        solved = build_submission(
            reference_sources(KIT, KIT.assignment(name)), read_notebook(KIT.release_notebook(name))
        )
        nbformat.write(solved, root / f"solved_{name}" / f"{name}.ipynb")
    port = _free_port()
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}"]
    cmd += ["--ServerApp.token=", "--ServerApp.password=", f"--ServerApp.root_dir={root}"]
    cmd += ["--allow-root", "--LabApp.expose_app_in_browser=True", "--ServerApp.ip=127.0.0.1"]
    cmd += ["--ServerApp.disable_check_xsrf=True"]
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}
    # The kernels run the notebooks' long demonstrations (150 epochs, five starts) as briefly as
    # under nbgrader, which the notebooks read from this variable: here JupyterLab, the plots
    # and Validate are under test; test_notebook.py runs the demonstrations in full.
    env["NBGRADER_EXECUTION"] = "validate"
    log = (root / "lab.log").open("w")
    server = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/api", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    _settings(url, "@jupyterlab/notebook-extension:tracker", '{"windowingMode": "none"}')
    _settings(url, "@jupyterlab/apputils-extension:notification", '{"fetchNews": "false"}')
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield url, browser
        browser.close()
    server.terminate()
    server.wait(timeout=30)


def _settings(url: str, plugin: str, raw: str) -> None:
    """Set a JupyterLab setting: render every cell (for the screenshot), no news pop-up."""
    body = ('{"raw": ' + __import__("json").dumps(raw) + "}").encode()
    request = urllib.request.Request(f"{url}/lab/api/settings/{plugin}", data=body, method="PUT")
    urllib.request.urlopen(request, timeout=10)


def _run_all_and_validate(lab, notebook: str, shot: str) -> str:
    """Open the notebook, run every cell, save a screenshot, press Validate; return its dialog."""
    url, browser = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url}/lab/tree/{notebook}?reset")  # no tabs restored
    page.wait_for_selector(".jp-Notebook .jp-Cell", state="attached", timeout=120_000)
    page.wait_for_function(
        "window.jupyterapp && window.jupyterapp.shell.currentWidget"
        " && window.jupyterapp.shell.currentWidget.sessionContext.session?.kernel?.status === 'idle'",
        timeout=120_000,
        polling=POLL_MS,
    )
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        """() => {
            // Run-all stops at the first error, leaving later cells unnumbered: wait for the
            // queue to drain (no [*]) and the kernel to be idle.
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
            const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session?.kernel;
            return prompts.some(p => /\\[\\d+\\]/.test(p.textContent))
                && !prompts.some(p => p.textContent.includes('*'))
                && kernel?.status === 'idle';
        }""",
        timeout=300_000,
        polling=POLL_MS,
    )
    with contextlib.suppress(playwright.Error):  # show a plot where there is one
        page.locator(".jp-RenderedImage").first.scroll_into_view_if_needed(timeout=5_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / shot)
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .validate-button").first.click()
    dialog = page.wait_for_selector(".jp-Dialog-content", timeout=300_000)
    page.wait_for_function(
        "!document.querySelector('.jp-Dialog-content').innerText.includes('Validating')",
        timeout=300_000,
        polling=POLL_MS,
    )
    text = dialog.inner_text()
    page.close()
    return text


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_reference_validates_in_jupyterlab(lab, name):
    """Does each solved notebook run in JupyterLab, show its plots and pass nbgrader's Validate?"""
    text = _run_all_and_validate(lab, f"solved_{name}/{name}.ipynb", f"jupyterlab_{name}_solved_run_all.png")
    assert "Success! Your notebook passes all the tests." in text, text


def test_release_reports_failing_cells(lab):
    """Does the untouched release run to the end and have Validate name the failing cells?"""
    text = _run_all_and_validate(lab, "release/keras_weights.ipynb", "jupyterlab_release_run_all.png")
    assert "Success" not in text
    assert "NotImplementedError" in text, text


@pytest.fixture(scope="module")
def class_report(tmp_path_factory) -> Path:
    """The class report of a small keras_weights class graded by `autograder grade`: the
    reference, an untouched release and three catalog mistakes, two of them alike."""
    from autograder.catalog.mistakes import mistakes
    from autograder.dev.scratch import add_submission, make_course

    course = make_course(tmp_path_factory.mktemp("report") / "course", ("keras_weights",))
    assignment = course.assignment("keras_weights")
    release = read_notebook(course.release_notebook("keras_weights"))
    reference = reference_sources(course, assignment)
    wrong = mistakes(assignment)
    students = {"reference": reference, "untouched": {}}
    for student, mistake in [("ada", "build_model_relu_hidden"), ("bob", "build_model_relu_hidden")]:
        students[student] = {**reference, "build_model": wrong[mistake].source}
    students["cy"] = {**reference, "make_dataset": wrong["make_dataset_labels_01"].source}
    for student, answers in students.items():
        add_submission(course, "keras_weights", student, build_submission(answers, release))
    cmd = [sys.executable, "-m", "autograder", "grade", "keras_weights", "--jobs", "2"]
    proc = subprocess.run(cmd, cwd=course.root, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    return course.reports_dir("keras_weights") / "report.html"


def test_class_report_reads_offline_in_chromium(lab, class_report):
    """Does the class report open from its file in Chromium with no request beyond it, show
    both pictures, and say what the class got wrong, most frequent first?"""
    _, browser = lab  # one Playwright per process: the module's browser
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(class_report.as_uri())
    widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.naturalWidth)")
    items = page.locator("ol li").all_inner_texts()
    text = page.inner_text("body")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "class_report.png", full_page=True)
    page.close()
    assert requests == [class_report.as_uri()] and len(widths) == 2 and min(widths) > 0, (requests, widths)
    relu, labels01 = "build_model: ReLU in the hidden layer, not tanh", "make_dataset: labels 0/1, not -1/+1"
    assert items[0] == f"{relu}: 2 students (40%)." and f"{labels01}: 1 student (20%)." in items, items
    assert "5 students graded" in text and "ada, bob" in text
