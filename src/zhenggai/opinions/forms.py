"""The forms of opinions: the public's (with the captcha) and the ledger's."""

from __future__ import annotations

from typing import Any

from captcha.fields import CaptchaField
from django import forms
from django.utils.translation import gettext_lazy as _

from zhenggai.opinions.actions import MAX_ANSWER, MAX_CONTACT, MAX_NAME, MAX_TEXT
from zhenggai.opinions.models import OpinionChannel


class PublicOpinionForm(forms.Form):
    name = forms.CharField(label=_("姓名（可不填）"), max_length=MAX_NAME, required=False)
    contact = forms.CharField(label=_("联系方式（电话或电子邮箱）"), max_length=MAX_CONTACT)
    text = forms.CharField(
        label=_("意见内容"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 6})
    )
    attachment = forms.FileField(
        label=_("附件（可不传；PDF、JPG 或 PNG）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    captcha = CaptchaField(
        label=_("验证码"), error_messages={"invalid": _("验证码不正确，请重新输入。")}
    )


REGISTER_CHANNELS = [c for c in OpinionChannel.choices if c[0] != OpinionChannel.ONLINE]


class RegisterOpinionForm(forms.Form):
    channel = forms.ChoiceField(label=_("来源渠道"), choices=REGISTER_CHANNELS)
    received = forms.DateField(
        label=_("收到日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    name = forms.CharField(label=_("姓名"), max_length=MAX_NAME, required=False)
    contact = forms.CharField(label=_("联系方式"), max_length=MAX_CONTACT)
    text = forms.CharField(
        label=_("意见内容"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 5})
    )


class AssignForm(forms.Form):
    problem = forms.TypedChoiceField(label=_("对应问题"), coerce=int)

    def __init__(self, *args: Any, problems: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["problem"].choices = problems  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("答复"), max_length=MAX_ANSWER, widget=forms.Textarea(attrs={"rows": 5})
    )
