"""The bulk bar under the tree and the lists: what to do with the ticked measures."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger.access import Scope
from zhenggai.ledger.bulk import OPERATIONS
from zhenggai.ledger.models import UNIT_ROLES, Inspection, User
from zhenggai.web.forms import _account_label


class BulkForm(forms.Form):
    operation = forms.ChoiceField(label=_("批量操作"), choices=[])
    measure = forms.TypedMultipleChoiceField(coerce=int, choices=[], required=False)
    owner = forms.ModelChoiceField(
        label=_("责任人账号"), queryset=User.objects.none(), required=False
    )
    deadline = forms.DateField(
        label=_("新的完成时限"),
        required=False,
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(label=_("延期理由"), max_length=500, required=False)
    note = forms.CharField(label=_("验收意见"), max_length=500, required=False)

    def __init__(self, *args: Any, unit_ids: Iterable[int] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["operation"].choices = [(k, _(v)) for k, v in OPERATIONS.items()]  # type: ignore[attr-defined]
        # Any posted id is accepted here: the bulk action answers for the ones not visible.
        posted = self.data.getlist("measure") if hasattr(self.data, "getlist") else []
        self.fields["measure"].choices = [(v, v) for v in posted if str(v).isdigit()]  # type: ignore[attr-defined]
        members = User.objects.filter(
            memberships__unit_id__in=list(unit_ids),
            memberships__role__in=UNIT_ROLES,
            is_active=True,
        )
        owner = self.fields["owner"]
        owner.queryset = members.distinct().order_by("username")  # type: ignore[attr-defined]
        owner.label_from_instance = _account_label  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        needs = {"assign": "owner", "reschedule": "deadline"}.get(data.get("operation", ""))
        if needs and not data.get(needs):
            message = {"owner": _("请选择责任人账号。"), "deadline": _("请填写新的完成时限。")}
            self.add_error(needs, message[needs])
        return data


def bulk_context(scope: Scope, inspection: Inspection) -> dict[str, Any]:
    """The bulk bar for the unit's leader or liaison (assign, reschedule, submit) and for the
    office (close out); nobody else sees check boxes."""
    unit = inspection.unit_id in scope.leader_units | scope.liaison_units
    office = inspection.round.region_id in scope.office_regions and not unit
    if not (unit or office):
        return {}
    operations = ["assign", "reschedule", "submit"] if unit else ["close"]
    return {"bulk_form": BulkForm(unit_ids=[inspection.unit_id]), "bulk_operations": operations}
