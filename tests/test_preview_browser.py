"""The preview page in a real headless Chromium: every card renders, no console errors, no
network, and it holds up at phone width. Screenshots are kept as test artifacts.

CI installs Chromium (.ci/run), so there a missing browser fails the test; on a developer's
machine without it the test is skipped, saying why.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from .chromium import Chromium, find_chromium
from .conftest import CORPUS, import_apkg

pytestmark = pytest.mark.slow  # `pytest -m "not slow"` leaves it out of the quick loop

PHONE = (360, 780)
DESKTOP = (1280, 900)

# Per card: both sides laid out (not empty, not collapsed, not hidden) and, at phone width,
# nothing wider than the screen.
CHECK_CARDS = """(() => {
  const problems = [];
  const cards = Array.from(document.querySelectorAll(".pv-card"));
  for (const card of cards) {
    for (const side of card.querySelectorAll(".pv-sides > .pv-side > .card")) {
      const box = side.getBoundingClientRect();
      if (!side.innerText.trim() || box.height < 20 || box.width < 200
          || side.scrollWidth > side.clientWidth + 1) {
        problems.push(card.querySelector(".pv-meta").textContent + " " + side.className);
      }
    }
  }
  return {
    cards: cards.length,
    sides: document.querySelectorAll(".pv-side > .card").length,
    problems,
    pageWidth: document.documentElement.scrollWidth,
  };
})()"""

FILTER = """((words) => {
  const box = document.getElementById("pv-filter");
  box.value = words;
  box.dispatchEvent(new Event("input"));
  const cards = Array.from(document.querySelectorAll(".pv-card"));
  const shown = cards.filter((card) => !card.hidden);
  return {
    shown: shown.length,
    allMatch: shown.every((card) => card.textContent.toLowerCase().includes(words)),
    noneMissed: cards.filter((card) => card.hidden)
      .every((card) => !card.textContent.toLowerCase().includes(words)),
    status: document.getElementById("pv-status").textContent,
  };
})"""

CARD_BACKGROUND = "getComputedStyle(document.querySelector('.pv-front')).backgroundColor"


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Chromium]:
    executable = find_chromium()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs it")
        pytest.skip("chromium is not installed (apt-get install chromium); CI runs this test")
    chromium = Chromium(executable, tmp_path / "chromium-profile")
    chromium.call("Network.enable")
    yield chromium
    chromium.close()


def test_console_errors_are_caught(browser: Chromium) -> None:
    """The check below can fail: a page that logs an error or throws is noticed."""
    browser.open(
        "data:text/html,<script>console.error('logged'); missingFunction()</script>", *DESKTOP
    )
    errors = browser.console_errors()
    assert errors[0] == "logged"
    assert "missingFunction is not defined" in errors[1]


def test_preview_in_chromium(
    project: Path, run, anki_collection, browser: Chromium, tmp_path: Path, capsys
) -> None:
    assert run("build").exit_code == 0
    collection = anki_collection()
    import_apkg(collection, project / "decks" / "01-introduction-to-ml-infrastructure.apkg")
    expected_cards = collection.card_count()
    assert run("preview", "-o", "preview.html").exit_code == 0
    url = (project / "preview.html").as_uri()
    shots = tmp_path / "screenshots"
    shots.mkdir()

    browser.open(url, *PHONE, mobile=True)
    phone = browser.evaluate(CHECK_CARDS)
    assert phone["cards"] == expected_cards and phone["sides"] == 2 * expected_cards
    assert phone["problems"] == []
    assert phone["pageWidth"] <= PHONE[0]
    saved = [browser.screenshot(shots / "phone-360.png")]

    browser.resize(*DESKTOP)
    desktop = browser.evaluate(CHECK_CARDS)
    assert desktop["problems"] == [] and desktop["pageWidth"] <= DESKTOP[0]
    saved.append(browser.screenshot(shots / "desktop-1280.png"))

    day = browser.evaluate(CARD_BACKGROUND)
    browser.evaluate("document.getElementById('pv-theme').click()")
    assert browser.evaluate("document.body.className") == "nightMode night_mode"
    assert day == "rgb(255, 255, 255)"
    assert browser.evaluate(CARD_BACKGROUND) == "rgb(13, 17, 23)"
    saved.append(browser.screenshot(shots / "desktop-1280-night.png"))
    browser.resize(*PHONE, mobile=True)
    saved.append(browser.screenshot(shots / "phone-360-night.png"))

    found = browser.evaluate(f"{FILTER}('mlflow')")
    assert found["allMatch"] and found["noneMissed"] and found["shown"] > 0
    assert found["status"] == f"{found['shown']} of {expected_cards} cards match"

    assert browser.console_errors() == []
    requested = {
        event["params"]["request"]["url"]
        for event in browser.events
        if event["method"] == "Network.requestWillBeSent"
    }
    assert requested == {url}
    assert all(path.stat().st_size > 10_000 for path in saved)
    with capsys.disabled():
        print("\npreview screenshots:", *saved, sep="\n  ")


def test_every_corpus_card_fits_a_phone(
    tmp_path: Path, run, browser: Chromium, monkeypatch
) -> None:
    """All of the real course, at 360 px: each card laid out, nothing wider than the screen."""
    monkeypatch.chdir(tmp_path)
    result = run("preview", str(CORPUS / "lessons"), "-o", "corpus.html")
    assert result.exit_code == 0, result.output
    total = int(result.stdout.split()[0])
    browser.open((tmp_path / "corpus.html").as_uri(), *PHONE, mobile=True)
    phone = browser.evaluate(CHECK_CARDS)
    assert phone["cards"] == total > 800  # the whole corpus, not an empty preview
    assert phone["problems"] == [] and phone["pageWidth"] <= PHONE[0]
    assert browser.console_errors() == []
