package com.treebo.dataplatform.jobs.catalog;

/** The metastore refused an entry, or a table cannot be published as configured; the message names the table. */
public final class CatalogException extends RuntimeException {
  public CatalogException(String message, Throwable cause) {
    super(message, cause);
  }

  public CatalogException(String message) {
    super(message);
  }
}
