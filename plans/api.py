"""/api/v1/plans/: list, create, read, edit (PATCH with `version`), workflow actions, history, comments, diff.

Errors: 400 field errors {"tasks[2].end_date": ["..."]}; 403 when the role may not; 404 outside the
caller's visibility; 409 {"detail", "code", "current_version", "status"} on a wrong state or a stale
version. Messages follow Accept-Language.
"""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from agencies.codes import normalize_code
from agencies.models import AGENCY_ROLES
from agencies.selectors import agency_by_code
from govit.errors import InputError, InputRejected
from govit.i18n import _

from . import services, workflow
from .content import refuse_non_text, text, whole_number
from .errors import PlanConflict, PlanForbidden, field_errors
from .filters import PlanFilter
from .models import Plan, PlanEvent
from .selectors import visible_plans, with_budget_total
from .serializers import (
    PlanApproveSerializer,
    PlanCommentSerializer,
    PlanConflictSerializer,
    PlanCreateSerializer,
    PlanDetailSerializer,
    PlanDiffSerializer,
    PlanEventSerializer,
    PlanReturnSerializer,
    PlanSerializer,
    PlanTransitionSerializer,
    PlanUpdateSerializer,
)
from .snapshots import diff

CONFLICT = OpenApiResponse(PlanConflictSerializer, description="Wrong state for the action, or a stale version.")


def _transition_schema(request_serializer, summary: str):
    return extend_schema(request=request_serializer, summary=summary,
                         responses={200: PlanDetailSerializer, 409: CONFLICT})


def _data(request) -> dict:
    return request.data if hasattr(request.data, "get") else {}


def _int_or_none(data, key: str, errors: list[InputError]) -> int | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    number = whole_number(value)
    if number is None:
        errors.append(InputError(_("A whole number is required."), where=key))
    return number


def _require_text(data, keys: tuple[str, ...]) -> None:
    errors: list[InputError] = []
    refuse_non_text(data, keys, errors)
    if errors:
        raise InputRejected(errors)


@extend_schema_view(
    list=extend_schema(summary="Plans visible to the caller",
                       description="Approved plans for everyone; drafts and submissions for the agency's scope, "
                                   "reviewers and admins."),
    retrieve=extend_schema(summary="A plan with its sections, tasks, budget lines, targets and totals",
                           responses=PlanDetailSerializer),
)
class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    ordering_fields = ["period_start", "year", "status", "updated_at", "agency__code"]
    ordering = ["-period_start", "-year", "agency__code", "-id"]
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        return PlanDetailSerializer if self.action == "retrieve" else PlanSerializer

    def get_queryset(self):
        return with_budget_total(visible_plans(self.request.user)).select_related("agency")

    def get_object(self):
        try:
            return with_budget_total(visible_plans(self.request.user)).get(pk=int(self.kwargs["pk"]))
        except (Plan.DoesNotExist, ValueError):
            raise Http404 from None

    def handle_exception(self, exc):
        if isinstance(exc, InputRejected):
            exc = ValidationError(field_errors(exc))
        elif isinstance(exc, PlanConflict):
            return Response(self._conflict_body(exc), status=status.HTTP_409_CONFLICT)
        return super().handle_exception(exc)

    def _conflict_body(self, exc: PlanConflict) -> dict:
        """The plan as it is now that the losing transaction rolled back (a racing approval's own copy of the
        plan was already one version ahead): what the client reloads to."""
        now = Plan.objects.filter(pk=whole_number(self.kwargs.get("pk"))).values("version", "status").first()
        return exc.as_dict(**({"current_version": now["version"], "status": now["status"]} if now else {}))

    def _detail(self, plan, code=status.HTTP_200_OK) -> Response:
        plan = with_budget_total(visible_plans(self.request.user)).get(pk=plan.pk)
        return Response(PlanDetailSerializer(plan, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=PlanCreateSerializer, responses={201: PlanDetailSerializer},
                   summary="Create a draft plan (agency staff and leads, for an agency in scope)",
                   description="A five-year plan (`kind=five_year`, `period_start`), an annual plan (`kind=annual`, "
                               "`year`) or an amendment of an approved plan (`amends`). Sections, tasks and targets "
                               "may be given at once.")
    def create(self, request):
        if request.user.role not in AGENCY_ROLES:
            raise PlanForbidden(_("Only staff and leads of an agency in your scope may create its plans."))
        data = _data(request)
        errors: list[InputError] = []
        refuse_non_text(data, ("agency", "kind", "title", "basis"), errors)
        code = text(data.get("agency")).strip()
        agency = agency_by_code(normalize_code(code)) if code else None
        if agency is None:
            errors.append(InputError(_("Unknown agency “%(code)s”.") % {"code": code}, where="agency"))
        refs = {}
        for key in ("amends", "five_year_plan"):
            pk = _int_or_none(data, key, errors)
            refs[key] = None
            if pk is not None:
                refs[key] = visible_plans(request.user).filter(pk=pk).first()
                if refs[key] is None:
                    errors.append(InputError(_("Unknown plan %(id)s.") % {"id": pk}, where=key))
        period_start, year = _int_or_none(data, "period_start", errors), _int_or_none(data, "year", errors)
        if errors:
            raise InputRejected(errors)
        new = services.NewPlan(agency=agency, kind=text(data.get("kind")), period_start=period_start, year=year,
                               title=text(data.get("title")), basis=text(data.get("basis")),
                               amends=refs["amends"], five_year_plan=refs["five_year_plan"])
        content = {k: data[k] for k in ("sections", "tasks", "targets") if k in data}
        plan = services.create_plan(request.user, new, content)
        return self._detail(plan, status.HTTP_201_CREATED)

    @extend_schema(request=PlanUpdateSerializer, responses={200: PlanDetailSerializer, 409: CONFLICT},
                   summary="Edit a draft or returned plan",
                   description="Carries the `version` it is based on: a newer version on the server gives 409 and "
                               "nothing is saved. `tasks` and `targets`, when given, are the whole lists.")
    def partial_update(self, request, pk=None):
        plan = self.get_object()
        data = _data(request)
        plan, _changed = services.update_plan(plan.pk, request.user, data, data.get("version"))
        return self._detail(plan)

    def _act(self, request, name: str) -> Response:
        plan = self.get_object()
        data = _data(request)
        _require_text(data, ("comment", "decision_number", "decision_date"))
        plan = workflow.perform(plan.pk, name, request.user, version=data.get("version"),
                                comment=data.get("comment") or "", decision_number=data.get("decision_number") or "",
                                decision_date=data.get("decision_date"))
        return self._detail(plan)

    @_transition_schema(PlanTransitionSerializer, "Submit (agency lead): draft or returned → submitted")
    @action(detail=True, methods=["post"], filter_backends=[])
    def submit(self, request, pk=None):
        return self._act(request, "submit")

    @_transition_schema(PlanTransitionSerializer, "Withdraw before review (agency lead): submitted → draft")
    @action(detail=True, methods=["post"], filter_backends=[])
    def withdraw(self, request, pk=None):
        return self._act(request, "withdraw")

    @_transition_schema(PlanTransitionSerializer, "Start the review (reviewer): submitted → under_review")
    @action(detail=True, methods=["post"], url_path="start-review", url_name="start-review", filter_backends=[])
    def start_review(self, request, pk=None):
        return self._act(request, "start_review")

    @_transition_schema(PlanReturnSerializer, "Return for changes with a comment (reviewer): under_review → returned")
    @action(detail=True, methods=["post"], url_path="return", url_name="return", filter_backends=[])
    def return_plan(self, request, pk=None):
        return self._act(request, "return")

    @_transition_schema(PlanApproveSerializer, "Approve with the decision number and date (reviewer)")
    @action(detail=True, methods=["post"], filter_backends=[])
    def approve(self, request, pk=None):
        return self._act(request, "approve")

    @extend_schema(responses=PlanEventSerializer(many=True), summary="Every transition and edit, oldest first")
    @action(detail=True, methods=["get"], filter_backends=[])
    def history(self, request, pk=None):
        plan = self.get_object()
        page = self.paginate_queryset(plan.events.select_related("actor").order_by("version"))
        return self.get_paginated_response(PlanEventSerializer(page, many=True).data)

    @extend_schema(methods=["get"], responses=PlanCommentSerializer(many=True), summary="Review comments")
    @extend_schema(methods=["post"], request=PlanCommentSerializer,
                   responses={201: PlanCommentSerializer, 409: CONFLICT},
                   summary="Comment on a section (reviewer, while submitted or under review)")
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def comments(self, request, pk=None):
        plan = self.get_object()
        if request.method == "POST":
            data = _data(request)
            _require_text(data, ("section", "body"))
            comment = services.add_comment(plan.pk, request.user, data.get("section") or "", data.get("body") or "")
            return Response(PlanCommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(plan.comments.select_related("author").order_by("created_at", "id"))
        return self.get_paginated_response(PlanCommentSerializer(page, many=True).data)

    @extend_schema(
        responses=PlanDiffSerializer, summary="Line diff between two versions (sections, tasks, targets)",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.INT, description="Older version (default: the one before `to`)."),
            OpenApiParameter("to", OpenApiTypes.INT, description="Newer version (default: the current one)."),
        ],
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def diff(self, request, pk=None):
        plan = self.get_object()
        errors: list[InputError] = []
        to_v = _int_or_none(request.query_params, "to", errors) or plan.version
        from_v = _int_or_none(request.query_params, "from", errors) or max(to_v - 1, 1)
        events = {e.version: e for e in PlanEvent.objects.filter(plan=plan, version__in=[from_v, to_v])}
        for key, v in (("from", from_v), ("to", to_v)):
            if v not in events:
                errors.append(InputError(_("The plan has no version %(v)s.") % {"v": v}, where=key))
        if errors:
            raise InputRejected(errors)
        parts = diff(events[from_v].snapshot, events[to_v].snapshot)
        body = {"from_version": from_v, "to_version": to_v,
                "parts": [{"key": p.key, "title": p.title, "changed": p.changed,
                           "lines": [{"tag": ln.tag, "text": ln.text} for ln in p.lines]} for p in parts]}
        return Response(PlanDiffSerializer(body).data)
