package com.treebo.dataplatform.jobs.warehouse;

/** The warehouse refused or failed a step of the load; the message names it and says what became of the load. */
public final class WarehouseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WarehouseException(String message) {
    super(message);
  }

  public WarehouseException(String message, Throwable cause) {
    super(message, cause);
  }
}
