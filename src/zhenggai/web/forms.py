"""Forms for the measure page. Each normalises its input; the action decides the rest."""

from __future__ import annotations

from typing import Any

from django import forms

from zhenggai.ledger.models import MeasureKind


class NoteForm(forms.Form):
    """The reason, note or progress text that goes with a workflow button."""

    text = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_text(self) -> str:
        return str(self.cleaned_data["text"]).strip()


class EvidenceForm(forms.Form):
    """A file, or a reference to a document by its 题名 (and 文号, date, pages)."""

    file = forms.FileField(label="文件", required=False)
    title = forms.CharField(label="题名", max_length=300, required=False)
    doc_number = forms.CharField(label="文号", max_length=100, required=False)
    date = forms.DateField(
        label="成文日期", required=False, widget=forms.DateInput({"type": "date"})
    )
    pages = forms.IntegerField(label="页数", min_value=1, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("file") and not str(data.get("title") or "").strip():
            raise forms.ValidationError("请选择文件，或填写文件题名。")
        return data


class MeasureForm(forms.Form):
    """The unit's edit of a measure; ``version`` is the one the page was rendered with."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    content = forms.CharField(label="整改措施", widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(label="整改类型", choices=MeasureKind.choices, required=False)
    responsible_leader = forms.CharField(label="责任领导", max_length=100, required=False)
    responsible_department = forms.CharField(label="责任部门", max_length=200, required=False)
    responsible_person = forms.CharField(label="责任人", max_length=100, required=False)
    deadline = forms.DateField(
        label="完成时限", required=False, widget=forms.DateInput({"type": "date"})
    )
    completion_standard = forms.CharField(
        label="完成标准", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    progress = forms.CharField(
        label="整改进展", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def changes(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}
