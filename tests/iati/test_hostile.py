"""Hostile XML is refused before any content is parsed, quickly and with bounded memory, and
an import that meets one stores nothing."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from wpsmonitor.iati import models as m
from wpsmonitor.iati.importer import ImportRefused, WpsFilter, import_files
from wpsmonitor.iati.reader import IatiFileRefused, IatiReader

from .conftest import activities_file, activity_xml

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<iati-activities version="2.03"><iati-activity><iati-identifier>&lol9;</iati-identifier>
</iati-activity></iati-activities>
"""


def _quadratic() -> str:
    # One 100 kB entity referenced 100,000 times: 10 GB once expanded.
    big = "x" * 100_000
    refs = "&a;" * 100_000
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE kaboom [<!ENTITY a "{big}">]>\n'
        f'<iati-activities version="2.03"><iati-activity><iati-identifier>Q</iati-identifier>'
        f"<title>{refs}</title></iati-activity></iati-activities>\n"
    )


EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<iati-activities version="2.03"><iati-activity><iati-identifier>X</iati-identifier>
<title>&xxe;</title></iati-activity></iati-activities>
"""

EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE iati-activities SYSTEM "http://127.0.0.1:9/iati.dtd">
<iati-activities version="2.03"><iati-activity><iati-identifier>D</iati-identifier>
</iati-activity></iati-activities>
"""

PARAMETER_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<iati-activities version="2.03"/>
"""

PLAIN_DOCTYPE = """<!-- a comment first -->
<!DOCTYPE iati-activities>
<iati-activities version="2.03"/>
"""

CASES = {
    "billion laughs": BILLION_LAUGHS,
    "quadratic blow-up": _quadratic(),
    "external entity": EXTERNAL_ENTITY,
    "external DTD": EXTERNAL_DTD,
    "parameter entity": PARAMETER_ENTITY,
    "any DOCTYPE": PLAIN_DOCTYPE,
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_file_refused_fast_with_bounded_memory(tmp_path: Path, case: str) -> None:
    path = tmp_path / "hostile.xml"
    path.write_text(CASES[case], encoding="utf-8")
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(IatiFileRefused) as refused:
        list(IatiReader(path))
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "DOCTYPE" in refused.value.message
    assert seconds < 1.0
    # The prolog is read once, at most 1 MiB, as bytes and as text: a few MiB at most.
    assert peak < 8 * 1024 * 1024


def test_doctype_in_utf16_refused(tmp_path: Path) -> None:
    path = tmp_path / "u16.xml"
    path.write_bytes(
        EXTERNAL_ENTITY.replace('version="1.0"', 'version="1.0" encoding="UTF-16"', 1).encode(
            "utf-16"
        )
    )
    with pytest.raises(IatiFileRefused, match="DOCTYPE"):
        list(IatiReader(path))


def test_not_well_formed_refused_with_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text(
        '<iati-activities version="2.03">\n<iati-activity>\n<iati-identifier>B</iati-identifier>\n'
        "<title>unclosed\n</iati-activity>\n</iati-activities>\n",
        encoding="utf-8",
    )
    with pytest.raises(IatiFileRefused) as refused:
        list(IatiReader(path))
    assert "not well-formed" in refused.value.message
    assert refused.value.line == 5


@pytest.mark.parametrize(
    "content, message",
    [
        ("<html><body>not IATI</body></html>", "root element is <html>"),
        ("", "empty"),
        ("just text, no markup", "no XML element"),
    ],
)
def test_not_iati_refused(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "other.xml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(IatiFileRefused, match=message):
        IatiReader(path)


@pytest.mark.django_db
def test_hostile_second_file_leaves_nothing_stored(tmp_path: Path) -> None:
    good = activities_file(tmp_path / "good.xml", activity_xml("GOOD-1"))
    bad = tmp_path / "bad.xml"
    bad.write_text(BILLION_LAUGHS, encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        import_files(paths=[good, bad], wps_filter=WpsFilter.build(criteria=["all"]))
    run = refused.value.run
    assert run.status == m.ImportStatus.FAILED
    assert run.error.startswith("bad.xml: the file declares a DOCTYPE")
    assert m.Activity.objects.count() == 0
    assert m.Organisation.objects.count() == 0
    # The run itself stays, failed, with the counts of what had been read.
    run.refresh_from_db()
    assert run.status == m.ImportStatus.FAILED
    assert run.summary["activities_read"] == 1
