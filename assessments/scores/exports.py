"""Ranking exports (same columns in CSV and XLSX)."""

from govit.exports import csv_response, xlsx_response

SCORE_COLUMNS = ("framework", "framework_version", "period", "group", "rank", "agency_code", "agency_name",
                 "index", "points", "max_points", "level", "delta", "verified_share")


def _rows(scores):
    for s in scores.iterator(chunk_size=2000):
        yield (s.framework.code, s.framework.version, s.period.year, s.group, s.rank, s.agency.code,
               s.agency.name_vi, s.index, s.points, s.max_points, s.level, s.delta, s.verified_share)


def score_rows_csv(scores):
    return csv_response("scores.csv", SCORE_COLUMNS, _rows(scores))


def score_rows_xlsx(scores):
    return xlsx_response("scores.xlsx", SCORE_COLUMNS, _rows(scores), title="scores")
