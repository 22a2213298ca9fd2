"""The public writes on a published notice: captcha, CSRF, limits, the tracking code and page,
the QR code; nothing of the ledger (no other opinion, no confidential problem) gets out."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse

from tests.opinions.conftest import SECRET, World, code_of, post_opinion
from zhenggai.ledger.models import AuditEvent
from zhenggai.opinions import actions
from zhenggai.opinions.models import Opinion, OpinionChannel, OpinionStatus
from zhenggai.public.models import Publication

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_citizen_submits_and_reads_the_status_with_the_code(published: Publication) -> None:
    status, page = post_opinion(Client(), published, name="李四", text="请公开整改会议纪要")
    assert status == 201
    code = code_of(page)
    assert len(code) >= 22  # 16 random bytes: 128 bits
    opinion = Opinion.objects.get()
    assert (opinion.channel, opinion.status) == (OpinionChannel.ONLINE, OpinionStatus.RECEIVED)
    assert opinion.code_digest == actions.code_digest(code) and code not in opinion.code_digest
    assert opinion.address_digest and "10.0.0.7" not in opinion.address_digest
    tracking = Client().get(reverse("public:tracking", kwargs={"code": code}))
    assert tracking.status_code == 200 and "no-store" in tracking["Cache-Control"]
    text = tracking.content.decode()
    assert "已收到" in text and "李四" not in text and "13800000000" not in text
    assert AuditEvent.objects.filter(action="opinion.receive", actor_label="public").exists()


def test_a_wrong_or_guessed_code_finds_nothing(published: Publication) -> None:
    post_opinion(Client(), published)
    for guess in ("1", "a" * 22, "%00", "x" * 200):
        assert Client().get(reverse("public:tracking", kwargs={"code": guess})).status_code == 404
    lookup = Client().post(reverse("public:tracking_lookup"), {"code": "nope"})
    assert lookup.status_code == 404 and "查询码不正确" in lookup.content.decode()


def test_the_captcha_is_required_and_checked(published: Publication) -> None:
    status, page = post_opinion(Client(), published, captcha_1="WRONG")
    assert status == 400 and "验证码不正确" in page
    status, _ = post_opinion(Client(), published, captcha_0="", captcha_1="")
    assert status == 400
    assert not Opinion.objects.exists()


def test_the_documented_test_mode_accepts_passed(
    published: Publication, monkeypatch: pytest.MonkeyPatch
) -> None:
    from captcha.conf import settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    status, _ = post_opinion(Client(), published, captcha_1="passed")
    assert status == 201


def test_csrf_is_enforced(published: Publication) -> None:
    client = Client(enforce_csrf_checks=True)
    url = reverse("public:opinion", kwargs={"slug": published.slug})
    assert client.post(url, {"contact": "1", "text": "x"}).status_code == 403
    assert not Opinion.objects.exists()


def test_the_rate_limit_per_address_and_per_notice(published: Publication, settings) -> None:
    settings.ZHENGGAI_OPINION_RATE_PER_ADDRESS = 2
    settings.ZHENGGAI_OPINION_RATE_PER_NOTICE = 3
    client = Client()
    assert post_opinion(client, published, "10.0.0.1")[0] == 201
    assert post_opinion(client, published, "10.0.0.1")[0] == 201
    status, page = post_opinion(client, published, "10.0.0.1")
    assert status == 400 and "提交过于频繁" in page
    assert post_opinion(client, published, "10.0.0.2")[0] == 201  # another address
    status, page = post_opinion(client, published, "10.0.0.3")
    assert status == 400 and "意见过多" in page
    assert Opinion.objects.count() == 3


def test_size_and_type_limits(published: Publication, settings) -> None:
    status, page = post_opinion(Client(), published, text="长" * 2001)
    assert status == 400
    status, page = post_opinion(Client(), published, contact="")
    assert status == 400
    program = io.BytesIO(b"MZ\x90\x00" + b"\x00" * 100)
    program.name = "photo.png"
    status, page = post_opinion(Client(), published, attachment=program)
    assert status == 400 and "PDF、JPG 或 PNG" in page
    settings.ZHENGGAI_OPINION_ATTACHMENT_MAX_MB = 0
    big = io.BytesIO(PNG)
    big.name = "photo.png"
    status, page = post_opinion(Client(), published, attachment=big)
    assert status == 400 and "附件过大" in page
    assert not Opinion.objects.exists()


def test_an_attachment_is_kept_and_downloaded_only_by_readers(
    world: World, published: Publication
) -> None:
    photo = io.BytesIO(PNG)
    photo.name = "现场.png"
    assert post_opinion(Client(), published, attachment=photo)[0] == 201
    opinion = Opinion.objects.get()
    assert (opinion.attachment_name, opinion.attachment_type) == ("现场.png", "image/png")
    url = reverse("opinions:attachment", kwargs={"pk": opinion.pk})
    liaison = Client()
    liaison.force_login(world["liaison"])
    download = liaison.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    owner = Client()
    owner.force_login(world["owner"])
    assert owner.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login


def test_escaping_on_the_public_and_ledger_pages(world: World, published: Publication) -> None:
    script = "<script>alert(1)</script>"
    status, _ = post_opinion(Client(), published, name=script, text=script)
    assert status == 201
    opinion = Opinion.objects.get()
    office = Client()
    office.force_login(world["office"])
    for url in (
        reverse("opinions:detail", kwargs={"pk": opinion.pk}),
        reverse("opinions:inspection", kwargs={"pk": opinion.inspection_id}),
    ):
        html = office.get(url).content.decode()
        assert script not in html and "&lt;script&gt;" in html


def test_a_withdrawn_notice_takes_no_opinions(world: World, published: Publication) -> None:
    from zhenggai.public import publishing

    publishing.withdraw(published, by=world["office"], reason="有误")
    url = reverse("public:opinion", kwargs={"slug": published.slug})
    assert Client().get(url).status_code == 404


def test_the_qr_code_and_poster_carry_the_public_address(published: Publication) -> None:
    qr = Client().get(reverse("public:qr", kwargs={"slug": published.slug}))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    poster = Client().get(reverse("public:poster", kwargs={"slug": published.slug}))
    html = poster.content.decode()
    address = "http://testserver" + reverse("public:notice", kwargs={"slug": published.slug})
    assert address in html and "<svg" in html and SECRET not in html
    notice = Client().get(reverse("public:notice", kwargs={"slug": published.slug}))
    assert reverse("public:opinion", kwargs={"slug": published.slug}) in notice.content.decode()
