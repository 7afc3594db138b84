package com.treebo.dataplatform.jobs.control;

import com.treebo.dataplatform.conf.JdbcConfig;

/**
 * The control database: what lets a failed night resume where it stopped. One connection, held for
 * the job's life, behind one part per concern: the {@link RunLog} (every run, its counts and
 * metrics), {@link Checkpoints} (what each table's output holds), {@link Locks} (one run of a table
 * at a time), the clickstream's {@link LandedObjects} ledger, the model's {@link Publications}, the nightly runner's {@link Nights}, and
 * the {@link StatusReport}.
 *
 * <p>Works on PostgreSQL and on MySQL/MariaDB (the production choice, RDS); tables are created on
 * first use. The store is touched a handful of times per table and run, never per row.
 */
public final class ControlStore implements AutoCloseable {
  private final ControlDatabase db;
  private final RunLog runs;
  private final Checkpoints checkpoints;
  private final Locks locks;
  private final LandedObjects landedObjects;
  private final StatusReport status;
  private final Publications publications;
  private final Nights nights;

  private ControlStore(ControlDatabase db) {
    this.db = db;
    this.runs = new RunLog(db);
    this.checkpoints = new Checkpoints(db);
    this.locks = new Locks(db);
    this.landedObjects = new LandedObjects(db);
    this.status = new StatusReport(db, runs);
    this.publications = new Publications(db);
    this.nights = new Nights(db);
  }

  /** Connects to the control database and creates its tables if missing. */
  public static ControlStore open(JdbcConfig jdbc) {
    return new ControlStore(ControlDatabase.open(jdbc));
  }

  public RunLog runs() {
    return runs;
  }

  public Checkpoints checkpoints() {
    return checkpoints;
  }

  public Locks locks() {
    return locks;
  }

  public LandedObjects landedObjects() {
    return landedObjects;
  }

  public StatusReport status() {
    return status;
  }

  public Publications publications() {
    return publications;
  }

  public Nights nights() {
    return nights;
  }

  /** Where this store lives, for messages (no credentials). */
  public String url() {
    return db.url();
  }

  @Override
  public void close() {
    db.close();
  }
}
