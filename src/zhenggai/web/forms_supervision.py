"""Forms of escalation: the 督办单, its answer by the unit and its review, the 约谈. Each
normalises its input;
``supervision.escalation`` checks the rest (overdue, dates, who may act)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger.models import Evidence, Measure


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


class OrderReplyForm(forms.Form):
    """The unit's answer to a 督办单: what was done, with evidence of the measure (existing
    items ticked, or a new file, checked like any evidence upload)."""

    text = forms.CharField(
        label=_("回复内容"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    evidence = forms.ModelMultipleChoiceField(
        label=_("附佐证材料"),
        queryset=Evidence.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    file = forms.FileField(label=_("上传新的佐证材料"), required=False)

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["evidence"]
        field.queryset = measure.evidence.all()  # type: ignore[attr-defined]
        field.label_from_instance = lambda e: str(e.title or e.original_name)  # type: ignore[attr-defined]

    def clean_text(self) -> str:
        return str(self.cleaned_data["text"]).strip()


class OrderReviewForm(forms.Form):
    """The office's close-out of an answered 督办单 (a note) or its return (a reason)."""

    note = forms.CharField(
        label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def clean_note(self) -> str:
        return str(self.cleaned_data.get("note") or "").strip()
