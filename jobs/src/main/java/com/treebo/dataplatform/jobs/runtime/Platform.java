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
  private SparkSession spark;
  private ControlStore control;

  public Platform(PlatformConfig config, LocalRuntime runtime, String appName) {
    this.config = config;
    this.runtime = runtime;
    this.appName = appName;
  }

  /** Starts the local runtime when the config asks for one. */
  public static Platform start(PlatformConfig config, String appName) {
    return new Platform(config, LocalRuntime.start(config), appName);
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

  /** Stops what this platform started, except a SparkSession shared with others (tests). */
  @Override
  public synchronized void close() {
    if (control != null) {
      control.close();
    }
    runtime.close();
  }
}
