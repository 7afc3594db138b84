package com.treebo.dataplatform.jobs.lake;

/** A lake table cannot be used as it is; the message names the table, where it is and what to do. */
public final class LakeTableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LakeTableException(String message) {
    super(message);
  }
}
