package com.treebo.dataplatform.conf;

import java.time.Duration;

/**
 * The control database and how runs share it.
 *
 * @param jdbc PostgreSQL ({@code jdbc:postgresql:}) or MySQL/MariaDB ({@code jdbc:mysql:},
 *     {@code jdbc:mariadb:})
 * @param lockWait how long a run waits for another run of the same table (or model, or warehouse)
 *     to finish before it stops with a message naming that run; zero stops at once
 */
public record ControlConfig(JdbcConfig jdbc, Duration lockWait) {
  public ControlConfig {
    String url = jdbc.url();
    if (!(url.startsWith("jdbc:postgresql:") || url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:mariadb:"))) {
      throw new IllegalArgumentException("jdbc-url '" + url + "' is neither a PostgreSQL (jdbc:postgresql:) nor a"
          + " MySQL/MariaDB (jdbc:mysql:, jdbc:mariadb:) URL");
    }
    if (lockWait.isNegative()) {
      throw new IllegalArgumentException("lock-wait must not be negative");
    }
  }
}
