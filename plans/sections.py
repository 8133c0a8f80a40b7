"""The fixed sections of a plan, by legal basis and plan kind.

Decree 64/2007/NĐ-CP Art. 25 lists the contents of an IT application plan: (a) general and
specific objectives; (b) current state, contents, solutions, roadmap; (c) investment by the
categories of Art. 27(2); (d) cost estimate; (đ) implementation conditions; (e) expected
effectiveness. Art. 44: the head of the agency directs the five-year plan and approves the
annual plan. The replacing decree (Decree 224/2026/NĐ-CP Art. 7, to be verified against the
gazette) adds targets, resources and deadlines to digital-transformation plans.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import override


class Basis:
    IT_APPLICATION = "it_application"
    DIGITAL_TRANSFORMATION = "digital_transformation"

    CHOICES = [
        (IT_APPLICATION, _("IT application plan (Decree 64/2007/NĐ-CP, Art. 25)")),
        (DIGITAL_TRANSFORMATION, _("Digital-transformation plan (Decree 224/2026/NĐ-CP, Art. 7)")),
    ]

    @staticmethod
    def default_for(period_start: int) -> str:
        """Plans of 2026-2030 onwards are digital-transformation plans (Law 148/2025/QH15)."""
        return Basis.DIGITAL_TRANSFORMATION if period_start >= 2026 else Basis.IT_APPLICATION


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: object  # a lazy translation; the English msgid
    legal_basis: str
    # (basis, kind) pairs where the section is part of the plan; required ones must be filled to submit.
    bases: tuple[str, ...]
    required_for_annual: bool = True

    def title_in(self, lang: str) -> str:
        with override(lang):
            return str(self.title)


BOTH = (Basis.IT_APPLICATION, Basis.DIGITAL_TRANSFORMATION)
DT = (Basis.DIGITAL_TRANSFORMATION,)

SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("current_state", _("Current state"), "NĐ 64/2007 Đ.25(b)", BOTH),
    SectionSpec("objectives", _("General and specific objectives"), "NĐ 64/2007 Đ.25(a); NĐ 224/2026 Đ.7", BOTH),
    SectionSpec("targets", _("Targets"), "NĐ 224/2026 Đ.7", DT),
    SectionSpec(
        "tasks_solutions", _("Contents, tasks, solutions and roadmap"), "NĐ 64/2007 Đ.25(b); NĐ 224/2026 Đ.7", BOTH
    ),
    SectionSpec("investment", _("Investment list and cost estimate"), "NĐ 64/2007 Đ.25(c), (d), Đ.27(2)", BOTH),
    SectionSpec("resources", _("Resources"), "NĐ 224/2026 Đ.7", DT),
    SectionSpec(
        "implementation", _("Implementation conditions and organisation"), "NĐ 64/2007 Đ.25(đ), Đ.44; NĐ 224/2026 Đ.7",
        BOTH,
    ),
    SectionSpec("effectiveness", _("Expected effectiveness"), "NĐ 64/2007 Đ.25(e)", BOTH, required_for_annual=False),
)

BY_KEY = {s.key: s for s in SECTIONS}


def sections_for(basis: str) -> list[SectionSpec]:
    """The sections a plan of this legal basis has, in order."""
    return [s for s in SECTIONS if basis in s.bases]


def required_keys(basis: str, kind: str) -> list[str]:
    """Keys that must be non-empty before the plan can be submitted."""
    return [s.key for s in sections_for(basis) if kind == "five_year" or s.required_for_annual]


def label(key: str) -> str:
    """The section title in the active language (the key itself for an unknown one)."""
    spec = BY_KEY.get(key)
    return str(spec.title) if spec else key
