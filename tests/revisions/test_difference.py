"""The readable difference between two snapshots, on hand-made cases."""

from __future__ import annotations

from typing import Any

from wpsmonitor.revisions.selectors import Reworded, TargetChanged, difference


def _snap(nodes: list[tuple[str, str, str]], indicators: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "nodes": [{"code": c, "title": t, "parent": p} for c, t, p in nodes],
        "indicators": [{"definition": "", "node": "O1", "targets": {}, **i} for i in indicators],
    }


BEFORE = _snap(
    [("P1", "Participation", ""), ("O1", "Women in politics", "P1"), ("O2", "Old", "P1")],
    [
        {"code": "I1", "title": "Seats held by women", "targets": {"2026|SEN|total": 30.0}},
        {"code": "I2", "title": "Laws passed", "targets": {"2025|SEN|total": 2.0}},
    ],
)


def test_identical_snapshots_have_no_difference() -> None:
    assert difference(BEFORE, BEFORE).is_empty


def test_added_removed_reworded_moved_and_targets() -> None:
    after = _snap(
        [
            ("P1", "Participation", ""),
            ("O1", "Women in politics and peace talks", "P1"),
            ("P2", "Protection", ""),
            ("O3", "Survivors supported", "P2"),
        ],
        [
            {
                "code": "I1",
                "title": "Seats held by women",
                "definition": "Share of seats",
                "targets": {"2026|SEN|total": 40.0, "2027|SEN|total": 45.0},
            },
            {"code": "I3", "title": "Centres opened", "node": "O3"},
        ],
    )
    diff = difference(BEFORE, after)
    assert [n["code"] for n in diff.nodes_added] == ["P2", "O3"]
    assert [n["code"] for n in diff.nodes_removed] == ["O2"]
    assert diff.nodes_changed == [
        Reworded("O1", "title", "Women in politics", "Women in politics and peace talks")
    ]
    assert [i["code"] for i in diff.indicators_added] == ["I3"]
    assert [i["code"] for i in diff.indicators_removed] == ["I2"]
    assert diff.indicators_changed == [Reworded("I1", "definition", "", "Share of seats")]
    assert diff.targets_changed == [
        TargetChanged("I1", "2026", "SEN", "total", 30.0, 40.0),
        TargetChanged("I1", "2027", "SEN", "total", None, 45.0),
    ]
    assert not diff.is_empty


def test_a_node_moved_and_an_indicator_moved() -> None:
    after = _snap(
        [("P1", "Participation", ""), ("O1", "Women in politics", ""), ("O2", "Old", "O1")],
        [
            {"code": "I1", "title": "Seats held by women", "node": "O2",
             "targets": {"2026|SEN|total": 30.0}},
            {"code": "I2", "title": "Laws passed", "targets": {}},
        ],
    )  # fmt: skip
    diff = difference(BEFORE, after)
    assert diff.nodes_changed == [
        Reworded("O1", "parent", "P1", ""),
        Reworded("O2", "parent", "P1", "O1"),
    ]
    assert diff.indicators_changed == [Reworded("I1", "node", "O1", "O2")]
    # A target removed reads as a change to nothing.
    assert diff.targets_changed == [TargetChanged("I2", "2025", "SEN", "total", 2.0, None)]


def test_a_changed_code_reads_as_removed_and_added() -> None:
    after = _snap(
        [("P1", "Participation", ""), ("O1", "Women in politics", "P1"), ("O2-NEW", "Old", "P1")],
        [
            {"code": "I1", "title": "Seats held by women", "targets": {"2026|SEN|total": 30.0}},
            {"code": "I2", "title": "Laws passed", "targets": {"2025|SEN|total": 2.0}},
        ],
    )
    diff = difference(BEFORE, after)
    assert [n["code"] for n in diff.nodes_removed] == ["O2"]
    assert [n["code"] for n in diff.nodes_added] == ["O2-NEW"]
    assert diff.nodes_changed == [] and diff.targets_changed == []
