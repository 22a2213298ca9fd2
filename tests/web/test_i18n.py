"""The interface language: Chinese unless the user chose English, a complete English catalogue
that ships compiled, and templates that leave no Chinese text untranslated."""

from __future__ import annotations

import ast
import gettext
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.ledger.conftest import World

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "zhenggai"
PO = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
TEMPLATES = PACKAGE / "web" / "templates"
# Being rewritten with {% translate %} by its own author; remove from here once it is.
NOT_YET: set[str] = set()
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@pytest.fixture(autouse=True)
def _chinese_afterwards() -> Iterator[None]:
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _client(world: World, persona: str, language: str | None = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    client.force_login(world[persona])
    if language:
        response = client.post(
            reverse("web:set_language"), {"language": language, "next": "/inspections/"}
        )
        assert response.status_code == 302
        assert response["Location"] == "/inspections/"
    return client


# --- choosing the language -----------------------------------------------------------------


def test_the_default_is_chinese_even_when_the_browser_asks_for_english(world: World) -> None:
    client = _client(world, "office")
    page = client.get(reverse("web:inspections"))
    text = page.content.decode()
    assert '<html lang="zh-hans">' in text
    assert "巡察台账" in text
    assert "Inspection ledgers" not in text
    assert page["Content-Language"] == "zh-hans"


def test_the_login_page_is_chinese_for_an_english_browser() -> None:
    text = Client(HTTP_ACCEPT_LANGUAGE="en-US").get("/accounts/login/").content.decode()
    assert "用户名" in text
    assert 'id="language-switch"' in text  # switchable before signing in


def test_english_once_chosen(world: World) -> None:
    client = _client(world, "liaison", "en")
    inspections = client.get(reverse("web:inspections")).content.decode()
    assert '<html lang="en">' in inspections
    # Navigation and status names.
    for english in ("Dashboard", "Inspection ledgers", "Supervision orders", "Sign out"):
        assert english in inspections
    assert "Not started" in inspections
    assert "未开始" not in inspections
    inspection = client.get(reverse("web:inspection", args=[world.inspection_a.pk]))
    text = inspection.content.decode()
    for english in ("Export the ledger (Excel)", "Responsible person", "Deadline", "Not started"):
        assert english in text
    measure = client.get(reverse("web:measure", args=[world.measure_a.pk])).content.decode()
    for english in ("Rectification measure", "Measure kind", "By a deadline", "Start work"):
        assert english in measure
    assert "Evidence" in measure
    dashboard = client.get(reverse("web:dashboard")).content.decode()
    assert "Inspection ledgers" in dashboard


def test_refusals_come_in_the_chosen_language(world: World) -> None:
    client = _client(world, "liaison", "en")
    url = reverse("web:measure_step", kwargs={"pk": world.measure_a.pk, "step": "submit"})
    page = client.post(url, follow=True).content.decode()
    assert "Only a measure that is “In progress” or “Returned” can be submitted" in page


def test_back_to_chinese(world: World) -> None:
    client = _client(world, "office", "en")
    client.post(reverse("web:set_language"), {"language": "zh-hans", "next": "/"})
    assert "巡察台账" in client.get(reverse("web:inspections")).content.decode()


def test_an_unknown_language_cookie_means_chinese(world: World) -> None:
    client = _client(world, "office")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "巡察台账" in client.get(reverse("web:inspections")).content.decode()


def test_a_request_in_english_leaves_no_english_behind(world: World) -> None:
    _client(world, "office", "en").get(reverse("web:inspections"))
    assert translation.get_language() == settings.LANGUAGE_CODE


# --- the catalogue -------------------------------------------------------------------------


def _po_entries(path: Path) -> list[dict[str, object]]:
    """The entries of a .po file: flags, msgctxt, msgid, msgid_plural, msgstr (or msgstr[n])."""
    entries: list[dict[str, object]] = []
    entry: dict[str, object] = {}
    key = ""
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if "msgid" in entry:
                entries.append(entry)
            entry, key = {}, ""
        elif line.startswith("#,"):
            entry["flags"] = {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] = str(entry[key]) + ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return entries


def _po_catalogue(entries: list[dict[str, object]]) -> dict[object, str]:
    """What msgfmt would compile, keyed as ``gettext.GNUTranslations`` keys its catalogue."""
    catalogue: dict[object, str] = {}
    for e in entries:
        msgid = str(e["msgid"])
        if "msgctxt" in e:
            msgid = f"{e['msgctxt']}\x04{msgid}"
        if "msgid_plural" in e:
            for name, value in e.items():
                if name.startswith("msgstr["):
                    catalogue[(msgid, int(name[7:-1]))] = str(value)
        else:
            catalogue[msgid] = str(e["msgstr"])
    return catalogue


def test_every_message_is_translated_and_none_is_fuzzy() -> None:
    entries = _po_entries(PO)
    assert len(entries) > 300
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", set())]  # type: ignore[operator]
    assert fuzzy == []
    untranslated = [
        e["msgid"]
        for e in entries
        if e["msgid"] and not all(v for k, v in e.items() if k.startswith("msgstr"))
    ]
    assert untranslated == []


def test_the_translations_keep_their_placeholders() -> None:
    placeholder = re.compile(r"%\([a-z_]+\)[sd]")
    for e in _po_entries(PO):
        if e["msgid"]:
            assert sorted(placeholder.findall(str(e["msgid"]))) == sorted(
                placeholder.findall(str(e["msgstr"]))
            ), e["msgid"]


def test_the_committed_mo_is_the_compiled_po() -> None:
    with MO.open("rb") as compiled:
        mo = gettext.GNUTranslations(compiled)
    po = _po_catalogue(_po_entries(PO))
    mo_catalogue = dict(mo._catalog)  # type: ignore[attr-defined]
    # The header (msgid "") is compiled too; compare it apart from the messages.
    assert mo_catalogue.pop("", None) is not None
    po.pop("", None)
    assert mo_catalogue == po, "run: cd src/zhenggai && zhenggai manage compilemessages"


def test_the_catalogue_is_used(world: World) -> None:
    with translation.override("en"):
        assert translation.gettext("巡察整改台账系统") == "Inspection Rectification Ledger"
        assert translation.pgettext("workflow step", "退回") == "Return"
        assert translation.gettext("退回") == "Returned"


# --- templates -----------------------------------------------------------------------------

_TRANSLATED = re.compile(
    r"{%\s*(?:blocktranslate|blocktrans)\b.*?{%\s*(?:endblocktranslate|endblocktrans)\s*%}"
    r"|{#.*?#}"
    r"|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}"
    r"|{%.*?%}"  # {% translate "…" %} and any other tag
    r"|{{.*?}}",  # data rendered from variables
    re.S,
)


def _templates() -> list[str]:
    """Every template of every zhenggai app, relative to the package."""
    found = PACKAGE.glob("*/templates/**/*.html")
    names = [p.relative_to(PACKAGE).as_posix() for p in found]
    return sorted(n for n in names if n.split("/templates/", 1)[1] not in NOT_YET)


def untranslated_text(source: str) -> list[str]:
    """Lines of a template that still hold Chinese outside translate tags and variables."""
    remaining = _TRANSLATED.sub(" ", source)
    return [line.strip() for line in remaining.splitlines() if CJK.search(line)]


def test_the_checker_catches_plain_chinese_and_allows_the_rest() -> None:
    assert untranslated_text("<h1>巡察台账</h1>") == ["<h1>巡察台账</h1>"]
    assert untranslated_text('<p title="整改提醒">x</p>') != []
    allowed = (
        '{% translate "巡察台账" %} {{ m.content|default:"暂无" }} （{{ n }}）、'
        "{% blocktranslate with n=x %}共 {{ n }} 项{% endblocktranslate %}"
        "{# 注释 #}{% comment %}说明{% endcomment %}"
    )
    assert untranslated_text(allowed) == []


@pytest.mark.parametrize("name", _templates())
def test_templates_leave_no_chinese_untranslated(name: str) -> None:
    source = (PACKAGE / name).read_text(encoding="utf-8")
    assert untranslated_text(source) == [], f"{name}: wrap the text in {{% translate %}}"
