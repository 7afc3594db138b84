package com.treebo.dataplatform.conf;

/**
 * A configuration value is missing or wrong. The message names the config key (its full HOCON
 * path), what is wrong with it and, where it helps, what would be accepted.
 */
public final class InvalidConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidConfigException(String key, String problem) {
    super("Invalid configuration at " + key + ": " + problem);
  }

  public InvalidConfigException(String key, String problem, Throwable cause) {
    super("Invalid configuration at " + key + ": " + problem, cause);
  }
}
