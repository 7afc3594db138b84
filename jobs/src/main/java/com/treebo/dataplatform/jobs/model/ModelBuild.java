package com.treebo.dataplatform.jobs.model;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.treebo.dataplatform.jobs.runtime.SideBySide;
import com.treebo.dataplatform.jobs.stage.StageRun;
import com.treebo.dataplatform.model.Changes;
import com.treebo.dataplatform.model.DimDate;
import com.treebo.dataplatform.model.DimHotel;
import com.treebo.dataplatform.model.DimHotelRoomType;
import com.treebo.dataplatform.model.FactBooking;
import com.treebo.dataplatform.model.FactPayment;
import com.treebo.dataplatform.model.FactRoomNight;
import com.treebo.dataplatform.model.FactWebSession;
import com.treebo.dataplatform.model.TypeOne;
import com.treebo.dataplatform.model.Versions;
import com.treebo.dataplatform.transforms.clickstream.TimeZones;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What one build changes in the model, computed before anything is written: per table, either its
 * first contents (the table does not exist yet) or its changes ({@link Changes#of}: upserts and
 * deletes against what is stored) for the part of it the inputs' changes reach. A first build or a
 * rebuild ({@code full}) reaches every row; a nightly build reaches only:
 * <ul>
 *   <li>history: the raw slices extracted since the last build (new versions of hotels, cities, room
 *       counts); small dimensions are recomputed whole from it;</li>
 *   <li>guests: those changed, and those new bookings refer to;</li>
 *   <li>room nights: stays changed or deleted, stays of bookings changed, stays of hotels whose
 *       version lookup changed (from the date it changed);</li>
 *   <li>bookings and payments likewise; web sessions of the session dates the clickstream rewrote
 *       (and a day either side), of orders whose booking changed, and of hotels whose lookup changed.</li>
 * </ul>
 * Change sets are computed once and kept, cut from their plans (they feed the gates, the counts and
 * the write). A nightly build
 * ({@code full} false) may assume every model table exists: the stage builds fully otherwise.
 */
final class ModelBuild {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ModelBuild.class);
  /** The contract's source tables the booking side of the model reads. */
  static final List<String> LAKE_INPUTS = List.of("crs_booking", "crs_room_stay", "billing_payment", "crm_guest", "catalog_hotel",
      "catalog_city", "catalog_room_type", "catalog_hotel_room_type");
  static final String SESSIONS = "web_sessions";
  /** The largest id set joined by broadcast (about 40 MB of keys on every executor); larger sets are shuffled. */
  static final long BROADCAST_IDS = 5_000_000;
  private static final List<String> ROOM_NIGHT_STATS = List.of("room_stay_id", "stay_date", "date_key", "hotel_key");
  private static final List<String> BOOKING_STATS = List.of("booking_id", "created_date_key", "checkin_date_key", "hotel_key");
  private static final List<String> PAYMENT_STATS = List.of("payment_id", "date_key", "hotel_key");

  /** One table's planned write. */
  record Planned(String table, List<String> key, Dataset<Row> rows, boolean create, List<String> stats, String prune) {}

  private final SparkSession spark;
  private final ModelTables dw;
  private final Map<String, ModelInput> in;
  private final boolean full;
  private final int maxStayNights;
  private final int yearsAhead;
  private final LocalDate today;
  private final StageRun run;
  private final int parallel;
  // Tables are planned side by side (parallel threads): what they share is synchronized.
  private final List<Planned> plans = java.util.Collections.synchronizedList(new ArrayList<>());
  private final List<Dataset<Row>> persisted = java.util.Collections.synchronizedList(new ArrayList<>());
  private final List<String> notes = java.util.Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Dataset<Row>> deltas = new java.util.HashMap<>();
  /** Sizes of the id sets {@link #keepIds} kept, by identity. */
  private final Map<Dataset<Row>, Long> idCounts = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());
  private Dataset<Row> dimHotel;
  /** Hotels whose version lookup changed since the last build, and from which date ({@link DimHotel#lookupChanges}). */
  private Optional<Dataset<Row>> lookupChanges = Optional.empty();

  ModelBuild(SparkSession spark, ModelTables dw, Map<String, ModelInput> inputs, boolean full, int maxStayNights, int yearsAhead,
      LocalDate today, StageRun run, int parallel) {
    this.spark = spark;
    this.dw = dw;
    this.in = inputs;
    this.full = full;
    this.maxStayNights = maxStayNights;
    this.yearsAhead = yearsAhead;
    this.today = today;
    this.run = run;
    this.parallel = parallel;
  }

  List<Planned> plans() {
    return plans;
  }

  /** What the build could not build, and why (a missing input). */
  List<String> notes() {
    return notes;
  }

  /**
   * Plans every table; nothing is written. What every table needs (the inputs' changes, the
   * histories, dim_hotel) is planned first; then the tables are planned up to {@code parallel} at a
   * time, and the plans put in {@link #WRITE_ORDER}.
   */
  void plan(Dataset<Row> holidays, Dataset<Row> statuses) {
    List<String> missing = LAKE_INPUTS.stream().filter(n -> !in.get(n).exists()).toList();
    List<Callable<Void>> tables = new ArrayList<>();
    if (missing.isEmpty()) {
      planBookingSide(statuses, tables);
    } else {
      notes.add("dimensions and booking facts not built: " + missing.stream().map(n -> in.get(n).qualified()).toList()
          + " not in the lake yet (run the extract)");
      dimHotel = dw.exists("dim_hotel") ? dw.read("dim_hotel") : emptyHotels();
    }
    if (in.get(SESSIONS).exists()) {
      tables.add(task(this::planWebSessions));
    } else {
      notes.add("fact_web_session not built: " + in.get(SESSIONS).qualified() + " not in the lake yet (run the clickstream)");
    }
    tables.add(task(() -> planCalendar(holidays)));
    SideBySide.run(spark, parallel, tables);
    synchronized (plans) {
      plans.sort(java.util.Comparator.comparingInt(p -> WRITE_ORDER.indexOf(p.table())));
    }
  }

  /** The order the plans are written and reported in: history, dimensions, facts, quarantine, calendar. */
  static final List<String> WRITE_ORDER = List.of("hist_catalog_hotel", "hist_catalog_city", "hist_catalog_hotel_room_type",
      "dim_hotel", "dim_hotel_room_type", "dim_room_type", "dim_channel", "dim_booking_status", "dim_guest", "fact_room_night",
      "model_quarantine", "fact_booking", "fact_payment", "fact_web_session", "dim_date");

  private static Callable<Void> task(Runnable r) {
    return () -> {
      r.run();
      return null;
    };
  }

  /** Unpersists what the plan cached. */
  void release() {
    persisted.forEach(Dataset::unpersist);
  }

  // --- the booking side -----------------------------------------------------------------------------

  /** Plans the history and dim_hotel now; adds the other booking-side tables to {@code tables}, to plan side by side. */
  private void planBookingSide(Dataset<Row> statuses, List<Callable<Void>> tables) {
    run.describe("plan the dimensions");
    Dataset<Row> bookings = live("crs_booking");
    Dataset<Row> stays = live("crs_room_stay");
    Dataset<Row> payments = live("billing_payment");
    // What changed since the last build (a nightly build only: a full one reads everything).
    Dataset<Row> changedBookings = full ? null : changed("crs_booking");
    Dataset<Row> changedStays = full ? null : changed("crs_room_stay");
    boolean bookingsChanged = full || !changedBookings.isEmpty();
    boolean staysChanged = full || !changedStays.isEmpty();

    List<Dataset<Row>> histories = SideBySide.run(spark, parallel, List.of(
        () -> history("hist_catalog_hotel", "catalog_hotel", List.of("hotel_id"), DimHotel.HOTEL_TRACKED),
        () -> history("hist_catalog_city", "catalog_city", List.of("city_id"), DimHotel.CITY_TRACKED),
        () -> history("hist_catalog_hotel_room_type", "catalog_hotel_room_type", List.of("hotel_id", "room_type_id"),
            DimHotelRoomType.TRACKED)));
    Dataset<Row> hotels = histories.get(0);
    Dataset<Row> cities = histories.get(1);
    Dataset<Row> roomCounts = histories.get(2);

    // A small dimension is recomputed whole, but only when something it is built from changed.
    if (full || bookingsChanged || ran("catalog_hotel") || ran("catalog_city")) {
      Dataset<Row> referencedHotels = full ? bookings.select("hotel_id")
          : storedInferred("dim_hotel", "hotel_id").unionByName(changedBookings.select("hotel_id"));
      dimHotel = keep(DimHotel.build(hotels, cities, in.get("catalog_hotel").current(spark), referencedHotels));
      lookupChanges = full ? Optional.empty() : Optional.of(keep(DimHotel.lookupChanges(dw.read("dim_hotel"), dimHotel)));
      planWhole("dim_hotel", List.of("hotel_key"), dimHotel, List.of("hotel_key", "hotel_id"));
    } else {
      dimHotel = keep(dw.read("dim_hotel"));
    }
    if (full || ran("catalog_hotel_room_type")) {
      tables.add(task(() -> planWhole("dim_hotel_room_type", List.of("hotel_room_type_key"),
          DimHotelRoomType.build(roomCounts, in.get("catalog_hotel_room_type").current(spark)),
          List.of("hotel_room_type_key", "hotel_id"))));
    }
    if (full || staysChanged || ran("catalog_room_type")) {
      tables.add(task(() -> {
        Dataset<Row> referencedRoomTypes = full ? stays.select("room_type_id")
            : storedInferred("dim_room_type", "room_type_id").unionByName(changedStays.select("room_type_id"));
        planWhole("dim_room_type", List.of("room_type_key"), TypeOne.roomTypes(in.get("catalog_room_type").current(spark),
            referencedRoomTypes), List.of("room_type_key"));
      }));
    }
    if (bookingsChanged) {
      tables.add(task(() -> {
        planWhole("dim_channel", List.of("channel_key"), TypeOne.channels(full ? bookings
            : stored("dim_channel", "channel").unionByName(changedBookings.select("channel"))), List.of("channel_key"));
        planWhole("dim_booking_status", List.of("booking_status_key"), TypeOne.bookingStatuses(statuses, full ? bookings
            : stored("dim_booking_status", "status").unionByName(changedBookings.select("status"))), List.of("booking_status_key"));
      }));
    }
    tables.add(task(() -> {
      boolean sessionsChanged = in.get(SESSIONS).exists() && (full || !changed(SESSIONS).isEmpty());
      if (full || bookingsChanged || !changed("crm_guest").isEmpty() || sessionsChanged) {
        planGuests(changedBookings, bookings);
      }
    }));

    if (full) {
      tables.add(task(() -> {
        planFact("fact_room_night", FactRoomNight.GRAIN, FactRoomNight.build(stays, bookings, dimHotel, maxStayNights), null, "",
            ROOM_NIGHT_STATS);
        planQuarantine(FactRoomNight.unplaceable(stays, maxStayNights), null);
      }));
      tables.add(task(() -> {
        Dataset<Row> rooms = stays.groupBy("booking_id").count().withColumnRenamed("count", "rooms");
        planFact("fact_booking", FactBooking.GRAIN, FactBooking.build(bookings, rooms, confirmations(null), dimHotel), null, "",
            BOOKING_STATS);
      }));
      tables.add(task(() -> planFact("fact_payment", FactPayment.GRAIN, FactPayment.build(payments, bookings, dimHotel), null, "",
          PAYMENT_STATS)));
      return;
    }
    // Bookings whose hotel lookup changed from some date on: their rows dated from then on.
    Optional<Dataset<Row>> rekeyed = lookupChanges.map(c -> bookings.select("booking_id", "hotel_id", "checkin_date", "checkout_date")
        .join(broadcast(c), "hotel_id"));
    Dataset<Row> changedBookingIds = changedBookings.select("booking_id");
    Dataset<Row> changedBookingScope = keepIds(changedBookingIds, "booking_id");
    tables.add(task(() -> planRoomNights(stays, bookings, changedStays, changedBookingScope, rekeyed)));
    tables.add(task(() -> planBookings(stays, bookings, changedStays, changedBookingIds, rekeyed)));
    tables.add(task(() -> planPayments(payments, bookings, changedBookingScope, rekeyed)));
  }

  /** A nightly build's fact_room_night (and quarantine): the stays changed, of bookings changed, or of hotels re-keyed. */
  private void planRoomNights(Dataset<Row> stays, Dataset<Row> bookings, Dataset<Row> changedStays, Dataset<Row> changedBookingScope,
      Optional<Dataset<Row>> rekeyed) {
    run.describe("plan fact_room_night");
    Dataset<Row> stayIds = changedStays.select("room_stay_id")
        .unionByName(within(stays, changedBookingScope, "booking_id").select("room_stay_id"));
    if (rekeyed.isPresent()) {
      stayIds = stayIds.unionByName(stays.join(rekeyed.get().where(col("checkout_date").gt(col("since"))).select("booking_id"),
          "booking_id").select("room_stay_id"));
    }
    Dataset<Row> stayScope = keepIds(stayIds, "room_stay_id");
    Dataset<Row> scopeStays = keep(within(stays, stayScope, "room_stay_id"));
    planFact("fact_room_night", FactRoomNight.GRAIN, FactRoomNight.build(scopeStays,
        within(bookings, keepIds(scopeStays.select("booking_id"), "booking_id"), "booking_id"), dimHotel, maxStayNights),
        stayScope, "room_stay_id", ROOM_NIGHT_STATS);
    planQuarantine(FactRoomNight.unplaceable(scopeStays, maxStayNights), stayScope);
  }

  /** A nightly build's fact_booking: the bookings changed, whose stays changed, or of hotels re-keyed. */
  private void planBookings(Dataset<Row> stays, Dataset<Row> bookings, Dataset<Row> changedStays, Dataset<Row> changedBookingIds,
      Optional<Dataset<Row>> rekeyed) {
    run.describe("plan fact_booking");
    Dataset<Row> bookingIds = changedBookingIds.unionByName(changedStays.select("booking_id"));
    if (rekeyed.isPresent()) {
      bookingIds = bookingIds.unionByName(rekeyed.get().where(col("checkin_date").geq(col("since"))).select("booking_id"));
    }
    Dataset<Row> bookingScope = keepIds(bookingIds, "booking_id");
    Dataset<Row> rooms = within(stays, bookingScope, "booking_id").groupBy("booking_id").count()
        .withColumnRenamed("count", "rooms");
    planFact("fact_booking", FactBooking.GRAIN, FactBooking.build(within(bookings, bookingScope, "booking_id"), rooms,
        confirmations(bookingScope), dimHotel), bookingScope, "booking_id", BOOKING_STATS);
  }

  /** A nightly build's fact_payment: the payments changed, of bookings changed, or of hotels re-keyed. */
  private void planPayments(Dataset<Row> payments, Dataset<Row> bookings, Dataset<Row> changedBookingScope,
      Optional<Dataset<Row>> rekeyed) {
    run.describe("plan fact_payment");
    Dataset<Row> changedPayments = changed("billing_payment");
    Dataset<Row> paymentIds = changedPayments.select("payment_id")
        .unionByName(within(payments, changedBookingScope, "booking_id").select("payment_id"));
    if (rekeyed.isPresent()) {
      paymentIds = paymentIds.unionByName(payments.join(rekeyed.get().select("booking_id"), "booking_id").select("payment_id"));
    }
    Dataset<Row> paymentScope = keepIds(paymentIds, "payment_id");
    Dataset<Row> scopePayments = keep(within(payments, paymentScope, "payment_id"));
    planFact("fact_payment", FactPayment.GRAIN, FactPayment.build(scopePayments,
        within(bookings, keepIds(scopePayments.select("booking_id"), "booking_id"), "booking_id"), dimHotel), paymentScope, "payment_id",
        PAYMENT_STATS);
  }

  /**
   * When each booking in scope was first seen confirmed: from the raw slices of the runs since the
   * last build, and from what the stored facts already hold (the earliest wins, so night by night
   * equals all at once).
   */
  private Dataset<Row> confirmations(Dataset<Row> scope) {
    Dataset<Row> raw = in.get("crs_booking").raw(spark, List.of("booking_id", "status", "updated_at"))
        .orElse(spark.createDataFrame(List.of(), in.get("crs_booking").current(spark).select("booking_id", "status", "updated_at")
            .schema()));
    Dataset<Row> fresh = FactBooking.confirmedAt(scope == null ? raw : raw.join(scope, "booking_id", "left_semi"));
    if (full) {
      return fresh;
    }
    Dataset<Row> known = within(dw.read("fact_booking"), scope, "booking_id").where(col("confirmed_at").isNotNull())
        .select("booking_id", "confirmed_at");
    return fresh.unionByName(known).groupBy("booking_id").agg(org.apache.spark.sql.functions.min("confirmed_at").as("confirmed_at"));
  }

  /**
   * dim_guest: the guests of crm.guest, and an inferred member for every guest a booking or a web
   * session (its stitched {@code userId}) names that the lake does not hold yet; the real row fills
   * it in under the same key when it arrives.
   */
  private void planGuests(Dataset<Row> changedBookings, Dataset<Row> bookings) {
    Dataset<Row> guests = in.get("crm_guest").current(spark);
    if (full) {
      planWhole("dim_guest", List.of("guest_key"), TypeOne.guests(guests, withWebGuests(bookings.select("guest_id"), false)),
          List.of("guest_key", "guest_id"));
      return;
    }
    Dataset<Row> referenced = withWebGuests(changedBookings.select("guest_id"), true);
    Dataset<Row> ids = keepIds(changed("crm_guest").select("guest_id").unionByName(referenced), "guest_id");
    Dataset<Row> recomputed = TypeOne.guests(within(guests, ids, "guest_id"), referenced);
    Dataset<Row> stored = within(dw.read("dim_guest"), ids, "guest_id")
        .unionByName(dw.read("dim_guest").where(col("guest_key").equalTo(lit(-1L))));
    plans.add(new Planned("dim_guest", List.of("guest_key"), keep(Changes.of(recomputed, stored, List.of("guest_key"))), false,
        List.of("guest_key", "guest_id"), ""));
  }

  /** {@code guestIds} and the guest ids the web sessions (all, or those changed since the last build) are stitched to. */
  private Dataset<Row> withWebGuests(Dataset<Row> guestIds, boolean changedOnly) {
    if (!in.get(SESSIONS).exists()) {
      return guestIds;
    }
    Dataset<Row> sessions = changedOnly ? changed(SESSIONS) : in.get(SESSIONS).current(spark);
    Dataset<Row> web = sessions.select(col("guest_id").cast(guestIds.schema().apply("guest_id").dataType()).as("guest_id"))
        .where(col("guest_id").isNotNull());
    return guestIds.unionByName(web);
  }

  // --- web sessions -------------------------------------------------------------------------------

  private void planWebSessions() {
    run.describe("plan fact_web_session");
    Dataset<Row> sessions = in.get(SESSIONS).current(spark);
    if (sessions.columns().length > 0 && java.util.Arrays.asList(sessions.columns()).contains("_seen_at")) {
      sessions = sessions.drop("_seen_at");
    }
    Dataset<Row> bookings = in.get("crs_booking").exists()
        ? in.get("crs_booking").current(spark).where(col("_deleted").equalTo(false)).select("booking_code", "booking_id")
        : spark.sql("SELECT CAST(NULL AS STRING) AS booking_code, CAST(NULL AS BIGINT) AS booking_id").where(lit(false));
    if (full) {
      planFact("fact_web_session", FactWebSession.GRAIN, FactWebSession.build(sessions, bookings, dimHotel), null, "",
          List.of("session_id", "date_key", "hotel_key"));
      return;
    }
    // The session dates the clickstream rewrote since the last build, and a day either side (a
    // session removed there was merged into one starting the day before or after).
    TreeSet<LocalDate> dates = new TreeSet<>();
    changed(SESSIONS).select("session_date").distinct().collectAsList().forEach(r -> {
      LocalDate d = r.getDate(0).toLocalDate();
      dates.add(d.minusDays(1));
      dates.add(d);
      dates.add(d.plusDays(1));
    });
    Column onDates = dates.isEmpty() ? lit(false)
        : col("session_date").isin(dates.stream().map(java.sql.Date::valueOf).toArray());
    Dataset<Row> ids = sessions.where(onDates).select("session_id");
    if (in.get("crs_booking").exists()) {
      // Orders whose booking reached the lake (or changed) since: linked now.
      ids = ids.unionByName(sessions.join(changed("crs_booking").select("booking_code"), "booking_code").select("session_id"));
    }
    if (lookupChanges.isPresent()) {
      Dataset<Row> since = lookupChanges.get()
          .join(dimHotel.where(col("hotel_code").isNotNull()).select("hotel_id", "hotel_code").distinct(), "hotel_id");
      ids = ids.unionByName(sessions.join(broadcast(since), "hotel_code").where(col("session_date").geq(col("since")))
          .select("session_id"));
    }
    Dataset<Row> scope = keepIds(ids, "session_id");
    Dataset<Row> recomputed = FactWebSession.build(within(sessions, scope, "session_id"), bookings, dimHotel);
    Dataset<Row> stored = dw.read("fact_web_session").where(onDates)
        .unionByName(within(dw.read("fact_web_session"), scope, "session_id")).distinct();
    plans.add(new Planned("fact_web_session", FactWebSession.GRAIN, keep(Changes.of(recomputed, stored, FactWebSession.GRAIN)),
        false, List.of("session_id", "date_key", "hotel_key"), ""));
  }

  // --- the calendar -------------------------------------------------------------------------------

  /** dim_date over every date the inputs hold (those changed, for a nightly build), and the years ahead. */
  private void planCalendar(Dataset<Row> holidays) {
    List<Column> dates = new ArrayList<>();
    List<Dataset<Row>> sources = new ArrayList<>();
    if (LAKE_INPUTS.stream().allMatch(n -> in.get(n).exists())) {
      sources.add(source("crs_booking").select(TimeZones.kolkataDate(col("created_at")).as("d"), col("checkin_date").as("d2"),
          col("checkout_date").as("d3")));
      sources.add(source("billing_payment").select(TimeZones.kolkataDate(col("paid_at")).as("d"), lit(null).cast("date").as("d2"),
          lit(null).cast("date").as("d3")));
      sources.add(source("crs_room_stay").select(col("checkin_date").as("d"), col("checkout_date").as("d2"),
          lit(null).cast("date").as("d3")));
      // A hotel's daily report starts at its opening date.
      sources.add(source("catalog_hotel").select(col("opened_on").as("d"), lit(null).cast("date").as("d2"),
          lit(null).cast("date").as("d3")));
    }
    if (in.get(SESSIONS).exists()) {
      sources.add(source(SESSIONS).select(col("session_date").as("d"), lit(null).cast("date").as("d2"), lit(null).cast("date").as("d3")));
    }
    LocalDate from = today;
    LocalDate to = today;
    for (Dataset<Row> s : sources) {
      Row r = s.select(org.apache.spark.sql.functions.least(col("d"), col("d2"), col("d3")).as("lo"),
          org.apache.spark.sql.functions.greatest(col("d"), col("d2"), col("d3")).as("hi"))
          .agg(org.apache.spark.sql.functions.min("lo"), org.apache.spark.sql.functions.max("hi")).first();
      if (!r.isNullAt(0)) {
        from = min(from, r.getDate(0).toLocalDate());
        to = max(to, r.getDate(1).toLocalDate());
      }
    }
    from = LocalDate.of(from.getYear(), 1, 1);
    to = LocalDate.of(to.getYear() + yearsAhead, 12, 31);
    if (!full) {
      Row stored = dw.read("dim_date").where(col("date_key").gt(0)).agg(org.apache.spark.sql.functions.min("date"),
          org.apache.spark.sql.functions.max("date")).first();
      if (!stored.isNullAt(0)) {
        LocalDate storedFrom = stored.getDate(0).toLocalDate();
        LocalDate storedTo = stored.getDate(1).toLocalDate();
        if (!from.isBefore(storedFrom) && !to.isAfter(storedTo)) {
          return; // the stored calendar covers every date: nothing to change
        }
        from = min(from, storedFrom);
        to = max(to, storedTo);
      }
    }
    planWhole("dim_date", List.of("date_key"), DimDate.build(holidays, from, to), List.of("date_key", "date"));
  }

  private static LocalDate min(LocalDate a, LocalDate b) {
    return a.isBefore(b) ? a : b;
  }

  private static LocalDate max(LocalDate a, LocalDate b) {
    return a.isAfter(b) ? a : b;
  }

  // --- plumbing -----------------------------------------------------------------------------------

  /** The rows of an input a build looks at: all for a full build, those changed since the last build else. */
  private Dataset<Row> source(String input) {
    return full ? in.get(input).current(spark) : changed(input);
  }

  /** Whether any run of {@code input} succeeded since the last build. */
  private boolean ran(String input) {
    return !in.get(input).runs().isEmpty();
  }

  /** Live rows (not deleted at the source) of a lake input, as of the build's pinned version. */
  private Dataset<Row> live(String input) {
    return in.get(input).current(spark).where(col("_deleted").equalTo(false));
  }

  /**
   * Rows of a lake input changed since the last build (deleted ones too), read once (a filtered
   * scan pruned by the {@code _seen_at} statistics) and kept: every scope below starts from them.
   */
  private Dataset<Row> changed(String input) {
    synchronized (deltas) {
      return deltas.computeIfAbsent(input, i -> keep(in.get(i).changed(spark)));
    }
  }

  /**
   * Type 2 history of a source table: its stored versions and the raw-zone observations since the
   * last build, collapsed ({@link Versions#collapse}); a full build collapses the whole raw zone.
   */
  private Dataset<Row> history(String table, String input, List<String> keys, List<String> tracked) {
    if (!full && in.get(input).runs().isEmpty()) {
      // Nothing extracted since the last build: the stored history is the history (read once, kept).
      return keep(dw.read(table));
    }
    List<String> columns = new ArrayList<>(keys);
    columns.addAll(tracked);
    columns.add("_seen_at");
    Dataset<Row> current = in.get(input).current(spark);
    Dataset<Row> observed = in.get(input).raw(spark, columns)
        .orElse(spark.createDataFrame(List.of(), current.select(columns.stream().map(org.apache.spark.sql.functions::col)
            .toArray(Column[]::new)).schema()));
    observed = alignTypes(observed, current, columns);
    if (!full) {
      List<Column> asObserved = new ArrayList<>();
      keys.forEach(k -> asObserved.add(col(k)));
      tracked.forEach(t -> asObserved.add(col(t)));
      asObserved.add(col("valid_from").as("_seen_at"));
      observed = observed.unionByName(dw.read(table).select(asObserved.toArray(Column[]::new)));
    }
    Dataset<Row> versions = keep(Versions.collapse(observed, keys, tracked, "_seen_at"));
    List<String> key = new ArrayList<>(keys);
    key.add("version");
    planWhole(table, key, versions, keys);
    return versions;
  }

  /** {@code rows}' columns cast to the types {@code like} (the lake table) has now: raw slices may predate a widening. */
  private static Dataset<Row> alignTypes(Dataset<Row> rows, Dataset<Row> like, List<String> columns) {
    return rows.select(columns.stream().map(c -> col(c).cast(like.schema().apply(c).dataType()).as(c)).toArray(Column[]::new));
  }

  /** Plans a table recomputed whole: created, or changed where it differs from what is stored. */
  private void planWhole(String table, List<String> key, Dataset<Row> recomputed, List<String> stats) {
    LOG.info("{}: planning {}", run.unit(), table);
    if (!dw.exists(table)) {
      // A first build (every table is created) or a full rebuild of a lost table.
      plans.add(new Planned(table, key, recomputed, true, stats, ""));
    } else {
      plans.add(new Planned(table, key, keep(Changes.of(recomputed, dw.read(table), key)), false, stats, ""));
    }
  }

  /**
   * Plans a fact: created whole when it does not exist; else its changes within {@code scope} (ids
   * in {@code idColumn}; null: every row, a rebuild).
   */
  private void planFact(String table, List<String> key, Dataset<Row> recomputed, Dataset<Row> scope, String idColumn,
      List<String> stats) {
    LOG.info("{}: planning {}", run.unit(), table);
    if (!dw.exists(table)) {
      plans.add(new Planned(table, key, recomputed, true, stats, ""));
      return;
    }
    Dataset<Row> stored = scope == null ? dw.read(table) : within(dw.read(table), scope, idColumn);
    plans.add(new Planned(table, key, keep(Changes.of(recomputed, stored, key)), false, stats, ""));
  }

  /** Stays that cannot be placed as room nights, in {@code <dw>.model_quarantine}. */
  private void planQuarantine(Dataset<Row> unplaceable, Dataset<Row> stayScope) {
    Dataset<Row> rows = unplaceable.select(lit("crs.room_stay").as("source_table"), col("room_stay_id").cast("string").as("source_key"),
        col("reason"), lit(run.runId()).as("run_id"));
    if (!dw.exists("model_quarantine")) {
      // Created by the first build (empty when every stay can be placed).
      plans.add(new Planned("model_quarantine", List.of("source_table", "source_key"), rows, true, List.of("source_table", "source_key"),
          ""));
      return;
    }
    Dataset<Row> stored = dw.read("model_quarantine").where(col("source_table").equalTo("crs.room_stay"));
    if (stayScope != null) {
      stored = stored.join(stayScope.select(col("room_stay_id").cast("string").as("source_key")), "source_key", "left_semi");
    }
    // The run id is not compared: a row quarantined again for the same reason is unchanged.
    Dataset<Row> changes = Changes.of(rows.drop("run_id"), stored.drop("run_id"), List.of("source_table", "source_key"))
        .withColumn("run_id", lit(run.runId()));
    plans.add(new Planned("model_quarantine", List.of("source_table", "source_key"), keep(changes), false,
        List.of("source_table", "source_key"), ""));
  }

  /** Natural keys of a stored type 1 dimension's inferred members (empty when it does not exist). */
  private Dataset<Row> storedInferred(String table, String naturalKey) {
    Dataset<Row> t = dw.read(table);
    return t.where(col("is_inferred").equalTo(true)).select(naturalKey);
  }

  private Dataset<Row> stored(String table, String column) {
    return dw.read(table).where(col(column).isNotNull()).select(column);
  }

  private Dataset<Row> keepIds(Dataset<Row> ids, String column) {
    Dataset<Row> kept = keep(ids.select(column).where(col(column).isNotNull()).distinct());
    idCounts.put(kept, kept.count());
    return kept;
  }

  /**
   * The rows of {@code rows} (a whole table) whose {@code column} is in {@code ids} (a set
   * {@link #keepIds} kept). A night's id set is small: it is broadcast, so the table is scanned
   * once and never shuffled; a set beyond {@link #BROADCAST_IDS} (a night catching up on a long
   * outage) is joined by a shuffle instead, never collected whole to the driver.
   */
  private Dataset<Row> within(Dataset<Row> rows, Dataset<Row> ids, String column) {
    Long n = idCounts.get(ids);
    Dataset<Row> side = n != null && n <= BROADCAST_IDS ? broadcast(ids) : ids;
    return rows.join(side, new String[] {column}, "left_semi");
  }

  /**
   * Computes {@code rows} now and keeps them (memory, spilling to disk), cut from their plan: a
   * plain persist would be recomputed when a later write of this build refreshes a table its plan
   * reads (Delta recaches every plan over a table it writes), and a change set recomputed against
   * the table it was just written to is empty.
   */
  private Dataset<Row> keep(Dataset<Row> rows) {
    long t = System.nanoTime();
    Dataset<Row> p = rows.localCheckpoint(true);
    LOG.debug("kept {} in {} ms", p.schema().simpleString().substring(0, Math.min(60, p.schema().simpleString().length())), (System.nanoTime() - t) / 1_000_000);
    persisted.add(p);
    return p;
  }

  private Dataset<Row> emptyHotels() {
    return spark.sql("SELECT CAST(-1 AS BIGINT) AS hotel_key, CAST(NULL AS INT) AS hotel_id, CAST(NULL AS STRING) AS hotel_code,"
        + " DATE'1900-01-01' AS effective_from, DATE'9999-12-31' AS effective_to");
  }

  /** The hotel dimension as this build computed it (for the web facts and the status). */
  Dataset<Row> dimHotel() {
    return dimHotel;
  }
}
