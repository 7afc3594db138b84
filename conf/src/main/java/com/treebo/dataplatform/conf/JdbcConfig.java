package com.treebo.dataplatform.conf;

/** How to reach one database over JDBC. The password is a {@link Secret}: safe to log this record. */
public record JdbcConfig(String url, String user, Secret password) {
  public JdbcConfig {
    if (url == null || !url.startsWith("jdbc:")) {
      throw new IllegalArgumentException("jdbc-url must start with jdbc: (got '" + url + "')");
    }
  }
}
