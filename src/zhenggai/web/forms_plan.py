"""Forms of the plan's screens; ``zhenggai.planning.actions`` checks the rest."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenggai.planning.models import ChangeKind


class OpinionForm(forms.Form):
    text = forms.CharField(
        label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
    agrees = forms.BooleanField(label=_("同意该方案"), required=False, initial=True)


class PlanDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审定"), choices=[("approve", _("审定通过")), ("return", _("退回修改"))]
    )
    reason = forms.CharField(
        label=_("审定意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    @property
    def approve(self) -> bool:
        return self.cleaned_data.get("decision") == "approve"


class ChangeRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("变更类型"), choices=ChangeKind.choices)
    measure = forms.IntegerField(label=_("整改措施"), required=False)
    problem = forms.IntegerField(label=_("问题"), required=False)
    content = forms.CharField(
        label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    responsible_leader = forms.CharField(label=_("责任领导"), max_length=100, required=False)
    responsible_department = forms.CharField(label=_("责任部门"), max_length=200, required=False)
    responsible_person = forms.CharField(label=_("责任人"), max_length=100, required=False)
    deadline = forms.DateField(
        label=_("完成时限"), widget=forms.DateInput({"type": "date"}), required=False
    )
    completion_standard = forms.CharField(
        label=_("完成标准"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    reason = forms.CharField(label=_("申请理由"), widget=forms.Textarea(attrs={"rows": 2}))

    CHANGE_FIELDS = (
        "content",
        "responsible_leader",
        "responsible_department",
        "responsible_person",
        "deadline",
        "completion_standard",
    )

    def __init__(
        self,
        *args: Any,
        measures: Iterable[tuple[int, str]] = (),
        problems: Iterable[tuple[int, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        blank = [("", "—")]
        for name, options in (("measure", measures), ("problem", problems)):
            field = self.fields[name]
            field.widget = forms.Select(choices=[*blank, *options])

    def changes(self) -> dict[str, object]:
        data = self.cleaned_data
        return {name: data[name] for name in self.CHANGE_FIELDS if data.get(name) not in (None, "")}


class ChangeDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("批准")), ("reject", _("不予变更"))])
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    @property
    def approve(self) -> bool:
        return self.cleaned_data.get("decision") == "approve"
