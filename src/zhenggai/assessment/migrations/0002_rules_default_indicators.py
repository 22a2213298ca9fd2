"""The default effectiveness sheet, written once here instead of on the first GET of the
sheet (issue #14: reading never writes)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import migrations


def add_defaults(apps: Any, schema_editor: Any) -> None:
    from zhenggai.assessment.sheet import write_default_indicators

    indicator = apps.get_model("assessment", "Indicator")
    if not indicator.objects.exists():
        write_default_indicators(indicator)


class Migration(migrations.Migration):
    dependencies: ClassVar = [("assessment", "0001_initial")]

    operations: ClassVar = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
