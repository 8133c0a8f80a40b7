"""Read-side queries on published scores."""

from django.db.models import OuterRef, QuerySet, Subquery

from agencies.selectors import scope_agencies

from .models import Indicator, Pillar
from .score_models import AgencyScore


def published_scores() -> QuerySet[AgencyScore]:
    """Scores of the newest framework version scored for each (framework code, period)."""
    newest = (
        AgencyScore.objects.filter(framework__code=OuterRef("framework__code"), period=OuterRef("period"))
        .order_by("-framework__loaded_at")
        .values("framework_id")[:1]
    )
    return (
        AgencyScore.objects.filter(framework_id=Subquery(newest))
        .select_related("agency", "framework", "period")
        .defer("breakdown")
    )


def pillar_names(framework_ids) -> dict[int, dict[str, tuple[str, str]]]:
    """framework id → pillar code → (vi name, en name): one query for a whole page of scores."""
    names: dict[int, dict[str, tuple[str, str]]] = {}
    for fid, code, vi, en in Pillar.objects.filter(framework_id__in=set(framework_ids)).values_list(
        "framework_id", "code", "name_vi", "name_en"
    ):
        names.setdefault(fid, {})[code] = (vi, en)
    return names


def may_see_unverified(user, agency) -> bool:
    """Unverified values are visible only in the agency's scope and to reviewers and admins (roles.md)."""
    return user.is_reviewer_or_admin or scope_agencies(user).filter(pk=agency.pk).exists()


def breakdown_lines(score: AgencyScore) -> list[dict]:
    """The stored compact breakdown as dicts, with each indicator's pillar and legal basis from the catalog."""
    from .runs import BREAKDOWN_FIELDS
    from .score_inputs import legal_basis_labels

    catalog = {
        ind.code: (ind.pillar.code, legal_basis_labels(ind))
        for ind in Indicator.objects.filter(framework_id=score.framework_id)
        .select_related("pillar")
        .prefetch_related("legal_basis__source")
    }
    lines = []
    for row in score.breakdown:
        line = dict(zip(BREAKDOWN_FIELDS, row, strict=True))
        pillar, basis = catalog.get(line["indicator"], ("", ()))
        lines.append({**line, "pillar": pillar, "legal_basis": list(basis)})
    return lines
