"""Forms of the feedback screens: a new inspection, the feedback entered or pasted, the
corrections of problems and measures. Each normalises its input; the action decides the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger.access import import_choices
from zhenggai.ledger.models import InspectionGroup, InspectionRound, Measure, Unit

DATE = forms.DateInput({"type": "date"})


class InspectionForm(forms.Form):
    """新建巡察: the choices are the units, rounds and groups the user may create for."""

    round = forms.ModelChoiceField(label=_("巡察轮次"), queryset=InspectionRound.objects.none())
    group = forms.ModelChoiceField(label=_("巡察组"), queryset=InspectionGroup.objects.none())
    unit = forms.ModelChoiceField(label=_("被巡察单位"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("标题"), max_length=300, required=False)
    start = forms.DateField(label=_("巡察开始日期"), required=False, widget=DATE)
    end = forms.DateField(label=_("巡察结束日期"), required=False, widget=DATE)
    feedback_date = forms.DateField(label=_("反馈日期"), required=False, widget=DATE)
    leads_count = forms.IntegerField(
        label=_("移交问题线索数"),
        min_value=0,
        initial=0,
        help_text=_("只有巡察组、巡察办和观察员看得到，不向被巡察单位显示。"),
    )
    # The supervision contacts the public notice ends with (条例 art. 32); a notice without
    # any is refused at publication.
    phone = forms.CharField(label=_("监督电话"), max_length=50, required=False)
    email = forms.EmailField(label=_("监督电子信箱"), max_length=100, required=False)
    post_box = forms.CharField(label=_("监督通信地址"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units, rounds, groups = import_choices(user)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["round"].queryset = rounds  # type: ignore[attr-defined]
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]

    def targets(self) -> dict[str, Any]:
        return {key: self.cleaned_data[key] for key in ("round", "group", "unit")}

    def details(self) -> dict[str, Any]:
        keys = ("title", "start", "end", "feedback_date", "leads_count")
        return {key: self.cleaned_data[key] for key in keys} | {"contacts": self.contacts()}

    def contacts(self) -> dict[str, list[str]]:
        """In the shape of ``notice.model.Contacts.to_json``."""
        data = self.cleaned_data
        ways = {"phones": data["phone"], "emails": data["email"], "post_boxes": data["post_box"]}
        return {key: [value] if value else [] for key, value in ways.items()} | {"websites": []}


class AspectForm(forms.Form):
    title = forms.CharField(label=_("方面"), widget=forms.Textarea(attrs={"rows": 1}))


class ProblemForm(forms.Form):
    title = forms.CharField(label=_("问题"), widget=forms.Textarea(attrs={"rows": 2}))
    text = forms.CharField(
        label=_("问题表现"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    immediate = forms.BooleanField(label=_("立行立改"), required=False)


class ProblemEditForm(ProblemForm):
    """The whole problem; the action refuses the fields the user may not change."""

    cause_analysis = forms.CharField(
        label=_("原因分析"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    confidential = forms.BooleanField(label=_("不予公开"), required=False)


class PasteForm(forms.Form):
    text = forms.CharField(
        label=_("反馈意见全文"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("按“一、”（方面）和“（一）”（问题）分层；问题下的“1.”为问题表现。"),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class SplitForm(forms.Form):
    first = forms.CharField(label=_("保留的措施"), widget=forms.Textarea(attrs={"rows": 2}))
    second = forms.CharField(label=_("拆出的措施"), widget=forms.Textarea(attrs={"rows": 2}))


class MergeForm(forms.Form):
    """Another measure of the same problem, merged into this one."""

    other = forms.TypedChoiceField(label=_("并入本项的措施"), coerce=int)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].choices = choices  # type: ignore[attr-defined]


def merge_choices(measure: Measure) -> list[tuple[int, str]]:
    """The other current measures of the measure's problem."""
    others = Measure.objects.filter(problem_id=measure.problem_id).exclude(pk=measure.pk)
    return [(m.pk, f"{m.no}. {str(m.content)[:40]}") for m in others.order_by("no")]
