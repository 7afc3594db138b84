package com.treebo.dataplatform.jobs.stage;

import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.conf.Secret;
import com.treebo.dataplatform.jobs.control.ControlStore;
import com.treebo.dataplatform.jobs.runtime.LocalRuntime;
import com.treebo.dataplatform.jobs.runtime.Sessions;
import java.time.Clock;
import org.apache.spark.sql.SparkSession;

/**
 * What a stage runs against: the parsed config, the local runtime (none on EMR), the clock, and,
 * started on first use, the SparkSession and the control store. A command that needs neither (e.g.
 * {@code status} needs no Spark) does not pay for it.
 */
public final class Platform implements AutoCloseable {
  private final PlatformConfig config;
  private final LocalRuntime runtime;
  private final String appName;
  private final boolean ownsRuntime;
  private final Clock clock;
  private SparkSession spark;
  private ControlStore control;
  /** Set on a {@link #withClock} view: the session and control store belong to the platform it came from. */
  private boolean sharing;

  /** A platform on a runtime someone else started and will stop (tests share one runtime per JVM). */
  public Platform(PlatformConfig config, LocalRuntime runtime, String appName) {
    this(config, runtime, appName, false, Clock.systemUTC());
  }

  private Platform(PlatformConfig config, LocalRuntime runtime, String appName, boolean ownsRuntime, Clock clock) {
    this.config = config;
    this.runtime = runtime;
    this.appName = appName;
    this.ownsRuntime = ownsRuntime;
    this.clock = clock;
  }

  /** Starts the local runtime when the config asks for one; {@link #close()} stops it. */
  public static Platform start(PlatformConfig config, String appName) {
    return new Platform(config, LocalRuntime.start(config), appName, true, Clock.systemUTC());
  }

  /**
   * The same platform reading time from {@code clock} (tests: a night at a given hour). Shares
   * this one's session and control store; closing it closes nothing.
   */
  public Platform withClock(Clock clock) {
    Platform p = new Platform(config, runtime, appName, false, clock);
    p.spark = spark();
    p.control = control();
    p.sharing = true;
    return p;
  }

  /**
   * A platform for a worker thread that runs a stage next to others in this application: its own
   * Spark session (isolated SQL settings and temporary views; the same SparkContext, metastore and
   * caches) and, opened on first use, its own control-store connection (locks are held per
   * connection). Closing it closes that connection only.
   */
  public Platform worker() {
    // This platform's store first: opening one creates the control tables, and workers opening
    // theirs at once on a fresh database would race to create them.
    control();
    Platform p = new Platform(config, runtime, appName, false, clock);
    p.spark = spark().newSession();
    return p;
  }

  public PlatformConfig config() {
    return config;
  }

  public LocalRuntime runtime() {
    return runtime;
  }

  /** The clock stages read "now" from: the system's, UTC, except in tests. */
  public Clock clock() {
    return clock;
  }

  public synchronized SparkSession spark() {
    if (spark == null) {
      spark = Sessions.create(config, runtime, appName);
    }
    return spark;
  }

  public synchronized ControlStore control() {
    if (control == null) {
      control = ControlStore.open(config.control().jdbc());
    }
    return control;
  }

  /** The PII hash key (see {@link LocalRuntime#piiKey}). */
  public Secret piiKey() {
    return runtime.piiKey(config);
  }

  /** Closes the control store it opened, and the local runtime if this platform started it. */
  @Override
  public synchronized void close() {
    if (control != null && !sharing) {
      control.close();
    }
    if (ownsRuntime) {
      runtime.close();
    }
  }
}
