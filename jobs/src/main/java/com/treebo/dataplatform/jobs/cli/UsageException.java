package com.treebo.dataplatform.jobs.cli;

/** The command line is wrong; the launcher prints the message and the command's usage, and exits 2. */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
