"""The same run, row for row, whether local processes or a Dask cluster did the work."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from distributed import LocalCluster, get_task_stream

from khaudit import executor
from khaudit.audit import audit
from khaudit.project import load_project
from khaudit.scan import scanpass
from khaudit.scan.catalogue import Catalogue


def test_local_cluster_run_equals_the_embedded_run(demo_dir: Path, tmp_path: Path, monkeypatch):
    province = tmp_path / "demo"
    shutil.copytree(demo_dir, province, ignore=shutil.ignore_patterns(".khaudit"))
    project = province / "project.toml"
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        try:
            executor.configure(cluster.scheduler_address)
            with get_task_stream(client=executor._dask_client()) as tasks:
                on_cluster = audit(
                    project, tmp_path / "cluster", scheduler=cluster.scheduler_address
                )
            assert len(tasks.data) >= 4  # batches of files were read on the cluster's workers
            assert any(str(t["key"]).startswith("inspect_files") for t in tasks.data)
            # A rescan of a known tree lists its folders on the workers too (the demo's trees
            # are small enough to be listed in-process unless told otherwise).
            monkeypatch.setattr(scanpass, "_SMALL_TREE", 0)
            project_file = load_project(project)
            root = project_file.localities[0].scan_roots[0]
            with (
                get_task_stream(client=executor._dask_client()) as walks,
                Catalogue(project_file.scan.catalogue) as cat,
            ):
                again = cat.scan(root)
            assert again.read == 0 and again.unchanged == again.files > 0
            assert any(str(t["key"]).startswith("walk_folders") for t in walks.data)
            matched = [t for t in tasks.data if str(t["key"]).startswith("run_match_job")]
            assert len(matched) == len(on_cluster.meta["localities"])  # one task a locality
            assert {t["worker"] for t in tasks.data} == set(cluster.scheduler_info["workers"])
        finally:
            executor.configure(None)
    assert executor.scheduler() is None
    shutil.rmtree(province / ".khaudit")  # the embedded run reads every file again
    embedded = audit(project, tmp_path / "embedded")
    for name in ("records", "files", "inventory_issues", "candidates"):
        pd.testing.assert_frame_equal(on_cluster.table(name), embedded.table(name))
    assert on_cluster.meta["fingerprint"] == embedded.meta["fingerprint"]
    assert on_cluster.meta["counts"] == embedded.meta["counts"]
