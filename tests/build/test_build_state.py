"""One build, one BuildState: what a run finds goes on it, never into the
settings, and how the run ended is its outcome (bulletin.build.state)."""

from __future__ import annotations

import io
import pickle
import secrets
from dataclasses import dataclass, field

from helpers import FIXTURE_SETTINGS, ROOT, build, copy_fixture_site, settings_for
from pelican import Pelican, signals

from bulletin.build import main
from bulletin.build.main import load_settings, run_pelican
from bulletin.build.state import STATE_KEY, BuildState, Outcome, state_of
from bulletin.content.model import ERROR

SEED = "articles/2023/phat-dong-phong-trao-thi-dua-nam-2023.md"
# Settings the editor or a test may give a build (the tests' clock, the
# reader's typography switch), and the state's one key: nothing else named
# BULLETIN_* may appear in the settings of a build.
INPUTS = {"BULLETIN_NOW", "BULLETIN_TYPOGRIFY", STATE_KEY}


def recorded_states(monkeypatch) -> list[BuildState]:
    """Every state bulletin.build.main creates from now on; each has a field
    BuildState does not have, with a new value in every build."""
    states = []

    @dataclass(eq=False)
    class StateWithANewField(BuildState):
        token: str = field(default_factory=lambda: secrets.token_hex(8))

        def __post_init__(self):
            super().__post_init__()
            states.append(self)

    monkeypatch.setattr(main, "BuildState", StateWithANewField)
    return states


def test_an_unchanged_build_is_skipped_whatever_the_state_holds(tmp_path, monkeypatch):
    """The digests hash the settings main was given, never the state: a new
    field, whatever it holds, cannot make an unchanged build look changed
    (a hand-kept list of volatile keys could forget it)."""
    states = recorded_states(monkeypatch)
    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    written = {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()}
    assert build(content, output)[0] == 0
    seed = content / SEED
    seed.write_bytes(seed.read_bytes())  # new stats, same bytes: layer 2 decides
    assert build(content, output)[0] == 0
    first, untouched, touched = states
    assert len({first.token, untouched.token, touched.token}) == 3
    assert first.outcome is Outcome.WRITTEN
    # Layer 1 (file stats) stopped before anything was read: no digest.
    assert untouched.outcome is Outcome.UP_TO_DATE and untouched.build_digest is None
    assert untouched.input_stamp == first.input_stamp
    # Layer 2 (what was read) stopped before anything was written.
    assert touched.outcome is Outcome.UP_TO_DATE and touched.input_stamp != first.input_stamp
    assert touched.build_digest == first.build_digest
    assert {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()} == written


def test_a_build_leaves_its_findings_on_its_state_not_in_the_settings(tmp_path, monkeypatch):
    states = recorded_states(monkeypatch)
    seen = []

    def keep(pelican):
        seen.append(pelican.settings)

    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    with signals.finalized.connected_to(keep):
        assert build(content, output)[0] == 0
        (content / SEED).write_text(
            (content / SEED).read_text(encoding="utf-8") + "\nĐoạn mới.\n", encoding="utf-8"
        )
        assert build(content, output)[0] == 0
    for settings, state in zip(seen, states, strict=True):
        assert {key for key in settings if key.startswith("BULLETIN_")} <= INPUTS
        assert state_of(settings) is state
        assert STATE_KEY not in state.configuration
        assert state.configuration["OUTPUT_PATH"] == str(output)  # not the build folder
        assert state.outcome is Outcome.WRITTEN
        assert state.published_output == str(output)
        assert state.input_stamp and state.build_digest and state.built_at
        assert state.render_index and state.rendered
    first, second = states
    assert first.previous_record == {} and first.reused == 0
    # The second build compared with the first one's record and kept pages.
    assert second.previous_record["digest"] == first.build_digest
    assert second.reused > 20 and second.rendered < 6
    assert "tin-tuc/2024/canh-giac-lua-dao/index.html" in second.kept_files  # not edited


def run(content, output, **state) -> BuildState:
    settings = settings_for(content, output)
    found = BuildState(configuration=settings, published_output=str(output), **state)
    run_pelican(dict(settings, OUTPUT_PATH=str(output.parent / "scratch")), found)
    return found


def test_how_a_run_ends_is_its_outcome(tmp_path):
    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    checked = run(content, output, check_only=True)
    assert checked.outcome is Outcome.CHECKED
    assert checked.problems == [] and checked.build_digest is None
    assert not (tmp_path / "scratch" / "index.html").exists()  # a check writes no page
    assert run(content, output).outcome is Outcome.WRITTEN
    text = (content / SEED).read_text(encoding="utf-8")
    (content / SEED).write_text(text.replace("Date: 2023-03-09", "Date: 2023-02-31"), "utf-8")
    failed = run(content, output)
    assert failed.outcome is Outcome.CONTENT_ERRORS
    assert [(p.path, p.line) for p in failed.problems if p.severity == ERROR] == [
        (f"content/{SEED}", 2)
    ]
    stream = io.StringIO()
    settings = load_settings(str(ROOT / "pelicanconf.py"), PATH=str(content), **FIXTURE_SETTINGS)
    assert main.check_site(settings, stream=stream) == 1
    assert stream.getvalue().startswith(f"content/{SEED}:2: lỗi: ")


def test_a_plain_pelican_run_builds_without_a_state(tmp_path):
    """The ``pelican`` command (no bulletin.build.main): every module gets a
    detached state — nothing to compare with, nothing recorded, all written."""
    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    settings = settings_for(content, output)
    Pelican(settings).run()
    assert (output / "index.html").is_file()
    assert not (tmp_path / "cache" / "build-record.json").exists()
    assert {key for key in settings if key.startswith("BULLETIN_")} <= INPUTS - {STATE_KEY}


def test_a_state_is_never_saved_with_the_reader_cache():
    """Pelican pickles what it read, with the settings its authors and tags
    hold: the state goes in as a detached one, never this build's index."""
    state = BuildState(configuration={"PATH": "content"}, published_output="/srv/output")
    state.render_index["index.html"] = ["key", ["index.html"]]
    again = pickle.loads(pickle.dumps({STATE_KEY: state}))[STATE_KEY]
    assert isinstance(again, BuildState) and again is not state
    assert again.published_output is None and again.render_index == {}
    assert dict(again.configuration) == {}
