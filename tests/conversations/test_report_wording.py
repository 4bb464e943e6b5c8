"""Why the report shows this many groups, said in the reader's language from the analysis's figures (the
library's own sentence is English, for its command line): each case the library names."""

from __future__ import annotations

from types import SimpleNamespace

from coproduce.conversations.report import explain_groups


def analysed(k: int, placed: int, silhouettes: dict[int, float]) -> SimpleNamespace:
    return SimpleNamespace(
        k=k, coordinates={str(i): (0.0, 0.0) for i in range(placed)}, silhouettes=silhouettes
    )


def test_each_case_is_explained():
    assert explain_groups(analysed(0, 0, {})) == "Nobody has voted enough yet to be placed in a group."
    assert explain_groups(analysed(1, 1, {})).startswith("Only 1 person has voted enough to be placed")
    assert explain_groups(analysed(1, 3, {})).startswith("Only 3 people have voted enough to be placed")
    assert explain_groups(analysed(1, 9, {})) == "Everyone placed voted the same way, so there is one group."
    chosen = explain_groups(analysed(2, 40, {2: 0.59, 3: 0.595}))
    assert chosen.startswith(
        "2 groups: people sit closest to their own group and furthest from the others with 2"
    )
    assert "(silhouette 0.59; 2 groups: 0.59, 3 groups: 0.59)" in chosen  # 0.595 is stored as 0.59499…
    assert "the smaller number of groups is chosen" in chosen
    assert "fixed sample" in explain_groups(analysed(3, 3001, {3: 0.4}))
