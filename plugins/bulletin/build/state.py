"""One build's state: what a run of Pelican knows, finds and decides, in one object.

Not a plugin (no signals). :mod:`bulletin.build.main` creates one
:class:`BuildState` per run and hands it to Pelican in the settings under
:data:`STATE_KEY`; the modules that need it read it with :func:`state_of`.
Nothing else is written into the settings during a build: they stay the
editor's configuration.

Why the settings carry it: the settings dict is the one object Pelican
gives to every place a plugin runs — the ``Pelican`` object
(``initialized``, ``get_writer``, ``finalized``), every generator
(``generator.settings``, and ``generator.context``, a copy of it made in
``Pelican.run``) and the ``Writer`` (``settings=``). No module global is
needed, and two builds in one process (the live preview, the tests) never
share a state. The digest of the settings (:mod:`bulletin.build.uptodate`)
hashes :attr:`BuildState.configuration` — the settings as ``main`` received
them, before this key, the build folder (``OUTPUT_PATH``) and the reader
cache folder (``CACHE_PATH``) were set for the run — so no field of the
state can ever make an unchanged build look changed: there is no list of
"volatile" keys to keep.

Stopping early: Pelican's ``run()`` offers no way for a plugin to end a
build but an exception out of a signal handler. :meth:`BuildState.stop` is
the one place that raises it (:class:`BuildStopped`), after recording why on
the state (:attr:`BuildState.outcome`, :attr:`BuildState.problems`);
``bulletin.build.main`` catches it in one place and reads the outcome.
"""

from __future__ import annotations

import copy
import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:  # annotations only: this module imports nothing of the project
    from bulletin.build.uptodate import RenderKeys
    from bulletin.content.model import Problem

# The one settings key a build adds: its BuildState (see the module docstring).
STATE_KEY = "BULLETIN_BUILD_STATE"


class Outcome(enum.Enum):
    """How a run of Pelican ended."""

    RUNNING = "running"  # not ended yet
    WRITTEN = "written"  # Pelican ran to its end: the build folder is complete
    UP_TO_DATE = "up to date"  # the published output is what this build would write
    CONTENT_ERRORS = "content errors"  # ``problems`` has errors: nothing is published
    CHECKED = "checked"  # ``invoke check``: content read and checked, nothing written
    FAILED = "failed"  # any other exception (a template, a folder): nothing is published


class BuildStopped(Exception):  # noqa: N818 - not always an error: see state.outcome
    """Raised by :meth:`BuildState.stop` only; caught by ``bulletin.build.main``."""

    def __init__(self, state: BuildState):
        # Its text names every problem: a plain ``pelican`` run shows it as is.
        super().__init__("\n".join([state.outcome.value, *map(str, state.problems)]))
        self.state = state


@dataclass(eq=False)
class BuildState:
    """Everything one build knows besides the editor's settings and content.

    Given by ``bulletin.build.main`` before Pelican starts:

    - ``configuration``: the settings as ``main`` received them, a read-only
      deep copy —
      what the settings digest hashes (never this state, never the run's
      build folder);
    - ``published_output``: the ``output`` path (a symlink to the published
      build) this build replaces; None for a check or a plain ``pelican``
      run: nothing to compare with, reuse or record;
    - ``check_only``: ``invoke check`` (and the web editor's check of one
      article): read and check everything — photos decoded, not only their
      headers — then stop with :attr:`Outcome.CHECKED`, writing nothing.

    Found by :mod:`bulletin.build.uptodate`, recorded after a successful
    build (``BUILD_DIGEST_FILE``):

    - ``input_stamp``: the digest of every input file's metadata (layer 1);
    - ``built_at``: this build's "now" (scheduling);
    - ``previous_record``: the last successful build's record, if ``output``
      still points at that build (else empty: everything is rendered);
    - ``build_digest``: the digest of everything the writers turn into
      files (layer 2);
    - ``next_due``: when the first scheduled article falls due;
    - ``render_keys``: the keys :mod:`bulletin.build.writer` describes each
      page call with.

    Kept by :mod:`bulletin.build.writer` while Pelican writes:

    - ``render_index``: ``{name: [key, files]}`` of each page or feed call,
      recorded for the next build's reuse;
    - ``rendered`` / ``reused``: how many calls were rendered, kept;
    - ``kept_files``: published files this build did not write, which
      ``main`` links in from the published build.

    How the run ended: ``outcome`` and, for content errors or a check,
    ``problems`` (every problem of every file, sorted).

    ``on_end``: what must be undone when Pelican's run ends, however it
    ends (:mod:`bulletin.build.parallel`'s worker pool); ``main`` calls each.
    """

    configuration: Mapping[str, Any] = field(default_factory=dict, repr=False)
    published_output: str | None = None
    check_only: bool = False

    input_stamp: str | None = None
    built_at: datetime | None = None
    previous_record: dict[str, Any] = field(default_factory=dict, repr=False)
    build_digest: str | None = None
    next_due: datetime | None = None
    render_keys: RenderKeys | None = field(default=None, repr=False)

    render_index: dict[str, list] = field(default_factory=dict, repr=False)
    rendered: int = 0
    reused: int = 0
    kept_files: set[str] = field(default_factory=set, repr=False)

    outcome: Outcome = Outcome.RUNNING
    problems: list[Problem] = field(default_factory=list, repr=False)

    on_end: list[Callable[[], None]] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        # A deep copy nobody can change: Pelican's readers extend MARKDOWN's
        # lists in place, and the digest must see what main was given.
        self.configuration = MappingProxyType(copy.deepcopy(dict(self.configuration)))

    def __reduce__(self):
        # Pelican's reader cache pickles what it read, and the authors and
        # tags in it (URL wrappers) hold the settings, so this state with
        # them: it belongs to one run, so it is saved as a detached one.
        return (BuildState, ())

    def stop(self, outcome: Outcome, problems: Iterable[Problem] = ()) -> NoReturn:
        """End Pelican's run now, recording why (the one raise of :class:`BuildStopped`)."""
        self.outcome = outcome
        self.problems = list(problems)
        raise BuildStopped(self)


def with_state(settings: Mapping[str, Any], state: BuildState) -> dict[str, Any]:
    """A copy of ``settings`` that carries ``state`` (the caller's dict is left as it is)."""
    return {**settings, STATE_KEY: state}


def state_of(settings: Mapping[str, Any]) -> BuildState:
    """The state of the build these settings run. A run not started by
    ``bulletin.build.main`` (the plain ``pelican`` command) gets a detached
    default one: not checking, nothing published to compare with."""
    state = settings.get(STATE_KEY)
    return state if isinstance(state, BuildState) else BuildState()
