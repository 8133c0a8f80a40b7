"""Locust users of bench/load.py: readers of scores and rankings; writers of draft values and of a plan."""

import os
import random

from locust import HttpUser, between, task

WRITER_SHARE = float(os.environ.get("WRITER_SHARE", "0.09"))
PLAN_ID = os.environ.get("PLAN_ID", "")


class Reader(HttpUser):
    weight = max(int(round((1 - WRITER_SHARE) * 100)), 1)
    wait_time = between(0.5, 2)

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {os.environ['READER_TOKEN']}"

    @task(3)
    def ranking(self):
        self.client.get("/api/v1/scores/?framework=CNTT-64&period=2024&group=provincial", name="scores ranking")

    @task(1)
    def agency_history(self):
        self.client.get("/api/v1/agencies/000.00.00.H26/scores/", name="agency scores")

    @task(1)
    def agencies(self):
        self.client.get("/api/v1/agencies/?group=provincial&active_on=2025-07-01", name="agencies")


class Writer(HttpUser):
    weight = max(int(round(WRITER_SHARE * 100)), 1)
    wait_time = between(1, 3)

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {os.environ['WRITER_TOKEN']}"

    @task(3)
    def save_draft(self):
        # A percent indicator of the 2025 CDS period: a new draft (201), or 409 when a value exists and no version was sent.
        payload = {"agency": "000.00.00.H26", "framework": "CDS", "period": 2025,
                   "indicator": random.choice(["DM.01", "MLN.02", "CPM.04", "DDL.04"]),
                   "value": f"{random.uniform(0, 100):.1f}"}
        with self.client.post("/api/v1/values/", json=payload, name="save value", catch_response=True) as r:
            if r.status_code in (200, 201, 409):  # 409: a draft exists and this write carried no version
                r.success()

    @task(1)
    def edit_plan(self):
        # Read the draft plan and save a section on its version; 409 when another writer saved in between.
        plan = self.client.get(f"/api/v1/plans/{PLAN_ID}/", name="read plan").json()
        payload = {"version": plan["version"],
                   "sections": [{"key": plan["sections"][0]["key"], "body": f"Bản nháp {random.randint(1, 10**6)}"}]}
        with self.client.patch(f"/api/v1/plans/{PLAN_ID}/", json=payload, name="save plan",
                               catch_response=True) as r:
            if r.status_code in (200, 409):
                r.success()
