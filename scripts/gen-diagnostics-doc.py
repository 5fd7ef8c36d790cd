#!/usr/bin/env python3
"""Generate docs/diagnostics.md from the code table and the golden fixtures.

The table (support/diagnostic_codes.def) is the single source of every code
the project emits; each policy code's example is its fixture
(fixtures/diagnostics/<CODE>/policy.warden) and the exact output `warden
check` gives for it (expected.txt). With --check, a test verifies that the
committed document is up to date and that the table is the whole vocabulary:
every code written in the sources (a string literal such as "F0301" or an
enumerator such as Code::E0601) is in the table, and every code in the table
is emitted somewhere (named in the sources, or by a fixture). Run this script
after changing either.
"""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent


def shown(data):
    """A fixture's bytes as the page can show them: the fixtures of E0006 and
    E0007 hold bytes that are not UTF-8 text or are control characters, shown
    escaped the way `warden check` shows them."""
    text = data.decode("utf-8", errors="backslashreplace")
    return "".join(c if c in "\n\t" or (ord(c) >= 0x20 and ord(c) != 0x7f) else f"\\x{ord(c):02x}" for c in text)


table = (root / "support/diagnostic_codes.def").read_text()
rows = re.findall(r'^X\((\w+), (\w+), "([^"]*)"\)', table, re.M)
groups = {"E00": "Input", "E01": "Syntax", "E02": "Names", "E03": "Types and semantics",
          "W04": "Warnings", "E05": "Artifacts", "E06": "Hot reload", "E09": "Internal failures",
          "F01": "Facts", "F02": "Requests", "F03": "Fact changes", "F04": "Facts against the policy",
          "T01": "Policy test suites",
          "P01": "PostgreSQL mapping file", "P02": "PostgreSQL mapping against the policy",
          "P03": "PostgreSQL mapping against the database", "P04": "Following PostgreSQL",
          "S01": "Service"}
# Where a code without a fixture comes from, by group; a code's own note
# (below) wins.
group_notes = {
    "E00": "Reported for a path given on the command line; see the CLI tests.",
    "E05": "Reported when an artifact is refused; see `tests/table/` for every case.",
    "E06": "Reported by the Watcher (`warden watch`, services embedding it) as a `Status`; see `tests/watch/`.",
    "E09": "Reported instead of a crash when an operation fails unexpectedly (out of memory, or a bug); "
           "nothing is published or written. Please report it.",
    "F01": "Reported with the file, line and column of the fact record; see [facts.md](facts.md#error-codes) "
           "and `tests/runtime_io/`.",
    "F02": "Reported with the file, line and column of the request; see [facts.md](facts.md#error-codes) "
           "and `tests/runtime_io/`.",
    "F03": "Returned by `Engine::replace_facts()` and `Engine::apply()` as a `Status` (for updates read from "
           "JSONL, with the line of the change); see [facts.md](facts.md#updates).",
    "F04": "Reported with the file, line and column of the name or value when facts are read under a policy: "
           "as errors that refuse the facts (the default of `warden eval` and `warden test`), or as warnings "
           "while the facts load (the default of `warden watch` and `warden serve`); see "
           "[facts.md](facts.md#checked-against-the-policy) and `fixtures/facts_check/`.",
    "T01": "Reported with the place in the suite file; see [testing.md](testing.md) and `tests/policy_test/`.",
    "P01": "Reported by `warden facts check` (and every command or service that reads a mapping file) with the "
           "file, line and column; see [postgres.md](postgres.md#the-mapping-file) and `tests/postgres/mapping_test.cpp`.",
    "P02": "Reported by `warden facts check --policy` at the constant, map value or default the mapping writes; "
           "see [postgres.md](postgres.md#checking-a-mapping).",
    "P03": "Reported by `warden facts check --db` and by every load (a service that cannot plan its mapping "
           "keeps its last facts and retries); see [postgres.md](postgres.md#checking-a-mapping) and "
           "`tests/postgres/schema_test.cpp`.",
    "P04": "Reported by the PostgreSQL fact source as an event (logged by the service, counted in its status); "
           "see [postgres.md](postgres.md#faults) and `tests/postgres/live_test.cpp`.",
    "S01": "Reported by `warden serve` in the JSON error body of an HTTP response; see "
           "[server.md](server.md#error-codes) for the status that goes with it.",
}
notes = {
    "E0004": "Reported by `warden fmt` (rewriting a file in place) and `warden doc -o` when the output cannot "
             "be written; nothing is replaced.",
    "E0507": "Reported by `warden compile` when the output file cannot be written; nothing is replaced.",
    "E0508": "Reported by every command that compiles (`compile`, `eval`, `watch`, `diff`, `doc`, `test`) when "
             "the table the compiler produced fails `validate()`: a compiler bug, never the policy's fault. "
             "Nothing is written or loaded.",
    "E0509": "Reported by a loader given verify keys (`warden eval`, `watch` and `serve` with `--verify-key`, "
             "`Engine::set_verify_keys()`) for an artifact that is not signed, and for policy sources, which "
             "are never signed; the running policy stays. See [signing.md](signing.md).",
    "E0510": "Reported by a loader given verify keys for an artifact signed by a key that is not one of them "
             "(the message names the key); the running policy stays. See [signing.md](signing.md).",
    "E0511": "Reported by a loader given verify keys when the signature does not verify: the header or the "
             "table changed after signing, whatever the checksum says. See [signing.md](signing.md).",
    "E0512": "Reported by `warden compile --sign`, `--verify-key` (`eval`, `watch`, `serve`) and `read_verify_key_file()` / "
             "`parse_verify_key()` for a key file that cannot be read or is not a key of the expected kind. "
             "See [signing.md](signing.md).",
    "F0210": "Reported by `warden watch` when its `--request` file holds no request.",
    "T0110": "Reported by `warden test` for a directory with no `*.test.json` file below it.",
}
out = ["# Diagnostics", "",
       "Every code Warden emits — diagnostics of `warden check` (and `warden compile`, `warden inspect`),",
       "errors in facts, requests and test suites, refused fact changes, hot-reload failures — is listed here,",
       "from one table. Codes are stable: never renumbered or reused for another meaning. Errors fail",
       "(exit 1, or 2 for input that cannot be read); warnings do not, unless `--werror`. This page is",
       "generated by `scripts/gen-diagnostics-doc.py` from the code table `support/diagnostic_codes.def`",
       "and the golden fixtures in `fixtures/diagnostics/`.", "",
       "| code | severity | meaning |", "|---|---|---|"]
for code, severity, title in rows:
    out.append(f"| [{code}](#{code.lower()}) | {severity.lower()} | {title} |")
current = None
for code, severity, title in rows:
    group = groups.get(code[:3], "Other")
    if group != current:
        out += ["", f"## {group}"]
        current = group
    out += ["", f"### {code}", "", f"{severity.lower()}: {title}"]
    fixture = root / "fixtures/diagnostics" / code
    if (fixture / "policy.warden").exists():
        out += ["", "```warden", shown((fixture / "policy.warden").read_bytes()).rstrip("\n"), "```", "",
                "```", (fixture / "expected.txt").read_text().rstrip("\n"), "```"]
    elif code in notes:
        out += ["", notes[code]]
    else:
        out += ["", group_notes[code[:3]]]
text = "\n".join(out) + "\n"


def vocabulary_problems():
    """Codes written in the sources but missing from the table, and table
    codes that nothing emits."""
    listed = {code for code, _, _ in rows}
    written = {}
    pseudo = []
    layers = ["support", "table", "grammar", "compiler", "format", "runtime", "runtime_io", "watch", "views",
              "diff", "policy_test", "sources", "server", "cli", "bindings", "include"]
    for layer in layers:
        for path in sorted((root / layer).rglob("*")):
            if path.suffix not in (".cpp", ".hpp") or not path.is_file():
                continue
            source = path.read_text()
            for code in re.findall(r'"([EWFTPS]\d{4})"', source) + re.findall(r'Code::([EWFTPS]\d{4})\b', source):
                written.setdefault(code, str(path.relative_to(root)))
            # A code given as text must be a code of the table, not a word
            # ("watch", "internal").
            for code in re.findall(r'Status::error\("([^"]*)"', source) + re.findall(r'\bcode = "([^"]*)"', source):
                if not re.fullmatch(r'[EWFTPS]\d{4}', code):
                    pseudo.append(f'{path.relative_to(root)}: "{code}" is not a code of the table')
    problems = pseudo + [f"{code} is emitted by {where} but not in support/diagnostic_codes.def"
                for code, where in sorted(written.items()) if code not in listed]
    fixtures = {p.name for p in (root / "fixtures/diagnostics").iterdir() if p.is_dir()}
    # The compiler's passes report by enumerator too, but most codes about a
    # policy are proved by their fixture.
    problems += [f"{code} is in the table but nothing emits it" for code in sorted(listed)
                 if code not in written and code not in fixtures]
    return problems


target = root / "docs/diagnostics.md"
if len(sys.argv) > 1 and sys.argv[1] == "--check":
    problems = vocabulary_problems()
    if target.read_text() != text:
        problems.append("docs/diagnostics.md is out of date: run scripts/gen-diagnostics-doc.py")
    if problems:
        sys.exit("\n".join(problems))
else:
    target.write_text(text)
