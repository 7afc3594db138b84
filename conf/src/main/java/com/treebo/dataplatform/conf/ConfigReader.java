package com.treebo.dataplatform.conf;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigUtil;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** Reads one block of a {@link Config}, turning every failure into an error naming the full key. */
final class ConfigReader {
  private final Config config;
  private final String prefix;

  ConfigReader(Config config, String prefix) {
    this.config = config;
    this.prefix = prefix;
  }

  String key(String path) {
    if (path.isEmpty()) {
      return prefix.isEmpty() ? "<root>" : prefix;
    }
    return prefix.isEmpty() ? path : prefix + "." + path;
  }

  ConfigReader child(String name) {
    String path = ConfigUtil.joinPath(name);
    try {
      return new ConfigReader(config.getConfig(path), prefix.isEmpty() ? path : prefix + "." + path);
    } catch (ConfigException e) {
      throw new InvalidConfigException(key(path), problem(e), e);
    }
  }

  Set<String> keys() {
    return config.root().keySet();
  }

  boolean has(String path) {
    return config.hasPath(path);
  }

  String string(String path) {
    return read(path, () -> config.getString(path));
  }

  Optional<String> optionalString(String path) {
    return config.hasPath(path) ? Optional.of(string(path)) : Optional.empty();
  }

  List<String> stringList(String path) {
    return read(path, () -> config.getStringList(path));
  }

  boolean bool(String path) {
    return read(path, () -> config.getBoolean(path));
  }

  Duration duration(String path) {
    return read(path, () -> config.getDuration(path));
  }

  int positiveInt(String path) {
    int value = read(path, () -> config.getInt(path));
    if (value < 1) {
      throw new InvalidConfigException(key(path), "must be positive (got " + value + ")");
    }
    return value;
  }

  long positiveLong(String path) {
    long value = read(path, () -> config.getLong(path));
    if (value < 1) {
      throw new InvalidConfigException(key(path), "must be positive (got " + value + ")");
    }
    return value;
  }

  long nonNegativeLong(String path) {
    long value = read(path, () -> config.getLong(path));
    if (value < 0) {
      throw new InvalidConfigException(key(path), "must not be negative (got " + value + ")");
    }
    return value;
  }

  double share(String path) {
    double value = read(path, () -> config.getDouble(path));
    if (!(value > 0 && value <= 1)) {
      throw new InvalidConfigException(key(path), "must be a share in (0, 1], e.g. 0.1 for 10% (got " + value + ")");
    }
    return value;
  }

  long bytes(String path) {
    long value = read(path, () -> config.getBytes(path));
    if (value < 1) {
      throw new InvalidConfigException(key(path), "must be a positive size, e.g. 8 GB (got " + value + ")");
    }
    return value;
  }

  int port(String path) {
    int value = read(path, () -> config.getInt(path));
    if (value < 0 || value > 65535) {
      throw new InvalidConfigException(key(path), "is not a TCP port (got " + value + ")");
    }
    return value;
  }

  /** Builds a record, turning a constructor's validation failure into an error naming this block. */
  <T> T build(Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(key(""), e.getMessage(), e);
    }
  }

  private <T> T read(String path, Supplier<T> getter) {
    try {
      return getter.get();
    } catch (ConfigException e) {
      throw new InvalidConfigException(key(path), problem(e), e);
    }
  }

  private static String problem(ConfigException e) {
    if (e instanceof ConfigException.Missing) {
      return "is missing";
    }
    String message = e.getMessage();
    int colon = message.indexOf(": ");
    return colon >= 0 && e.origin() != null ? message.substring(colon + 2) : message;
  }
}
