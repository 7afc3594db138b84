package com.treebo.dataplatform.jobs.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** What {@code bin/dataplatform status} shows per table: last success, watermark, latest failure since. */
public final class StatusReport {
  private final ControlDatabase db;
  private final RunLog runs;

  StatusReport(ControlDatabase db, RunLog runs) {
    this.db = db;
    this.runs = runs;
  }

  /** Every table the store knows (checkpointed or run at least once), with its status, by table id. */
  public List<TableStatus> tables() {
    Map<String, Optional<String>> watermarks = new LinkedHashMap<>();
    db.query("read checkpoints", "SELECT table_id, watermark FROM dp_checkpoint", ps -> { },
        rs -> watermarks.put(rs.getString(1), Optional.ofNullable(rs.getString(2))));
    TreeSet<String> all = new TreeSet<>(db.query("list tables", "SELECT DISTINCT table_id FROM dp_run", ps -> { }, rs -> rs.getString(1)));
    all.addAll(watermarks.keySet());
    List<TableStatus> out = new ArrayList<>();
    for (String table : all) {
      List<RunRecord> recent = runs.recent(table, 200);
      Optional<RunRecord> success = recent.stream().filter(r -> r.status().equals("succeeded")).findFirst();
      Optional<RunRecord> failure = recent.stream()
          .filter(r -> r.status().equals("failed") || r.status().equals("abandoned"))
          .filter(r -> success.isEmpty() || r.startedAt().isAfter(success.get().startedAt()))
          .findFirst();
      out.add(new TableStatus(table, success, watermarks.getOrDefault(table, Optional.empty()), failure));
    }
    return out;
  }
}
