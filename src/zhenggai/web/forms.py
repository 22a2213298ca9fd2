"""Forms for the measure page. Each normalises its input; the action decides the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger import uploads
from zhenggai.ledger.access import import_choices
from zhenggai.ledger.models import (
    UNIT_ROLES,
    InspectionGroup,
    InspectionRound,
    MeasureKind,
    Unit,
    User,
)
from zhenggai.notice.zipguard import megabytes


class LimitedFileField(forms.FileField):
    """A file within ``ZHENGGAI_UPLOAD_MAX_MB``, refused by its size before anyone reads it
    (Django has streamed a large upload to a temporary file, not to memory)."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        file = super().clean(data, initial)
        limit = uploads.max_file_bytes()
        if file and file.size is not None and file.size > limit:
            message = gettext("文件过大（%(size)s），单个文件上限为 %(limit)s。")
            values = {"size": megabytes(file.size), "limit": megabytes(limit)}
            raise forms.ValidationError(message % values)
        return file


class NoteForm(forms.Form):
    """The reason, note or progress text that goes with a workflow button."""

    text = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_text(self) -> str:
        return str(self.cleaned_data["text"]).strip()


class EvidenceForm(forms.Form):
    """A file, or a reference to a document by its 题名 (and 文号, date, pages)."""

    file = LimitedFileField(label=_("文件"), required=False)
    title = forms.CharField(label=_("题名"), max_length=300, required=False)
    doc_number = forms.CharField(label=_("文号"), max_length=100, required=False)
    date = forms.DateField(
        label=_("成文日期"), required=False, widget=forms.DateInput({"type": "date"})
    )
    pages = forms.IntegerField(label=_("页数"), min_value=1, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("file") and not str(data.get("title") or "").strip():
            raise forms.ValidationError(_("请选择文件，或填写文件题名。"))
        return data


class MeasureForm(forms.Form):
    """The unit's edit of a measure; ``version`` is the one the page was rendered with."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    content = forms.CharField(label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(label=_("整改类型"), choices=MeasureKind.choices, required=False)
    responsible_leader = forms.CharField(label=_("责任领导"), max_length=100, required=False)
    responsible_department = forms.CharField(label=_("责任部门"), max_length=200, required=False)
    responsible_person = forms.CharField(label=_("责任人"), max_length=100, required=False)
    # The account that works on the measure (sees it, adds evidence); the action checks
    # that only the leader or liaison assigns it.
    owner = forms.ModelChoiceField(
        label=_("责任人账号"), queryset=User.objects.none(), required=False
    )
    deadline = forms.DateField(
        # A date input shows only an ISO value; the locale's 2024/03/31 would post back empty.
        label=_("完成时限"),
        required=False,
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
    )
    completion_standard = forms.CharField(
        label=_("完成标准"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    progress = forms.CharField(
        label=_("整改进展"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = User.objects.filter(
            memberships__unit_id=unit_id, memberships__role__in=UNIT_ROLES, is_active=True
        )
        owner = self.fields["owner"]
        owner.queryset = members.distinct().order_by("username")  # type: ignore[attr-defined]
        owner.label_from_instance = _account_label  # type: ignore[attr-defined]

    def changes(self) -> dict[str, Any]:
        # A form posted without the account (an older page, a script) leaves it as it is.
        kept = {"version"} | ({"owner"} if "owner" not in self.data else set())
        return {k: v for k, v in self.cleaned_data.items() if k not in kept}


def _account_label(user: User) -> str:
    name = user.get_full_name()
    return f"{user.get_username()}（{name}）" if name else user.get_username()


class NoticeImportForm(forms.Form):
    """A notice file and where it belongs; the choices are what the user may create."""

    file = LimitedFileField(
        label=_("整改通报文件"),
        help_text=_("支持 .txt、.docx、.pdf，或解析结果 .json（zhenggai parse --format json）。"),
    )
    unit = forms.ModelChoiceField(label=_("被巡察单位"), queryset=Unit.objects.none())
    round = forms.ModelChoiceField(label=_("巡察轮次"), queryset=InspectionRound.objects.none())
    group = forms.ModelChoiceField(label=_("巡察组"), queryset=InspectionGroup.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units, rounds, groups = import_choices(user)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["round"].queryset = rounds  # type: ignore[attr-defined]
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]


class ImportTargetForm(NoticeImportForm):
    """The same choices without the file: the confirmation, from what the preview kept."""

    file = None  # type: ignore[assignment]


class LedgerUploadForm(forms.Form):
    file = LimitedFileField(label=_("台账文件（.xlsx）"))


class ExtensionRequestForm(forms.Form):
    deadline = forms.DateField(label=_("申请延至"), widget=forms.DateInput({"type": "date"}))
    reason = forms.CharField(label=_("申请理由"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean_reason(self) -> str:
        return str(self.cleaned_data["reason"]).strip()


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审批"), choices=[("approve", _("批准延期")), ("reject", _("不予延期"))]
    )
    reason = forms.CharField(
        label=_("审批意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_reason(self) -> str:
        return str(self.cleaned_data["reason"]).strip()

    @property
    def approve(self) -> bool:
        return bool(self.cleaned_data["decision"] == "approve")
