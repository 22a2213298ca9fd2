"""Forms of the office's escalation: the 督办单 and the 约谈. Each normalises its input;
``supervision.escalation`` checks the rest (overdue, dates, who may act)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SupervisionOrderForm(forms.Form):
    required_action = forms.CharField(
        label=_("督办事项"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    reply_by = forms.DateField(label=_("回复期限"), widget=forms.DateInput({"type": "date"}))

    def clean_required_action(self) -> str:
        return str(self.cleaned_data["required_action"]).strip()


class InterviewForm(forms.Form):
    date = forms.DateField(label=_("约谈日期"), widget=forms.DateInput({"type": "date"}))
    people = forms.CharField(label=_("约谈对象及参加人员"), max_length=1000)
    summary = forms.CharField(label=_("约谈情况"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean_people(self) -> str:
        return str(self.cleaned_data["people"]).strip()

    def clean_summary(self) -> str:
        return str(self.cleaned_data["summary"]).strip()
