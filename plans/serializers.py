"""Shapes of plans in the API. Output is built from the selectors (totals are sums, never stored);
input serializers describe the request bodies for the schema, while plans.content checks them
(one set of bilingual messages for the API and the web editor)."""

from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.serializers import AgencyRefSerializer

from . import sections as spec
from .models import EventAction, FundingSource, InvestmentCategory, Plan, PlanComment, PlanEvent, PlanKind, PlanStatus
from .schema import NamedChoiceField
from .sections import Basis
from .selectors import plan_totals, tasks_with_totals

# --- output -----------------------------------------------------------------------------------


class PlanBudgetLineSerializer(serializers.Serializer):
    source = NamedChoiceField(FundingSource.choices, "FundingSourceEnum")
    amount = serializers.IntegerField(min_value=0, help_text="Whole đồng (VND).")


class PlanTaskSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, allow_null=True,
                                  help_text="Id of an existing task to update; omit for a new task.")
    owner_unit = serializers.CharField(max_length=255)
    name = serializers.CharField(max_length=1000)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    category = NamedChoiceField(InvestmentCategory.choices, "InvestmentCategoryEnum",
                                help_text="Investment category of Decree 64/2007 Art. 27(2).")
    budget_lines = PlanBudgetLineSerializer(many=True, required=False)


class PlanTaskOutSerializer(PlanTaskSerializer):
    id = serializers.IntegerField(read_only=True)
    total = serializers.IntegerField(read_only=True, help_text="Sum of the budget lines, VND.")


class PlanTargetSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(help_text="Id of a catalog indicator.")
    year = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=20, decimal_places=6)


class PlanTargetOutSerializer(PlanTargetSerializer):
    indicator = serializers.IntegerField(source="indicator_id", read_only=True)
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    indicator_name = serializers.SerializerMethodField()

    def get_indicator_name(self, obj) -> str:
        ind = obj.indicator
        return ind.name_en if get_language() == "en" and ind.name_en else ind.name_vi


class PlanSectionInSerializer(serializers.Serializer):
    key = NamedChoiceField([(s.key, str(s.title)) for s in spec.SECTIONS], "PlanSectionKeyEnum")
    body = serializers.CharField(allow_blank=True, trim_whitespace=False)


class PlanSectionOutSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField(help_text="The title as written in the plan (Vietnamese).")
    label = serializers.SerializerMethodField(help_text="The title in the language of the request.")
    required = serializers.SerializerMethodField()
    body = serializers.CharField()

    def get_label(self, obj) -> str:
        return spec.label(obj.key)

    def get_required(self, obj) -> bool:
        return obj.key in self.context.get("required_keys", ())


class PlanTotalsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_source = serializers.DictField(child=serializers.IntegerField(), help_text="VND per funding source.")
    by_category = serializers.DictField(child=serializers.IntegerField(), help_text="VND per investment category.")


class PlanSerializer(serializers.ModelSerializer):
    agency = AgencyRefSerializer(read_only=True)
    kind = NamedChoiceField(PlanKind.choices, "PlanKindEnum", read_only=True)
    basis = NamedChoiceField(Basis.CHOICES, "PlanBasisEnum", read_only=True)
    status = NamedChoiceField(PlanStatus.choices, "PlanStatusEnum", read_only=True)
    period_end = serializers.SerializerMethodField()
    budget_total = serializers.IntegerField(read_only=True, help_text="Sum of all budget lines, VND.")

    class Meta:
        model = Plan
        fields = [
            "id", "agency", "kind", "basis", "period_start", "period_end", "year", "title", "status", "version",
            "amends", "five_year_plan", "decision_number", "decision_date", "submitted_at", "approved_at",
            "superseded_on", "budget_total", "created_at", "updated_at",
        ]
        read_only_fields = fields

    def get_period_end(self, obj) -> int:
        return obj.period_start + 4


class PlanMessageSerializer(serializers.Serializer):
    where = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class PlanDetailSerializer(PlanSerializer):
    sections = serializers.SerializerMethodField()
    tasks = serializers.SerializerMethodField()
    targets = serializers.SerializerMethodField()
    totals = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField(
        help_text="Transitions the caller may take now: submit, withdraw, start_review, return, approve.")
    missing_parts = serializers.SerializerMethodField(help_text="What must be filled in before submission.")

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "sections", "tasks", "targets", "totals", "available_actions",
                  "missing_parts"]
        read_only_fields = fields

    @extend_schema_field(PlanSectionOutSerializer(many=True))
    def get_sections(self, obj):
        context = {"required_keys": set(spec.required_keys(obj.basis, obj.kind))}
        return PlanSectionOutSerializer(obj.sections.order_by("order"), many=True, context=context).data

    @extend_schema_field(PlanTaskOutSerializer(many=True))
    def get_tasks(self, obj):
        rows = []
        for task in tasks_with_totals(obj):
            rows.append({
                "id": task.pk, "owner_unit": task.owner_unit, "name": task.name, "start_date": task.start_date,
                "end_date": task.end_date, "category": task.category, "total": task.total,
                "budget_lines": [{"source": b.source, "amount": b.amount} for b in task.budget_lines.all()],
            })
        return PlanTaskOutSerializer(rows, many=True).data

    @extend_schema_field(PlanTargetOutSerializer(many=True))
    def get_targets(self, obj):
        qs = obj.targets.select_related("indicator").order_by("indicator__code", "year")
        return PlanTargetOutSerializer(qs, many=True).data

    @extend_schema_field(PlanTotalsSerializer)
    def get_totals(self, obj):
        return plan_totals(obj)

    def get_available_actions(self, obj) -> list[str]:
        from .workflow import available_actions

        return available_actions(obj, self.context["request"].user)

    @extend_schema_field(PlanMessageSerializer(many=True))
    def get_missing_parts(self, obj):
        from .services import missing_parts

        if not obj.is_editable:
            return []
        return [{"where": e.where, "message": str(e.message)} for e in missing_parts(obj)]


# --- input ------------------------------------------------------------------------------------


class PlanContentSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=500)
    sections = PlanSectionInSerializer(many=True, required=False, help_text="Only the sections given are changed.")
    tasks = PlanTaskSerializer(many=True, required=False,
                           help_text="The whole task list: tasks left out are deleted; ids keep existing tasks.")
    targets = PlanTargetSerializer(many=True, required=False, help_text="The whole list of targets.")


class PlanCreateSerializer(PlanContentSerializer):
    agency = serializers.CharField(help_text="Code of the agency.")
    kind = NamedChoiceField(PlanKind.choices, "PlanKindEnum", required=False,
                            help_text="Required unless `amends` is given.")
    period_start = serializers.IntegerField(required=False, allow_null=True,
                                            help_text="Five-year plans: 2021, 2026, ...")
    year = serializers.IntegerField(required=False, allow_null=True, help_text="Annual plans: the year.")
    basis = NamedChoiceField(Basis.CHOICES, "PlanBasisEnum", required=False,
                             help_text="Default: digital transformation from 2026 on.")
    amends = serializers.IntegerField(required=False, allow_null=True, help_text="Id of the approved plan amended.")
    five_year_plan = serializers.IntegerField(required=False, allow_null=True,
                                              help_text="Annual plans: the five-year plan they follow "
                                                        "(default: the approved one of the period).")


class PlanUpdateSerializer(PlanContentSerializer):
    version = serializers.IntegerField(help_text="The version the edit is based on (optimistic locking).")


class PlanTransitionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text="If given, 409 unless it is the current version.")


class PlanReturnSerializer(PlanTransitionSerializer):
    comment = serializers.CharField(help_text="What must be changed (required).")


class PlanApproveSerializer(PlanTransitionSerializer):
    decision_number = serializers.CharField(max_length=100)
    decision_date = serializers.DateField()


class PlanConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    detail_vi = serializers.CharField()
    detail_en = serializers.CharField()
    code = NamedChoiceField([(c, c) for c in ("stale_version", "invalid_state", "already_approved")],
                            "PlanConflictCodeEnum")
    current_version = serializers.IntegerField(allow_null=True)
    status = NamedChoiceField(PlanStatus.choices, "PlanStatusEnum", allow_null=True)


class PlanEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, allow_null=True)
    action = NamedChoiceField(EventAction.choices, "PlanEventActionEnum")
    from_status = NamedChoiceField(PlanStatus.choices, "PlanStatusEnum", allow_blank=True,
                                   help_text="Empty for the creation of the plan.")
    to_status = NamedChoiceField(PlanStatus.choices, "PlanStatusEnum")

    class Meta:
        model = PlanEvent
        fields = ["version", "action", "from_status", "to_status", "actor", "at", "comment"]


class PlanCommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)
    section = serializers.CharField(source="section_key", allow_blank=True, required=False,
                                    help_text="Section key; empty for the plan as a whole.")

    class Meta:
        model = PlanComment
        fields = ["id", "section", "body", "author", "plan_version", "created_at"]
        read_only_fields = ["id", "author", "plan_version", "created_at"]


class PlanDiffLineSerializer(serializers.Serializer):
    tag = NamedChoiceField([(t, t) for t in ("equal", "insert", "delete")], "PlanDiffTagEnum")
    text = serializers.CharField()


class PlanDiffPartSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    changed = serializers.BooleanField()
    lines = PlanDiffLineSerializer(many=True)


class PlanDiffSerializer(serializers.Serializer):
    from_version = serializers.IntegerField()
    to_version = serializers.IntegerField()
    parts = PlanDiffPartSerializer(many=True)
