"""deckgen in a course repository's CI: the GitHub Action, the workflows, the pre-commit hook,
and the comment the action posts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from deckgen import prcomment
from deckgen.version import REPOSITORY, TAG

from .conftest import REPO, edit_lesson, git
from .helpers import deckgen_process

BIN = Path(sys.executable).parent


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# --- the comment ------------------------------------------------------------------------------


def test_comment_defuses_mentions_references_and_images() -> None:
    hostile = (
        "- **new** Definition: Ping @octocat and @org/team, see owner/repo#12 and #3\n"
        "  - Back: ![pixel](https://example.com/t.png) <IMG src=x> <img src=y>\n"
    )
    body = prcomment.comment(hostile)
    assert body.startswith(prcomment.MARKER + "\n")
    for live in ("@octocat", "@org", "#12", "#3", "![", "<IMG", "<img"):
        assert live not in body, live
    # The reader still sees the text: only zero-width joiners went in, and `<` as an entity.
    shown = body.replace("\u200d", "").replace("&lt;", "<")
    assert shown == prcomment.MARKER + "\n" + hostile
    assert "user@example.com" in prcomment.defuse("mail user@example.com")  # no handle there


def test_comment_is_cut_at_a_line_to_fit_and_says_what_it_cut() -> None:
    lines = [f"- note {n}: {'x' * 90}\n" for n in range(2000)]
    markdown = "".join(lines)
    body = prcomment.comment(markdown)
    assert len(body) <= prcomment.COMMENT_LIMIT < len(markdown)
    kept = body.count("- note ")
    assert 0 < kept < 2000
    assert f"{2000 - kept} more lines" in body
    assert lines[kept - 1] in body and lines[kept] not in body
    assert prcomment.comment("short\n") == prcomment.MARKER + "\nshort\n"  # whole when it fits
    assert "no report" in prcomment.comment("")  # deckgen stopped: never an empty comment


def test_comment_command_reads_stdin_and_takes_a_limit() -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "deckgen.prcomment", *args],
            input="@someone " + "y" * 3000 + "\nsecond line\n",
            capture_output=True,
            text=True,
            check=False,
        )

    whole, cut = run(), run("2000")
    assert whole.returncode == cut.returncode == 0
    assert "@\u200dsomeone" in whole.stdout and "second line" in whole.stdout
    assert len(cut.stdout) <= 2000 and "2 more lines" in cut.stdout
    assert run("10").returncode == run("many").returncode == 2


# --- the action -------------------------------------------------------------------------------


def _step(action: dict, step_id: str) -> dict:
    [step] = [step for step in action["runs"]["steps"] if step.get("id") == step_id]
    return step


def test_action_check_step_writes_summary_and_comment_and_keeps_the_status(
    repo: Path, tmp_path: Path
) -> None:
    """Run the action's own `deckgen check` script, with the environment GitHub gives it."""
    script = _step(_yaml(REPO / "action.yml"), "check")["run"]
    runner = tmp_path / "runner"
    runner.mkdir()
    git("update-ref", "refs/remotes/origin/main", "HEAD")  # the pull request's base branch

    def run_step() -> tuple[str, str, str]:
        files = {name: runner / name for name in ("output", "summary.md")}
        for file in files.values():
            file.write_text("", encoding="utf-8")
        env = {
            **os.environ,
            "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
            "BASE": "",
            "BASE_REF": "main",
            "RUNNER_TEMP": str(runner),
            "GITHUB_OUTPUT": str(files["output"]),
            "GITHUB_STEP_SUMMARY": str(files["summary.md"]),
        }
        subprocess.run(["bash", "-e", "-c", script], env=env, check=True)
        comment = (runner / "deckgen-comment.md").read_text(encoding="utf-8")
        return (
            files["output"].read_text(encoding="utf-8"),
            files["summary.md"].read_text(encoding="utf-8"),
            comment,
        )

    output, summary, comment = run_step()
    assert output == "status=0\n"
    assert "No changes for learners." in summary
    assert comment.startswith(prcomment.MARKER)
    edit_lesson("Container orchestration at scale", "Container orchestration by @octocat")
    output, summary, comment = run_step()
    assert output == "status=1\n"  # stale: the last step fails the job with it
    assert "@\u200doctocat" in summary and "@\u200doctocat" in comment
    assert "@octocat" not in summary + comment


def test_action_installs_itself_caches_pip_and_never_runs_on_pull_request_target() -> None:
    action = _yaml(REPO / "action.yml")
    text = (REPO / "action.yml").read_text(encoding="utf-8")
    steps = action["runs"]["steps"]
    assert action["runs"]["using"] == "composite"
    install = next(step for step in steps if "pip install" in step.get("run", ""))
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    assert any(step.get("uses", "").startswith("actions/cache@") for step in steps)
    assert "pull_request_target" not in text
    # The comment step finds the comment by the marker prcomment writes, and skips forks.
    comment = next(step for step in steps if "gh api" in step.get("run", ""))
    assert prcomment.MARKER in comment["run"]
    assert "head.repo.full_name == github.repository" in comment["if"]
    assert "PATCH" in comment["run"]


def _action_as_workflow(action: dict) -> dict:
    """The action's steps as a reusable workflow's job, with its inputs: actionlint checks
    workflows, and reads an action's metadata only for the inputs a workflow gives it."""
    inputs = {
        name: {"type": "string", "required": False, "description": spec["description"]}
        for name, spec in action["inputs"].items()
    }
    job = {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}
    return {"name": action["name"], "on": {"workflow_call": {"inputs": inputs}}, "jobs": {"a": job}}


def _actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "actionlint"), "-no-color", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_action_and_workflows_pass_actionlint(tmp_path: Path) -> None:
    action = _yaml(REPO / "action.yml")
    as_workflow = tmp_path / "action.yml"
    as_workflow.write_text(yaml.safe_dump(_action_as_workflow(action)), encoding="utf-8")
    workflows = sorted((REPO / ".github" / "workflows").glob("*.yml"))
    assert workflows
    result = _actionlint(as_workflow, *workflows)
    assert result.returncode == 0, result.stdout + result.stderr
    # It would catch a lesson's text pasted into a script, the hole `env:` closes.
    check = _step(action, "check")
    check["run"] += 'echo "${{ github.event.pull_request.title }}"\n'
    as_workflow.write_text(yaml.safe_dump(_action_as_workflow(action)), encoding="utf-8")
    assert _actionlint(as_workflow).returncode == 1


def test_this_repository_s_workflow_uses_the_action_from_its_checkout() -> None:
    workflow = _yaml(REPO / ".github" / "workflows" / "decks.yml")
    uses = [step.get("uses") for job in workflow["jobs"].values() for step in job["steps"]]
    assert "./" in uses
    assert workflow["permissions"]["pull-requests"] == "write"


def test_the_hook_runs_on_every_commit_wherever_the_lessons_are() -> None:
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "deckgen-check"
    assert hook["entry"] == "deckgen check"
    assert hook["always_run"] is True and hook["pass_filenames"] is False
    assert "files" not in hook


# --- a course repository, end to end ----------------------------------------------------------


def _hook_repository(tmp_path: Path) -> tuple[Path, str]:
    """This checkout's package, as it is on disk, committed to a git repository, and the
    commit: what pre-commit fetches from deckgen's repository at `rev:`."""
    hooks = tmp_path / "deckgen-hooks"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(REPO / "src", hooks / "src", ignore=ignore)
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy(REPO / name, hooks / name)
    _git(hooks, "init", "-q")
    _git(hooks, "add", "-A")
    _git(hooks, "commit", "-qm", "deckgen")
    return hooks, _git(hooks, "rev-parse", "HEAD").stdout.strip()


def _git(where: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(where), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        capture_output=True,
        text=True,
        check=False,
    )


LESSON = """\
# 1. Containers

## Docker

- **Image**: an app packed with everything it needs to run.
- **Container**: a running instance of an image.
"""


@pytest.mark.slow
def test_a_course_adopts_deckgen_and_its_hook_catches_a_stale_deck(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """init, build, commit, edit, check, then pre-commit itself runs the hook, installed from
    a repository at a commit as a course's `.pre-commit-config.yaml` names it."""
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-home"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    course = tmp_path / "course"
    (course / "notes" / "module-1").mkdir(parents=True)
    (course / "README.md").write_text("# Containers 101\n", encoding="utf-8")
    lesson = course / "notes" / "module-1" / "01-containers.md"
    lesson.write_text(LESSON, encoding="utf-8")
    assert _git(course, "init", "-q").returncode == 0

    init = deckgen_process(course, "init")
    assert init.returncode == 0, init.stderr
    assert "deckgen build" in init.stdout
    config = _yaml(course / "deckgen.yaml")
    assert config["lessons"] == "notes" and config["course"]["name"] == "Containers 101"
    # Point the hook at this checkout, in place of deckgen's repository at this version's tag.
    pre_commit_config = course / ".pre-commit-config.yaml"
    hooked = pre_commit_config.read_text(encoding="utf-8")
    assert f"repo: https://github.com/{REPOSITORY}\n" in hooked and f"rev: {TAG}\n" in hooked
    hooks, commit = _hook_repository(tmp_path)
    hooked = hooked.replace(f"https://github.com/{REPOSITORY}", str(hooks))
    pre_commit_config.write_text(hooked.replace(TAG, commit), encoding="utf-8")

    assert deckgen_process(course, "build").returncode == 0
    assert (course / "decks" / "module-1" / "01-containers.apkg").is_file()
    assert _git(course, "add", "-A").returncode == 0
    assert _git(course, "commit", "-qm", "decks").returncode == 0
    assert ".deckgen-cache" not in _git(course, "ls-files").stdout

    lesson.write_text(LESSON.replace("everything it needs", "every library it needs"), "utf-8")
    check = deckgen_process(course, "check")
    assert check.returncode == 1
    assert "every library" in check.stdout
    assert "[-everything-]{+every library+}" in check.stdout  # the word-level diff
    assert "decks are stale" in check.stderr

    pre_commit = str(BIN / "pre-commit")
    assert subprocess.run([pre_commit, "install"], cwd=course, check=False).returncode == 0
    _git(course, "add", "-A")
    refused = _git(course, "commit", "-m", "edit without rebuilding")
    said = refused.stdout + refused.stderr  # git gives a hook's output to stderr
    assert refused.returncode == 1, said
    assert "deckgen check" in said and "Failed" in said
    assert "decks are stale" in said
    assert _git(course, "log", "--format=%s").stdout == "decks\n"
    # Rebuilt, the same commit goes through the same hook.
    assert deckgen_process(course, "build").returncode == 0
    _git(course, "add", "-A")
    accepted = _git(course, "commit", "-m", "edit, decks rebuilt")
    said = accepted.stdout + accepted.stderr
    assert accepted.returncode == 0, said
    assert "deckgen check" in said and "Passed" in said


def test_the_readme_s_workflow_passes_actionlint(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    [workflow] = [b for b in readme.split("```yaml\n")[1:] if "jobs:" in b.split("```")[0]]
    path = tmp_path / "decks.yml"
    path.write_text(workflow.split("```")[0], encoding="utf-8")
    result = _actionlint(path)
    assert result.returncode == 0, result.stdout
