package com.treebo.dataplatform.jobs.stage;

/**
 * A stage, or one table of it, cannot go on; the message says what, why and what to do, and the
 * stage has written nothing it would leave half-done.
 */
public class StageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StageException(String message) {
    super(message);
  }

  public StageException(String message, Throwable cause) {
    super(message, cause);
  }
}
