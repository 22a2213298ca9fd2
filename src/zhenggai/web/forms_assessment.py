"""Forms of the look-back and effectiveness screens; the actions in ``assessment`` decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhenggai.assessment.models import Indicator, LinkKind, PriorStatus


class LinkDecisionForm(forms.Form):
    """The office's verdict on a candidate link: the kind to confirm it as, and why."""

    kind = forms.ChoiceField(
        label=_("认定为"), choices=LinkKind.choices, initial=LinkKind.REPEAT, required=False
    )
    reason = forms.CharField(label=_("理由"), max_length=500, required=False)

    def clean_kind(self) -> str:
        return str(self.cleaned_data["kind"] or LinkKind.REPEAT)

    def clean_reason(self) -> str:
        return str(self.cleaned_data["reason"]).strip()


class PriorStatusForm(forms.Form):
    """The office's own status for one earlier problem (``set_prior_status`` checks the rest)."""

    problem = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("整改状态"), choices=PriorStatus.choices)
    reason = forms.CharField(label=_("理由"), max_length=500)

    def clean_reason(self) -> str:
        return str(self.cleaned_data["reason"]).strip()


class AssessForm(forms.Form):
    """One optional number per manual indicator, bounded by the indicator's points."""

    def __init__(self, *args: Any, indicators: list[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for indicator in indicators:
            self.fields[indicator.code] = forms.DecimalField(
                label=_("%(code)s %(name)s（%(points)s 分）")
                % {"code": indicator.code, "name": indicator.name, "points": indicator.points},
                required=False,
                min_value=Decimal(0),
                max_value=indicator.points,
                decimal_places=1,
            )

    def manual(self) -> dict[str, Decimal]:
        """The points entered; a field left empty keeps what was entered before."""
        return {code: value for code, value in self.cleaned_data.items() if value is not None}
