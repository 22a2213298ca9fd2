"""Chinese dates → ISO dates with a precision (zhenggai.notice.dates)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhenggai.notice.dates import DateResolver, extract_dates
from zhenggai.notice.model import DateMention

Row = tuple[str, str | None, str | None, str]


def rows(text: str, *, year: int | None = None) -> list[Row]:
    """(text, start, end, precision) of every mention, for compact assertions."""
    return [(m.text, m.start, m.end, m.precision) for m in extract_dates(text, year=year)]


def only(text: str, *, year: int | None = None) -> DateMention:
    mentions = extract_dates(text, year=year)
    assert len(mentions) == 1, mentions
    return mentions[0]


def day(iso: str, text: str) -> Row:
    return (text, iso, iso, "day")


# ---------------------------------------------------------------------------------------------
# Full dates


@pytest.mark.parametrize(
    "text",
    [
        "2024年1月19日",
        "2024年1月19号",
        "２０２４年１月１９日",
        "2024 年 1 月 19 日",
        "2024年01月19日",
        "二〇二四年一月十九日",
        "二0二四年一月十九日",
    ],
)
def test_a_full_date_is_one_day_however_it_is_written(text: str) -> None:
    assert rows(f"于{text}学习") == [day("2024-01-19", text)]


@pytest.mark.parametrize("text", ["2024.1.19", "2024-01-19", "2024/1/19", "２０２４－０１－１９"])
def test_numeric_dates_with_one_separator_are_days(text: str) -> None:
    assert rows(f"日期：{text} 08:46") == [day("2024-01-19", text)]


@pytest.mark.parametrize(
    "text",
    ["2024.13.1", "2024-02-30", "3024-01-19", "12024-01-19", "2024.1.19.5", "2024-1/19", "1.3.2"],
)
def test_numbers_that_only_look_like_numeric_dates_are_not_dates(text: str) -> None:
    assert rows(text) == []


def test_a_year_alone_covers_the_whole_year() -> None:
    assert rows("2024年") == [("2024年", "2024-01-01", "2024-12-31", "year")]


def test_a_year_in_chinese_numerals_with_a_digit_zero_is_read() -> None:
    assert rows("《国家主席习近平发表二0二四年新年贺词》") == [
        ("二0二四年", "2024-01-01", "2024-12-31", "year")
    ]


def test_a_month_covers_the_whole_month_including_a_leap_february() -> None:
    assert rows("2024年3月") == [("2024年3月", "2024-03-01", "2024-03-31", "month")]
    assert rows("2024年2月份") == [("2024年2月份", "2024-02-01", "2024-02-29", "month")]


def test_a_year_festival_or_start_is_only_the_year() -> None:
    assert rows("2024年春节写春联") == [("2024年", "2024-01-01", "2024-12-31", "year")]
    assert rows("从2024年开始") == [("2024年", "2024-01-01", "2024-12-31", "year")]
    assert rows("2023年度先进集体") == [("2023年度", "2023-01-01", "2023-12-31", "year")]


# ---------------------------------------------------------------------------------------------
# Ranges


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2023年12月27日-2024年3月22日", "2023-12-27", "2024-03-22"),
        ("2023年10月13日至11月17日", "2023-10-13", "2023-11-17"),
        ("2024年7月17日至20日", "2024-07-17", "2024-07-20"),
        ("2025年4月15日至2025年6月30日", "2025-04-15", "2025-06-30"),
        ("2024年7月17-20日", "2024-07-17", "2024-07-20"),
        ("2020年4月10日—5月31日", "2020-04-10", "2020-05-31"),
        ("2020年4月10日–5月31日", "2020-04-10", "2020-05-31"),
        ("2020年4月10日～5月31日", "2020-04-10", "2020-05-31"),
        ("2020年4月10日~5月31日", "2020-04-10", "2020-05-31"),
        ("2020年4月10日－5月31日", "2020-04-10", "2020-05-31"),
        ("2020年4月10日到5月31日", "2020-04-10", "2020-05-31"),
        ("2020年4月10日起至5月31日", "2020-04-10", "2020-05-31"),
        ("2025年4月15日至2025年6\n月30日", "2025-04-15", "2025-06-30"),
        ("2024-01-01至2024-03-31", "2024-01-01", "2024-03-31"),
    ],
)
def test_a_range_of_days_is_one_mention_with_the_end_inheriting_what_it_omits(
    text: str, start: str, end: str
) -> None:
    assert rows(f"{text}，巡察组") == [(text, start, end, "day")]


def test_a_range_end_that_would_fall_before_its_start_is_in_the_next_year() -> None:
    assert rows("2023年12月27日至1月5日") == [
        ("2023年12月27日至1月5日", "2023-12-27", "2024-01-05", "day")
    ]


def test_a_range_whose_written_years_run_backwards_is_two_single_dates() -> None:
    assert rows("2024年3月1日至2023年2月1日") == [
        day("2024-03-01", "2024年3月1日"),
        day("2023-02-01", "2023年2月1日"),
    ]


def test_a_range_ending_on_29_february_needs_a_leap_year() -> None:
    assert rows("2024年2月28日至29日") == [
        ("2024年2月28日至29日", "2024-02-28", "2024-02-29", "day")
    ]
    # 2023 has no 29 February: the end is no day, and the start stands alone.
    assert rows("2023年2月28日至29日") == [day("2023-02-28", "2023年2月28日")]


def test_months_sharing_one_yue_are_a_month_range() -> None:
    assert rows("2025年1—3月累计填报") == [("2025年1—3月", "2025-01-01", "2025-03-31", "month")]
    assert rows("1-3月", year=2025) == [("1-3月", "2025-01-01", "2025-03-31", "month")]


def test_years_sharing_one_nian_are_a_year_range() -> None:
    assert rows("2023-2024年") == [("2023-2024年", "2023-01-01", "2024-12-31", "year")]


def test_a_number_range_of_years_is_no_month() -> None:
    assert rows("5-8年") == []


def test_a_date_followed_by_zhijin_is_open_ended() -> None:
    mention = only("2024年3月至今")
    assert (mention.text, mention.start, mention.end) == ("2024年3月至今", "2024-03-01", None)
    assert (mention.precision, mention.meaning) == ("month", "since")


# ---------------------------------------------------------------------------------------------
# 截至


@pytest.mark.parametrize("cut", ["截至", "截止", "截止到"])
def test_jiezhi_gives_an_end_only_and_keeps_the_word_in_the_text(cut: str) -> None:
    mention = only(f"1.{cut}2024年3月22日，共上会2次")
    assert (mention.text, mention.start, mention.end) == (f"{cut}2024年3月22日", None, "2024-03-22")
    assert mention.precision == "day"


def test_jiezhi_a_month_ends_on_the_months_last_day() -> None:
    mention = only("截至3月", year=2024)
    assert (mention.start, mention.end, mention.precision) == (None, "2024-03-31", "month")


def test_jiezhi_mu_qian_is_vague_and_never_an_error() -> None:
    mention = only("截至目前，巡察反馈25个问题")
    assert (mention.text, mention.start, mention.end) == ("截至目前", None, None)
    assert (mention.precision, mention.meaning) == ("vague", "to_date")


# ---------------------------------------------------------------------------------------------
# Years and months from context


def test_a_month_and_day_take_the_year_of_the_latest_earlier_date() -> None:
    text = "2024年春节写春联；3月7日在960广场开展活动"
    assert rows(text)[-1] == day("2024-03-07", "3月7日")


def test_the_resolver_carries_the_year_from_one_piece_to_the_next() -> None:
    resolver = DateResolver()
    resolver.extract("2024年8月18日至9月14日，县委第二巡察组对我单位进行了巡察。")
    mentions = resolver.extract("10月24日，巡察组向我局反馈")
    assert [(m.start, m.end) for m in mentions] == [("2024-10-24", "2024-10-24")]
    assert (resolver.year, resolver.month) == (2024, 10)


def test_a_resolver_can_start_from_a_known_year() -> None:
    assert DateResolver(year=2020).extract("12月3日反馈")[0].start == "2020-12-03"


def test_a_month_and_day_with_no_year_known_keep_their_dates_empty() -> None:
    mention = only("3月7日联合市科协开展活动")
    assert (mention.text, mention.start, mention.end, mention.precision) == (
        "3月7日",
        None,
        None,
        "day",
    )


def test_a_month_alone_takes_the_year_from_context() -> None:
    assert rows("2025年1月、2月分别召开")[-1] == ("2月", "2025-02-01", "2025-02-28", "month")


def test_a_bare_day_listed_after_a_date_takes_its_month() -> None:
    assert rows("2024年3月5日、6日和8日召开") == [
        day("2024-03-05", "2024年3月5日"),
        day("2024-03-06", "6日"),
        day("2024-03-08", "8日"),
    ]


def test_a_bare_day_without_a_date_before_it_is_not_a_date() -> None:
    assert rows("每月20日前报送", year=2024) == [("每月", None, None, "vague")]


def test_dates_inside_book_titles_do_not_set_the_year_for_later_dates() -> None:
    text = "2024年3月25日印发《关于表扬2023年度先进集体的通知》，3月26日转发"
    assert rows(text)[-1] == day("2024-03-26", "3月26日")


def test_a_month_written_in_chinese_needs_its_day() -> None:
    assert rows("十二月三日召开", year=2023) == [day("2023-12-03", "十二月三日")]
    assert rows("三月", year=2023) == []


# ---------------------------------------------------------------------------------------------
# Dropped 年 / 月


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2024717日至830日", "2024-07-17", "2024-08-30"),
        ("2024年717日", "2024-07-17", "2024-07-17"),
        ("2024年1231日", "2024-12-31", "2024-12-31"),
        ("20241231日", "2024-12-31", "2024-12-31"),
        ("20247月17日", "2024-07-17", "2024-07-17"),
    ],
)
def test_dropped_nian_or_yue_are_restored_when_only_one_reading_exists(
    text: str, start: str, end: str
) -> None:
    assert rows(text) == [(text, start, end, "day")]


@pytest.mark.parametrize("text", ["2024111日", "2024年111日", "2024年101日", "2024年129日"])
def test_dropped_nian_or_yue_with_two_readings_are_not_guessed(text: str) -> None:
    assert rows(text) == []


# ---------------------------------------------------------------------------------------------
# Quarters and halves


@pytest.mark.parametrize("text", ["2024年第一季度", "2024年一季度", "2024年第1季度", "2024年Q1"])
def test_a_quarter_covers_three_months(text: str) -> None:
    assert rows(f"召开了{text}分析会") == [(text, "2024-01-01", "2024-03-31", "quarter")]


def test_a_quarter_without_its_year_takes_it_from_context() -> None:
    assert rows("第三季度", year=2024) == [("第三季度", "2024-07-01", "2024-09-30", "quarter")]
    assert rows("Q4", year=2024) == [("Q4", "2024-10-01", "2024-12-31", "quarter")]
    assert rows("FAQ1") == []


def test_a_quarter_is_never_a_day() -> None:
    assert all(m.precision != "day" for m in extract_dates("2024年第一季度召开分析研判会议"))


def test_a_half_year_is_vague_with_its_six_months_when_the_year_is_known() -> None:
    first = only("2024年上半年")
    assert (first.start, first.end, first.precision, first.meaning) == (
        "2024-01-01",
        "2024-06-30",
        "vague",
        "first_half",
    )
    second = only("下半年完成", year=2024)
    assert (second.start, second.end, second.meaning) == ("2024-07-01", "2024-12-31", "second_half")
    unknown = only("上半年")
    assert (unknown.start, unknown.end, unknown.meaning) == (None, None, "first_half")


# ---------------------------------------------------------------------------------------------
# Vague phrases


@pytest.mark.parametrize(
    ("text", "meaning"),
    [
        ("年初", "year_start"),
        ("年中", "mid_year"),
        ("年底", "year_end"),
        ("年末", "year_end"),
        ("每季度", "quarterly"),
        ("每月", "monthly"),
        ("每年", "yearly"),
        ("每半年", "half_yearly"),
        ("长期坚持", "ongoing"),
        ("立行立改", "immediate"),
        ("近期", "recent"),
        ("目前", "now"),
        ("定期", "periodic"),
    ],
)
def test_a_vague_phrase_has_a_meaning_and_no_dates(text: str, meaning: str) -> None:
    mention = only(f"，{text}开展一次，")
    assert (mention.text, mention.start, mention.end) == (text, None, None)
    assert (mention.precision, mention.meaning) == ("vague", meaning)


@pytest.mark.parametrize(
    ("part", "meaning", "start", "end"),
    [
        ("上旬", "early_month", "2024-02-01", "2024-02-10"),
        ("中旬", "mid_month", "2024-02-11", "2024-02-20"),
        ("下旬", "late_month", "2024-02-21", "2024-02-29"),
        ("初", "month_start", None, None),
        ("底", "month_end", None, None),
    ],
)
def test_a_part_of_a_month_is_vague_and_pinned_only_for_a_xun(
    part: str, meaning: str, start: str | None, end: str | None
) -> None:
    mention = only(f"2024年2月{part}前完成")
    assert (mention.precision, mention.meaning, mention.start, mention.end) == (
        "vague",
        meaning,
        start,
        end,
    )


def test_a_range_of_xun_is_vague_so_it_is_never_taken_for_days() -> None:
    mention = only("2024年4月上旬至7月上旬，县委第二巡察组")
    assert (mention.text, mention.start, mention.end) == (
        "2024年4月上旬至7月上旬",
        "2024-04-01",
        "2024-07-10",
    )
    assert (mention.precision, mention.meaning) == ("vague", "early_month")


def test_a_year_with_a_vague_part_keeps_the_year_for_later_dates() -> None:
    resolver = DateResolver()
    assert [(m.text, m.meaning) for m in resolver.extract("2024年底前")] == [
        ("2024年底", "year_end")
    ]
    assert resolver.year == 2024


@pytest.mark.parametrize("text", ["全年中心组学习", "2024年中央一号文件", "初步完成", "今年中秋"])
def test_nian_zhong_and_nian_chu_inside_other_words_are_not_vague_dates(text: str) -> None:
    assert all(m.precision != "vague" for m in extract_dates(text))


# ---------------------------------------------------------------------------------------------
# Traps


@pytest.mark.parametrize(
    "text",
    [
        "纪念毛泽东同志诞辰130周年座谈会",
        "在960广场开展活动",
        "悬挂于1号楼528室门口",
        "市科协下发了汴科协文〔2024〕6号",
        "电话0371-22786227",
        "共学习9次",
        "占比总额的60%",
        "追缴资金7.132万元",
        "信息索引号:113307020501239658/2023-46395",
        "12024年",
        "经过三个月努力",
        "近三年来",
    ],
)
def test_numbers_that_are_not_dates_produce_nothing(text: str) -> None:
    assert rows(text) == []


def test_a_circle_used_as_a_bullet_is_not_read_as_a_zero() -> None:
    assert rows("○2024年3月5日召开") == [day("2024-03-05", "2024年3月5日")]


def test_a_measure_number_before_a_date_is_not_read_into_the_date() -> None:
    line = "1.2024年2月18日党组学习了"
    mention = only(line)
    assert (mention.text, mention.start, mention.span) == ("2024年2月18日", "2024-02-18", (2, 12))


@pytest.mark.parametrize("text", ["2023年2月29日", "2024年4月31日", "2024年0月1日"])
def test_impossible_days_are_not_emitted(text: str) -> None:
    assert all(m.precision != "day" for m in extract_dates(text))


def test_february_29_is_a_day_in_a_leap_year() -> None:
    assert rows("2024年2月29日") == [day("2024-02-29", "2024年2月29日")]


def test_spans_point_at_the_mention_in_the_text() -> None:
    text = "区科协党组于2024年1月8日召开党组会，截至2024年3月22日上会2次，年中研究一次。"
    for mention in extract_dates(text):
        assert text[mention.span[0] : mention.span[1]] == mention.text


# ---------------------------------------------------------------------------------------------
# The seed notice


def test_the_seed_measures_have_exactly_the_golden_day_dates(shared_dir: Path) -> None:
    golden_path = shared_dir / "golden" / "longting-kexie-2024.json"
    seed_path = shared_dir / "seed" / "longting-kexie-2024.txt"
    if not golden_path.is_file() or not seed_path.is_file():
        pytest.skip(f"seed or golden notice missing under {shared_dir}")
    golden = json.loads(golden_path.read_text(encoding="utf-8"))
    opening = next(
        line for line in seed_path.read_text(encoding="utf-8").splitlines() if "巡察组对" in line
    )
    resolver = DateResolver()
    resolver.extract(opening)
    for aspect in golden["aspects"]:
        for problem in aspect["problems"]:
            for measure in problem["measures"]:
                found = {
                    (m.start, m.end)
                    for m in resolver.extract(measure["text"])
                    if m.precision == "day"
                }
                expected = {
                    (d["start"], d["end"]) for d in measure["dates"] if d["precision"] == "day"
                }
                where = (aspect["no"], problem["no"], measure["no"])
                assert found == expected, where


def test_the_seed_opening_gives_the_inspection_period_and_feedback_day(seed_text: str) -> None:
    opening = next(line for line in seed_text.splitlines() if "巡察组对" in line)
    assert rows(opening) == [
        ("2023年10月13日至11月17日", "2023-10-13", "2023-11-17", "day"),
        day("2023-12-26", "2023年12月26日"),
    ]


# ---------------------------------------------------------------------------------------------
# Any text

DATE_ALPHABET = st.sampled_from(
    list("0123456789０１２３年月日号至到-—～.／截止目前今")
    + list("一二三十〇第季度上中下旬初底末半每Q、，《》 \n")
)
ANY_TEXT = st.text(alphabet=DATE_ALPHABET, max_size=40) | st.text(max_size=40)


@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(ANY_TEXT, max_size=4))
def test_any_text_yields_valid_mentions_and_never_raises(pieces: list[str]) -> None:
    resolver = DateResolver()
    for text in pieces:
        for mention in resolver.extract(text):
            assert text[mention.span[0] : mention.span[1]] == mention.text
            ends = [d for d in (mention.start, mention.end) if d is not None]
            for iso in ends:
                assert date.fromisoformat(iso).isoformat() == iso
            if mention.precision == "day" and len(ends) == 2:
                assert ends[0] <= ends[1]
