package com.treebo.dataplatform.jobs.extract;

/**
 * Extracting a table failed for a reason the message states (table, column, source, what to do).
 * The table's checkpoint did not move; other tables carry on.
 */
public final class ExtractException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ExtractException(String message) {
    super(message);
  }

  public ExtractException(String message, Throwable cause) {
    super(message, cause);
  }
}
