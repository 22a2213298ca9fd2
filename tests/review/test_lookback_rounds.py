"""The look-back matcher on real consecutive rounds (tests/review/lookback_pairs), its lexicon."""

from __future__ import annotations

from pathlib import Path

from zhenggai.review import lookback, lookback_eval

PAIRS = Path(__file__).parent / "lookback_pairs"


def _split(name: str) -> list[lookback_eval.Unit]:
    return [u for u in lookback_eval.load_units(PAIRS) if u.split == name]


def test_the_labelled_set_is_sixty_pairs_or_more_from_four_units_or_more() -> None:
    units = lookback_eval.load_units(PAIRS)
    figures = lookback_eval.evaluate(units)
    assert figures.pairs >= 60
    assert len(units) >= 4
    assert {u.split for u in units} == {"tuning", "held-out"}


def test_tuning_units_meet_the_goal() -> None:
    # docs/lookback.md: 6/6 right first, 0/83 false repeat links.
    figures = lookback_eval.evaluate(_split("tuning"))
    assert figures.recall >= 0.8
    assert figures.false_rate <= 0.05


def test_held_out_units_meet_the_goal() -> None:
    # docs/lookback.md: 4/5 right first, 1/61 false repeat links; never tuned on.
    figures = lookback_eval.evaluate(_split("held-out"))
    assert figures.recall >= 0.8
    assert figures.false_rate <= 0.05


def test_a_vague_title_is_read_through_its_measures() -> None:
    # The example: 工作要求不高 whose measures are about 公文 and 归档.
    earlier = [
        lookback.Candidate(1, "会议记录未整改到位"),
        lookback.Candidate(2, "文档管理未整改到位", "上轮整改材料没有及时归档"),
        lookback.Candidate(3, "财务方面未整改到位"),
    ]
    found = lookback.match("工作要求不高", "规范公文管理，负责上级文件的收集和归档", earlier)
    assert found[0].key == 2
    assert found[0].repeat


def test_a_measure_does_not_make_the_problem_what_it_touches() -> None:
    # A 民主生活会 problem whose measure keeps minutes is not the old minutes problem again.
    earlier = [lookback.Candidate(1, "会议记录未整改到位")]
    found = lookback.match("民主生活会不重视", "指定专人负责民主生活会的会议记录", earlier)
    assert not any(m.repeat for m in found)


def test_the_lexicon_reads_the_longest_term_first() -> None:
    assert lookback.areas("生活作风腐化") == frozenset({"生活作风"})
    assert "作风形式主义" in lookback.areas("作风虚假飘浮")


def test_every_area_names_its_sources_and_terms() -> None:
    import json
    from importlib import resources

    raw = resources.files("zhenggai.review").joinpath("lookback_areas.json").read_text("utf-8")
    data = json.loads(raw)
    for name, area in data["areas"].items():
        assert area["terms"], name
        assert set(area["source"]) <= set(data["sources"]), name
