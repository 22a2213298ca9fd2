"""The form of the unit's document settings (its 版头); ``documents.actions`` checks the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DocumentSettingsForm(forms.Form):
    organ_mark = forms.CharField(label=_("发文机关标志"), max_length=100)
    number_prefix = forms.CharField(label=_("发文机关代字"), max_length=30)
    number_year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    next_number = forms.IntegerField(label=_("下一个发文顺序号"), min_value=1)
    signer = forms.CharField(label=_("签发人"), max_length=50, required=False)
