package com.treebo.dataplatform.jobs.warehouse;

import com.treebo.dataplatform.jobs.stage.Platform;
import com.treebo.dataplatform.jobs.stage.StageReport;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A load whose connection to the warehouse is lost, as when its EMR node dies, the moment it sends a
 * statement starting with a given text: the connection is closed under it (the server rolls the
 * open transaction back) and the statement fails.
 */
public final class Interrupted {
  private Interrupted() {}

  public static StageReport loadKilledAt(Platform platform, String statementPrefix) {
    try (platform) {
      return new LoadStage((c, sql) -> {
        if (sql.startsWith(statementPrefix)) {
          c.close();
          throw new SQLException("connection lost (test): the load was killed before " + statementPrefix);
        }
        Warehouse.Statements.PLAIN.execute(c, sql);
      }).run(platform);
    }
  }
}
