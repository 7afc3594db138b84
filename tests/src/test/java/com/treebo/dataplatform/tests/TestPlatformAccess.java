package com.treebo.dataplatform.tests;

/** Lets tests in other packages (package-private units of the jobs module) use the shared local PostgreSQL. */
public final class TestPlatformAccess {
  private TestPlatformAccess() {}

  /** A fresh empty database on the shared local PostgreSQL, as a JDBC URL (user postgres, no password). */
  public static String newDatabase(String name) {
    String db = name + "_" + System.nanoTime();
    TestPlatform.get().postgres().ensureDatabase(db);
    return TestPlatform.get().postgres().jdbcUrl(db);
  }
}
