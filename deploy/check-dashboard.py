#!/usr/bin/env python3
"""Checks deploy/grafana-dashboard.json: panels laid out on Grafana's 24-column grid with unique ids,
and every query (panels and template variables) valid PromQL, by `promtool check rules` on the queries
written as recording rules (Grafana's $__rate_interval read as 5m, $instance as any instance). That the
series it reads and the labels it groups by are the daemon's is checked against a live daemon's scrape
by the integration test LiveRunTest.TheGrafanaDashboardReadsSeriesAndLabelsTheDaemonExports.

    deploy/check-dashboard.py [--promtool PATH] [deploy/grafana-dashboard.json]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile


def queries(dashboard):
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            yield panel["title"], target["expr"]
    for variable in dashboard["templating"]["list"]:
        if variable["type"] == "query":
            query = variable["query"]["query"]
            # label_values(<selector>, <label>) is Grafana's; its selector is PromQL.
            if query.startswith("label_values(") and query.endswith(")"):
                query = query[len("label_values("):-1].rsplit(",", 1)[0]
            yield "$" + variable["name"], query


def layout_problems(dashboard):
    ids = [p["id"] for p in dashboard["panels"]]
    if len(ids) != len(set(ids)):
        yield "panel ids repeat"
    for p in dashboard["panels"]:
        g = p["gridPos"]
        if g["x"] < 0 or g["w"] <= 0 or g["x"] + g["w"] > 24 or g["h"] <= 0:
            yield f"{p['title']}: off the 24-column grid: {g}"
        if p["type"] != "row" and not p.get("targets"):
            yield f"{p['title']}: no query"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dashboard", nargs="?", default=os.path.join(os.path.dirname(__file__), "grafana-dashboard.json"))
    parser.add_argument("--promtool", default="promtool")
    args = parser.parse_args()
    with open(args.dashboard) as f:
        dashboard = json.load(f)
    problems = list(layout_problems(dashboard))
    rules = []
    for i, (where, query) in enumerate(queries(dashboard)):
        expr = query.replace("$__rate_interval", "5m").replace("$instance", ".+")
        if "$" in expr:
            problems.append(f"{where}: unknown variable in {query}")
        rules.append({"record": f"dashboard:query_{i}", "expr": expr})
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        json.dump({"groups": [{"name": "dashboard", "rules": rules}]}, f)  # YAML reads JSON
        path = f.name
    try:
        checked = subprocess.run([args.promtool, "check", "rules", path], capture_output=True, text=True)
    finally:
        os.unlink(path)
    if checked.returncode != 0:
        problems.append("promtool: " + (checked.stdout + checked.stderr).strip())
    for p in problems:
        print("check-dashboard:", p, file=sys.stderr)
    if not problems:
        print(f"check-dashboard: {len(dashboard['panels'])} panels, {len(rules)} queries: ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
