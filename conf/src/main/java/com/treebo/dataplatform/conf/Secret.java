package com.treebo.dataplatform.conf;

/**
 * A secret value (password, hash key). Its {@code toString} never shows the value, so a record
 * holding it can be logged safely; call {@link #reveal()} only where the value is handed to a driver.
 */
public record Secret(String value) {
  public Secret {
    value = value == null ? "" : value;
  }

  public String reveal() {
    return value;
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public String toString() {
    return value.isEmpty() ? "<empty>" : "<hidden>";
  }
}
