"""Descendant queries on a national-size hierarchy (about 20,000 agencies).

Prints the time of `descendants_of` (materialised path, one indexed prefix query) against a
recursive CTE and a naive level-by-level ORM walk, measured in the same run.
Usage: .venv/bin/python bench/hierarchy.py
"""

import datetime
import statistics
import time

from _setup import bench_database

bench_database("govit_bench_hierarchy")

from django.db import connection  # noqa: E402

from agencies.models import Agency, AgencyKind  # noqa: E402

START = datetime.date(2008, 1, 1)


def build() -> None:
    """34 provinces × (25 departments × 8 units + 120 communes × 2 units) ≈ 20,000 agencies."""
    provinces = Agency.objects.bulk_create(
        Agency(code=f"000.00.00.H{p:02d}", name_vi=f"Tỉnh {p}", kind=AgencyKind.PROVINCE, valid_from=START)
        for p in range(1, 35)
    )
    for p in provinces:
        p.path, p.depth = "/", 0
    level2 = []
    for p in provinces:
        for d in range(25):
            level2.append(Agency(code=f"000.00.{d + 1:02d}.{p.code[-3:]}", name_vi=f"Sở {d}", kind=AgencyKind.DEPARTMENT,
                                 parent=p, path=f"/{p.pk}/", depth=1, valid_from=START))
        for c in range(120):
            level2.append(Agency(code=f"000.{c % 100:02d}.{90 + c // 100}.{p.code[-3:]}", name_vi=f"Xã {c}", kind=AgencyKind.COMMUNE,
                                 parent=p, path=f"/{p.pk}/", depth=1, valid_from=START))
    level2 = Agency.objects.bulk_create(level2, batch_size=2000)
    level3 = [
        Agency(code=f"{u:03d}.{a.code[4:]}", name_vi=f"Đơn vị {u}", kind=AgencyKind.UNIT, parent=a,
               path=f"{a.path}{a.pk}/", depth=2, valid_from=START)
        for a in level2
        for u in range(1, (9 if a.kind == AgencyKind.DEPARTMENT else 3))
    ]
    Agency.objects.bulk_create(level3, batch_size=2000)


def timed(fn, repeat=20) -> float:
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples) * 1000


def main() -> None:
    build()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE agencies_agency")
    total = Agency.objects.count()
    root = Agency.objects.get(code="000.00.00.H17")

    def by_path():
        return Agency.objects.descendants_of(root).count()

    def by_cte():
        with connection.cursor() as cursor:
            cursor.execute(
                """WITH RECURSIVE t(id) AS (SELECT id FROM agencies_agency WHERE parent_id = %s
                   UNION ALL SELECT a.id FROM agencies_agency a JOIN t ON a.parent_id = t.id)
                   SELECT count(*) FROM t""",
                [root.pk],
            )
            return cursor.fetchone()[0]

    def naive():
        found, frontier = 0, [root.pk]
        while frontier:
            frontier = list(Agency.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            found += len(frontier)
        return found

    assert by_path() == by_cte() == naive()
    path_ms, cte_ms, naive_ms = timed(by_path), timed(by_cte), timed(naive)
    print(f"agencies: {total}; descendants of one province: {by_path()}")
    print(f"descendants_of (materialised path): {path_ms:.2f} ms median")
    print(f"recursive CTE:                      {cte_ms:.2f} ms median ({cte_ms / path_ms:.1f}x path)")
    print(f"naive level-by-level ORM walk:      {naive_ms:.2f} ms median ({naive_ms / path_ms:.1f}x path)")


if __name__ == "__main__":
    main()
