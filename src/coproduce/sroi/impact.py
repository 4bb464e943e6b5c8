"""Social value's section of a space's impact report (quality app, through the manifest's `impact`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from coproduce.core.registry import ImpactFigure, ImpactSection

from . import access, selectors
from .models import Analysis


def impact_section(space, viewer) -> ImpactSection | None:
    """The ratio and what it rests on, for anyone who may see the analysis; None when there is none."""
    if not access.can_view(viewer, space):
        return None
    analysis = Analysis.objects.filter(space=space).first()
    if analysis is None:
        return None
    result = selectors.report(analysis, sensitivity=False).result
    if result.ratio is None:
        summary = _("No inputs are recorded yet, so no ratio can be worked out.")
    else:
        summary = _("For every £1 put in, about £%(ratio)s of social value.") % {
            "ratio": f"{result.ratio:.2f}"
        }
    return ImpactSection(
        module="sroi",
        key="sroi",
        title=_("Social value (SROI)"),
        summary=summary,
        figures=(
            ImpactFigure(_("Present value of the outcomes"), round(result.present_value, 2), "£"),
            ImpactFigure(_("Inputs"), round(result.inputs_total, 2), "£"),
            ImpactFigure(_("Net present value"), round(result.net_present_value, 2), "£"),
            ImpactFigure(_("Ratio"), "" if result.ratio is None else round(result.ratio, 2)),
            ImpactFigure(_("Outcomes valued"), len(result.outcomes)),
        ),
        url=reverse("sroi:analysis", args=[space.slug]),
        note=_(
            "Discount rate %(rate)s %%; the calculation step by step and how sensitive it is are on its page."
        )
        % {"rate": f"{result.discount_rate * 100:g}"},
    )
