package com.treebo.dataplatform.jobs.control;

/** The control database could not be reached or refused a statement; the message says which and where. */
public final class ControlStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ControlStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
