"""Reading and validating a requirement catalog (formats.md §1) into plain data, with YAML paths in errors.

Nothing here touches the database: `loader` saves what `parse_catalog` returns.
"""

import datetime
import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml

from agencies.models import AgencyKind
from agencies.text import nfc
from assessments.catalog.models import Aggregation, IndicatorType
from govit.dates import ISO, parse_day
from govit.errors import InputError, InputRejected
from govit.i18n import _

MAX_YAML_BYTES = 5 * 1024 * 1024
# A sum of yes/no or of levels, or a mean of yes/no, is no value of the indicator.
UNFIT_AGGREGATIONS = {IndicatorType.BOOLEAN: (Aggregation.SUM, Aggregation.MEAN),
                      IndicatorType.LEVEL: (Aggregation.SUM,)}
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
DEFAULT_LEVELS = [
    {"below": 0.25, "code": "starting"},
    {"below": 0.5, "code": "developing"},
    {"below": 0.75, "code": "advanced"},
    {"code": "leading"},
]
# Parameters each normalization method takes besides `method` (scoring.md §2).
METHOD_PARAMS: dict[str, tuple[str, ...]] = {
    "linear": ("floor", "target"),
    "boolean": (),
    "bands": ("bands",),
    "relative_to_best": (),
    "minmax": (),
}


@dataclass
class SourceData:
    code: str
    title_vi: str
    title_en: str
    issued: datetime.date | None


@dataclass
class BasisData:
    source: str
    article: str
    clause: str
    note_vi: str
    note_en: str


@dataclass
class IndicatorData:
    code: str
    name_vi: str
    name_en: str
    type: str
    min_level: int | None
    max_level: int | None
    normalization: dict
    max_points: Decimal
    applies_to: list[str]
    evidence_vi: str
    evidence_en: str
    legal_basis: list[BasisData] = field(default_factory=list)
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    # Agency kinds assessed only between two dates: {"district": [None, "2025-06-30"]}.
    kind_validity: dict[str, list[str | None]] = field(default_factory=dict)
    # How a period's value is derived from machine-fed observations (feeds): last, sum, mean or max.
    aggregation: str = "last"


@dataclass
class PillarData:
    code: str
    name_vi: str
    name_en: str
    weight: Decimal | None
    indicators: list[IndicatorData] = field(default_factory=list)


@dataclass
class CatalogData:
    code: str
    version: str
    name_vi: str
    name_en: str
    description_vi: str
    description_en: str
    levels: list[dict]
    content_hash: str
    sources: list[SourceData] = field(default_factory=list)
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    pillars: list[PillarData] = field(default_factory=list)
    public_service_indicators: list[str] = field(default_factory=list)


class _StrictLoader(yaml.SafeLoader):
    """safe_load that refuses duplicate keys (the later one would silently win) and aliases."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(None, None, "aliases (*name) are not supported", event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.MarkedYAMLError(None, None, f"duplicate key “{key}”", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_yaml(data: bytes | str) -> Any:
    if isinstance(data, bytes):
        if len(data) > MAX_YAML_BYTES:
            raise InputRejected([InputError(_("The catalog is larger than 5 MB."))])
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            message = _("The catalog is not UTF-8 text (byte %(pos)s).") % {"pos": exc.start}
            raise InputRejected([InputError(message)]) from exc
    try:
        return yaml.load(data, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        message = _("The YAML is not valid: %(problem)s.") % {"problem": exc.problem or exc.context}
        raise InputRejected([InputError(message, where=where)]) from exc
    except yaml.YAMLError as exc:
        raise InputRejected([InputError(_("The YAML is not valid: %(problem)s.") % {"problem": exc})]) from exc


def canonical_hash(tree: Any) -> str:
    """sha256 of the parsed content: formatting, comments, key order, 10 vs 10.0 and NFD vs NFC do not count."""

    def canon(node):
        if isinstance(node, dict):
            return {str(k): canon(v) for k, v in node.items()}
        if isinstance(node, list):
            return [canon(v) for v in node]
        if isinstance(node, str):
            return nfc(node)
        if isinstance(node, bool) or node is None:
            return node
        if isinstance(node, int | float):
            return float(node)
        return str(node)  # dates

    text = json.dumps(canon(tree), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class _Checker:
    """Collects every problem with its YAML path instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[InputError] = []

    def error(self, path: str, message) -> None:
        self.errors.append(InputError(message, where=path or None))

    def mapping(self, node, path: str, required: tuple, optional: tuple = ()) -> dict | None:
        if not isinstance(node, dict):
            self.error(path, _("Expected a mapping (key: value)."))
            return None
        for key in required:
            if key not in node:
                self.error(_join(path, key), _("This key is required."))
        for key in node:
            if key not in required and key not in optional:
                self.error(_join(path, str(key)), _("Unknown key."))
        return node

    def sequence(self, node, path: str, required: bool = True) -> list:
        if node is None and not required:
            return []
        if not isinstance(node, list):
            self.error(path, _("Expected a list."))
            return []
        if required and not node:
            self.error(path, _("The list is empty."))
        return node

    def text(self, node, path: str, max_length: int, required: bool = True) -> str:
        if node is None:
            if required:
                self.error(path, _("A text is required."))
            return ""
        if not isinstance(node, str):
            self.error(path, _("Expected a text (quote it)."))
            return ""
        value = nfc(node)
        if required and not value:
            self.error(path, _("A text is required."))
        if len(value) > max_length:
            self.error(path, _("Longer than %(n)s characters.") % {"n": max_length})
        return value

    def code(self, node, path: str) -> str:
        value = self.text(node, path, 50)
        if value and not CODE_RE.match(value):
            self.error(path, _("A code has letters, digits, “.”, “_” and “-” only."))
        return value

    def bilingual(self, node, path: str, max_length: int, required: bool = True) -> tuple[str, str]:
        if node is None and not required:
            return "", ""
        if self.mapping(node, path, ("vi",) if required else (), ("vi", "en")) is None:
            return "", ""
        vi = self.text(node.get("vi"), _join(path, "vi"), max_length, required=required)
        en = self.text(node.get("en"), _join(path, "en"), max_length, required=False)
        return vi, en

    def number(self, node, path: str) -> Decimal | None:
        # bool is an int in Python; `yes` in YAML must not pass as 1.
        if isinstance(node, bool) or not isinstance(node, int | float):
            self.error(path, _("Expected a number."))
            return None
        return Decimal(str(node))

    def integer(self, node, path: str) -> int | None:
        if isinstance(node, bool) or not isinstance(node, int):
            self.error(path, _("Expected a whole number."))
            return None
        return node

    def label(self, node, path: str, max_length: int = 50) -> str:
        """An article or clause: written as text or a bare number."""
        if node is None:
            return ""
        if isinstance(node, int) and not isinstance(node, bool):
            return str(node)
        return self.text(node, path, max_length, required=False)


def parse_catalog(data: bytes | str) -> CatalogData:
    """Validate a catalog; raises InputRejected listing every problem with its YAML path."""
    tree = load_yaml(data)
    c = _Checker()
    if tree is None:
        raise InputRejected([InputError(_("The catalog is empty."))])
    root = c.mapping(tree, "", ("code", "version", "name", "pillars"),
                     ("description", "levels", "legal_sources", "valid_from", "valid_to", "public_service_indicators"))
    if root is None:
        raise InputRejected(c.errors)
    code = c.code(root.get("code"), "code")
    version = c.code(root.get("version"), "version")
    name_vi, name_en = c.bilingual(root.get("name"), "name", 255)
    desc_vi, desc_en = c.bilingual(root.get("description"), "description", 10000, required=False)
    levels = _levels(c, root.get("levels"))
    valid_from, valid_to = _validity(c, root, "")
    sources = _sources(c, root.get("legal_sources"))
    pillars = _pillars(c, root.get("pillars"), {s.code for s in sources})
    public_services = _public_service_indicators(c, root.get("public_service_indicators"), pillars)
    if c.errors:
        raise InputRejected(c.errors)
    return CatalogData(code=code, version=version, name_vi=name_vi, name_en=name_en, description_vi=desc_vi,
                       description_en=desc_en, levels=levels, content_hash=canonical_hash(tree), sources=sources,
                       pillars=pillars, valid_from=valid_from, valid_to=valid_to,
                       public_service_indicators=public_services)


def _public_service_indicators(c: _Checker, node, pillars: list[PillarData]) -> list[str]:
    """Optional: the indicators of online public services. A central agency for which every one of them was
    accepted as not applicable is ranked apart (scoring.md §5 as the DTI applies it)."""
    known = {ind.code for pillar in pillars for ind in pillar.indicators}
    codes = []
    for i, item in enumerate(c.sequence(node, "public_service_indicators", required=node is not None)):
        path = _join("public_service_indicators", i)
        code = c.code(item, path)
        if code and code not in known:
            c.error(path, _("“%(code)s” is not an indicator of this catalog.") % {"code": code})
        elif code in codes:
            c.error(path, _("Duplicate indicator code “%(code)s”.") % {"code": code})
        elif code:
            codes.append(code)
    return codes


def _levels(c: _Checker, node) -> list[dict]:
    if node is None:
        return [dict(level) for level in DEFAULT_LEVELS]
    items = c.sequence(node, "levels")
    levels, codes, previous = [], set(), None
    for i, item in enumerate(items):
        path = _join("levels", i)
        last = i == len(items) - 1
        if c.mapping(item, path, ("code",), ("below",)) is None:
            continue
        level_code = c.code(item.get("code"), _join(path, "code"))
        if level_code in codes:
            c.error(_join(path, "code"), _("Duplicate level code “%(code)s”.") % {"code": level_code})
        codes.add(level_code)
        level = {"code": level_code}
        if last:
            if "below" in item:
                c.error(_join(path, "below"), _("The last level has no “below”: it takes every index above."))
        elif "below" not in item:
            c.error(_join(path, "below"), _("Every level but the last needs “below”."))
        else:
            below = c.number(item["below"], _join(path, "below"))
            if below is not None:
                if not Decimal(0) < below <= Decimal(1):
                    c.error(_join(path, "below"), _("“below” is an index between 0 and 1."))
                if previous is not None and below <= previous:
                    c.error(_join(path, "below"), _("Levels must be in ascending order of “below”."))
                previous = below
                level["below"] = float(below)
        levels.append(level)
    return levels


def _coded_items(c: _Checker, node, key: str, keys: tuple[tuple, tuple], duplicate, required: bool = True):
    """(path, mapping, code) of each well-formed item of a list of coded mappings; a repeated code is reported
    with the `duplicate` message."""
    seen = set()
    for i, item in enumerate(c.sequence(node, key, required=required)):
        path = _join(key, i)
        if c.mapping(item, path, *keys) is None:
            continue
        code = c.code(item.get("code"), _join(path, "code"))
        if code in seen:
            c.error(_join(path, "code"), duplicate % {"code": code})
        seen.add(code)
        yield path, item, code


def _sources(c: _Checker, node) -> list[SourceData]:
    sources = []
    for path, item, source_code in _coded_items(c, node, "legal_sources", (("code", "title"), ("issued",)),
                                                _("Duplicate legal source “%(code)s”."), required=False):
        title_vi, title_en = c.bilingual(item.get("title"), _join(path, "title"), 500)
        sources.append(SourceData(source_code, title_vi, title_en, _date(c, item.get("issued"), _join(path, "issued"))))
    return sources


def _date(c: _Checker, node, path: str) -> datetime.date | None:
    if node is None:
        return None
    day = parse_day(node, ISO) if isinstance(node, str | datetime.date) else None
    if day is not None:
        return day
    c.error(path, _("Expected a date (YYYY-MM-DD)."))
    return None


def _validity(c: _Checker, node: dict, path: str) -> tuple[datetime.date | None, datetime.date | None]:
    """Optional `valid_from` / `valid_to` of a mapping (inclusive dates; missing = open)."""
    start = _date(c, node.get("valid_from"), _join(path, "valid_from"))
    end = _date(c, node.get("valid_to"), _join(path, "valid_to"))
    if start and end and end < start:
        c.error(_join(path, "valid_to"), _("valid_to is before valid_from."))
    return start, end


def _pillars(c: _Checker, node, source_codes: set[str]) -> list[PillarData]:
    pillars, indicator_codes = [], set()
    for path, item, pillar_code in _coded_items(c, node, "pillars", (("code", "name", "indicators"), ("weight",)),
                                                _("Duplicate pillar code “%(code)s”.")):
        name_vi, name_en = c.bilingual(item.get("name"), _join(path, "name"), 255)
        weight = None
        if item.get("weight") is not None:
            weight = c.number(item["weight"], _join(path, "weight"))
            if weight is not None and weight <= 0:
                c.error(_join(path, "weight"), _("A weight is a number above 0."))
        pillar = PillarData(pillar_code, name_vi, name_en, weight)
        for j, ind in enumerate(c.sequence(item.get("indicators"), _join(path, "indicators"))):
            parsed = _indicator(c, ind, _join(_join(path, "indicators"), j), source_codes, indicator_codes)
            if parsed:
                pillar.indicators.append(parsed)
        pillars.append(pillar)
    weighted = [p.weight is not None for p in pillars]
    if any(weighted) and not all(weighted):
        for i, has_weight in enumerate(weighted):
            if not has_weight:
                c.error(_join(_join("pillars", i), "weight"),
                        _("Either every pillar has a weight or none has; this one has none."))
    return pillars


def _indicator(c: _Checker, item, path: str, source_codes: set[str], seen: set[str]) -> IndicatorData | None:
    if c.mapping(item, path, ("code", "name", "type", "normalization", "max_points"),
                 ("min_level", "max_level", "applies_to", "legal_basis", "evidence", "valid_from", "valid_to",
                  "aggregation")) is None:
        return None
    code = c.code(item.get("code"), _join(path, "code"))
    if code in seen:
        c.error(_join(path, "code"), _("Duplicate indicator code “%(code)s”.") % {"code": code})
    seen.add(code)
    name_vi, name_en = c.bilingual(item.get("name"), _join(path, "name"), 500)
    kind = item.get("type")
    if kind not in IndicatorType.values:
        c.error(_join(path, "type"), _("Unknown type “%(type)s”; expected one of: %(types)s.")
                % {"type": kind, "types": ", ".join(IndicatorType.values)})
    min_level, max_level = _level_bounds(c, item, path, kind)
    normalization = _normalization(c, item.get("normalization"), _join(path, "normalization"), kind)
    max_points = c.number(item.get("max_points"), _join(path, "max_points")) if "max_points" in item else None
    if max_points is not None and max_points < 0:
        c.error(_join(path, "max_points"), _("max_points cannot be negative."))
    valid_from, valid_to = _validity(c, item, path)
    aggregation = item.get("aggregation", Aggregation.LAST)
    if aggregation not in Aggregation.values:
        c.error(_join(path, "aggregation"), _("Unknown aggregation “%(aggregation)s”; expected one of: %(choices)s.")
                % {"aggregation": aggregation, "choices": ", ".join(Aggregation.values)})
    elif aggregation in UNFIT_AGGREGATIONS.get(kind, ()):
        c.error(_join(path, "aggregation"), _("A %(type)s indicator cannot aggregate by %(aggregation)s.")
                % {"type": kind, "aggregation": aggregation})
    applies_to, kind_validity = _applies_to(c, item.get("applies_to"), _join(path, "applies_to"))
    evidence_vi, evidence_en = c.bilingual(item.get("evidence"), _join(path, "evidence"), 10000, required=False)
    basis = []
    for k, entry in enumerate(c.sequence(item.get("legal_basis"), _join(path, "legal_basis"), required=False)):
        bpath = _join(_join(path, "legal_basis"), k)
        if c.mapping(entry, bpath, ("source",), ("article", "clause", "note")) is None:
            continue
        source = c.text(entry.get("source"), _join(bpath, "source"), 50)
        if source and source not in source_codes:
            c.error(_join(bpath, "source"),
                    _("Legal source “%(code)s” is not declared in legal_sources.") % {"code": source})
        note_vi, note_en = c.bilingual(entry.get("note"), _join(bpath, "note"), 10000, required=False)
        basis.append(BasisData(source, c.label(entry.get("article"), _join(bpath, "article")),
                               c.label(entry.get("clause"), _join(bpath, "clause")), note_vi, note_en))
    return IndicatorData(code=code, name_vi=name_vi, name_en=name_en, type=kind or "", min_level=min_level,
                         max_level=max_level, normalization=normalization, max_points=max_points or Decimal(0),
                         applies_to=applies_to, evidence_vi=evidence_vi, evidence_en=evidence_en, legal_basis=basis,
                         valid_from=valid_from, valid_to=valid_to, kind_validity=kind_validity,
                         aggregation=aggregation)


def _applies_to(c: _Checker, node, path: str) -> tuple[list[str], dict[str, list[str | None]]]:
    """Kinds, each written `district` or `{kind: district, valid_to: 2025-06-30}` (a kind assessed for a while)."""
    kinds: list[str] = []
    dated: dict[str, list[str | None]] = {}
    for k, entry in enumerate(c.sequence(node, path, required=False)):
        kpath = _join(path, k)
        agency_kind = entry
        if isinstance(entry, dict):
            if c.mapping(entry, kpath, ("kind",), ("valid_from", "valid_to")) is None:
                continue
            agency_kind = entry.get("kind")
            start, end = _validity(c, entry, kpath)
            dated[str(agency_kind)] = [start and start.isoformat(), end and end.isoformat()]
            kpath = _join(kpath, "kind")
        if agency_kind not in AgencyKind.values:
            c.error(kpath, _("Unknown agency kind “%(kind)s”; expected one of: %(kinds)s.")
                    % {"kind": agency_kind, "kinds": ", ".join(AgencyKind.values)})
        elif agency_kind not in kinds:
            kinds.append(agency_kind)
    return kinds, dated


def _level_bounds(c: _Checker, item: dict, path: str, kind) -> tuple[int | None, int | None]:
    low, high = item.get("min_level"), item.get("max_level")
    if kind != IndicatorType.LEVEL:
        for key in ("min_level", "max_level"):
            if item.get(key) is not None:
                c.error(_join(path, key), _("Only indicators of type level have %(key)s.") % {"key": key})
        return None, None
    low = c.integer(low, _join(path, "min_level"))
    high = c.integer(high, _join(path, "max_level"))
    if low is not None and high is not None and low >= high:
        c.error(_join(path, "max_level"), _("max_level must be greater than min_level."))
    return low, high


def _normalization(c: _Checker, node, path: str, kind) -> dict:
    if not isinstance(node, dict):
        c.error(path, _("Expected a mapping with “method” and its parameters."))
        return {}
    method = node.get("method")
    if not isinstance(method, str) or method not in METHOD_PARAMS:
        c.error(_join(path, "method"),
                _("Unknown normalization method “%(method)s”; expected one of: %(methods)s.")
                % {"method": method, "methods": ", ".join(METHOD_PARAMS)})
        return {}
    params = METHOD_PARAMS[method]
    c.mapping(node, path, ("method", *params))
    out: dict[str, Any] = {"method": method}
    if method == "linear":
        floor = c.number(node["floor"], _join(path, "floor")) if "floor" in node else None
        target = c.number(node["target"], _join(path, "target")) if "target" in node else None
        if floor is not None and target is not None:
            if floor == target:
                c.error(_join(path, "target"), _("target must differ from floor."))
            out.update(floor=float(floor), target=float(target))
    elif method == "bands" and "bands" in node:
        out["bands"] = _bands(c, node["bands"], _join(path, "bands"))
    elif method == "boolean" and kind in IndicatorType.values and kind != IndicatorType.BOOLEAN:
        c.error(_join(path, "method"), _("The boolean method is for indicators of type boolean."))
    return out


def _bands(c: _Checker, node, path: str) -> list[list[float]]:
    bands, previous = [], None
    for i, pair in enumerate(c.sequence(node, path)):
        ppath = _join(path, i)
        if not isinstance(pair, list) or len(pair) != 2:
            c.error(ppath, _("A band is a pair [threshold, score]."))
            continue
        threshold = c.number(pair[0], _join(ppath, 0))
        score = c.number(pair[1], _join(ppath, 1))
        if threshold is not None:
            if previous is not None and threshold <= previous:
                c.error(_join(ppath, 0), _("Band thresholds must be strictly ascending."))
            previous = threshold
        if score is not None and not Decimal(0) <= score <= Decimal(1):
            c.error(_join(ppath, 1), _("A band score is between 0 and 1."))
        if threshold is not None and score is not None:
            bands.append([float(threshold), float(score)])
    return bands
