package com.treebo.dataplatform.jobs.runtime;

import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.conf.Secret;
import com.treebo.dataplatform.jobs.control.ControlStore;
import org.apache.spark.sql.SparkSession;

/**
 * What a command runs against: the parsed config, the local runtime (none on EMR), and, started on
 * first use, the SparkSession and the control store. A command that needs neither (e.g. {@code
 * status} needs no Spark) does not pay for it.
 */
public final class Platform implements AutoCloseable {
  private final PlatformConfig config;
  private final LocalRuntime runtime;
  private final String appName;
  private final boolean ownsRuntime;
  private SparkSession spark;
  private ControlStore control;

  /**
   * A platform on a runtime someone else started and will stop (tests share one runtime per JVM).
   */
  public Platform(PlatformConfig config, LocalRuntime runtime, String appName) {
    this(config, runtime, appName, false);
  }

  private Platform(PlatformConfig config, LocalRuntime runtime, String appName, boolean ownsRuntime) {
    this.config = config;
    this.runtime = runtime;
    this.appName = appName;
    this.ownsRuntime = ownsRuntime;
  }

  /** Starts the local runtime when the config asks for one; {@link #close()} stops it. */
  public static Platform start(PlatformConfig config, String appName) {
    return new Platform(config, LocalRuntime.start(config), appName, true);
  }

  public PlatformConfig config() {
    return config;
  }

  public LocalRuntime runtime() {
    return runtime;
  }

  public synchronized SparkSession spark() {
    if (spark == null) {
      spark = Sessions.create(config, runtime, appName);
    }
    return spark;
  }

  public synchronized ControlStore control() {
    if (control == null) {
      control = ControlStore.open(config.control());
    }
    return control;
  }

  /** The PII hash key (see {@link LocalRuntime#piiKey}). */
  public Secret piiKey() {
    return runtime.piiKey(config);
  }

  /** Closes the control store, and the local runtime if this platform started it. */
  @Override
  public synchronized void close() {
    if (control != null) {
      control.close();
    }
    if (ownsRuntime) {
      runtime.close();
    }
  }
}
