package com.treebo.dataplatform.transforms.clickstream;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.instr;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.when;

import com.treebo.dataplatform.transforms.Columns;
import com.treebo.dataplatform.transforms.Pii;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.expressions.Window;

/**
 * Segment spec records (the clickstream landing contract) to clean, typed web events.
 *
 * <p>{@link #parse} takes {@code object, position, landed_hour, raw} (one row per landed record)
 * and returns one row per record: the web-event columns below plus {@code quarantine_reason}
 * (null when the record is good) and {@code raw} (kept only for quarantined records, with personal
 * data redacted). {@link #valid} and {@link #quarantined} split that. {@link #dedupe} keeps one row
 * per {@code message_id}. All of these are narrow (no shuffle) except {@code dedupe}.
 *
 * <p>Web-event columns: {@code message_id, type, event, name, anonymous_id, user_id, event_time}
 * (device clock corrected: {@code receivedAt - (sentAt - timestamp)} when all three are present,
 * else {@code timestamp}, else {@code receivedAt}), {@code event_date} (Asia/Kolkata),
 * {@code original_timestamp, sent_at, received_at, platform} ({@code web} without
 * {@code context.app}, else {@code ios}/{@code android} from {@code context.os.name} or
 * {@code context.device.type}, else {@code unknown}), the tracking plan's properties typed
 * ({@code city, checkin, checkout, rooms, guests, hotel_code, room_type, price, amount, currency,
 * booking_code, revenue}), common context fields ({@code page_path, page_url, referrer, user_agent,
 * ip, locale, app_version, os_name, os_version, utm_source, utm_medium, utm_campaign}), the hashed
 * traits {@code email_hash, phone_hash, name_hash} ({@link Pii}), {@code traits} (JSON, personal keys
 * removed), {@code properties} and {@code context} (JSON, whole; {@code context.traits} removed),
 * and the lineage {@code object, position, landed_hour}.
 */
public final class Events {
  /** Columns {@link #parse} needs. */
  public static final List<String> RECORD_COLUMNS = List.of("object", "position", "landed_hour", "raw");

  /** Trait keys that hold personal data: never written in clear. */
  static final List<String> PERSONAL_TRAITS = List.of("email", "phone", "name", "firstname", "lastname",
      "first_name", "last_name", "address", "birthday");

  private static final String MONEY = "decimal(14,2)";

  private Events() {}

  /**
   * Parses and validates each record. A record is quarantined when it is not a JSON object, has no
   * {@code type}, {@code messageId} or {@code anonymousId}, has no or an unparseable
   * {@code receivedAt}, an unparseable {@code timestamp} or {@code sentAt}, or is a {@code track}
   * without {@code event}. Personal traits are hashed with {@code piiKey} here, before anything can
   * be cached or written. Each record is read once by a streaming parser ({@link SegmentRecords});
   * the typing of its fields is plain column expressions. Narrow: one output row per input row.
   */
  public static Dataset<Row> parse(Dataset<Row> records, byte[] piiKey, String countryCode) {
    Columns.require(records, "Events.parse", RECORD_COLUMNS);
    SparkSession spark = records.sparkSession();
    SegmentRecords.Settings settings = new SegmentRecords.Settings(new Pii.Hasher(piiKey, countryCode),
        spark.sessionState().conf().sessionLocalTimeZone());
    RDD<InternalRow> flat = records.select(col("object"), col("position"), col("landed_hour"), col("raw").cast("string"))
        .queryExecution().toRdd().toJavaRDD()
        .mapPartitions(new Parser(settings)).rdd();
    Dataset<Row> f = spark.internalCreateDataFrame(flat, SegmentRecords.FLAT, false);
    return f.select(
        col("message_id"),
        col("type"),
        col("event"),
        col("name"),
        col("anonymous_id"),
        col("user_id"),
        micros("event_time_us").as("event_time"),
        TimeZones.kolkataDate(micros("event_time_us")).as("event_date"),
        micros("timestamp_us").as("original_timestamp"),
        micros("sent_at_us").as("sent_at"),
        micros("received_at_us").as("received_at"),
        platform().as("platform"),
        col("city"),
        typed("checkin", "date").as("checkin"),
        typed("checkout", "date").as("checkout"),
        typed("rooms", "int").as("rooms"),
        typed("guests", "int").as("guests"),
        col("hotel_code"),
        col("room_type"),
        typed("price", MONEY).as("price"),
        typed("amount", MONEY).as("amount"),
        col("currency"),
        col("booking_code"),
        typed("revenue", MONEY).as("revenue"),
        col("page_path"),
        col("page_url"),
        col("referrer"),
        col("user_agent"),
        col("ip"),
        col("locale"),
        col("app_version"),
        col("os_name"),
        col("os_version"),
        col("utm_source"),
        col("utm_medium"),
        col("utm_campaign"),
        col("email_hash"),
        col("phone_hash"),
        col("name_hash"),
        col("traits"),
        col("properties"),
        col("context"),
        col("object"),
        col("position"),
        col("landed_hour"),
        col("quarantine_reason"),
        when(col("quarantine_reason").isNotNull(), redact(col("raw"))).as("raw"));
  }

  /** The partition function of {@link #parse}: one {@link SegmentRecords} per partition. */
  private static final class Parser implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
    private static final long serialVersionUID = 1L;
    private final SegmentRecords.Settings settings;

    Parser(SegmentRecords.Settings settings) {
      this.settings = settings;
    }

    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
      return new SegmentRecords(rows, settings);
    }
  }

  /** The good records of {@link #parse}, as web-event columns (no {@code raw}, no reason). */
  public static Dataset<Row> valid(Dataset<Row> parsed) {
    Columns.require(parsed, "Events.valid", List.of("quarantine_reason", "raw"));
    return parsed.where(col("quarantine_reason").isNull()).drop("quarantine_reason", "raw");
  }

  /** The quarantined records of {@link #parse}: {@code object, position, landed_hour, raw, reason}. */
  public static Dataset<Row> quarantined(Dataset<Row> parsed) {
    Columns.require(parsed, "Events.quarantined", List.of("object", "position", "landed_hour", "raw", "quarantine_reason"));
    return parsed.where(col("quarantine_reason").isNotNull())
        .select(col("object"), col("position"), col("landed_hour"), col("raw"), col("quarantine_reason").as("reason"));
  }

  /**
   * One row per {@code message_id}: the copy Segment received first ({@code received_at}), ties
   * broken by {@code object} then {@code position}, so the choice is the same on every rerun. That
   * is {@link #dropCopies} of {@link #laterCopies}; a job that reads its events twice takes the two
   * apart so as to shuffle only the narrow columns.
   */
  public static Dataset<Row> dedupe(Dataset<Row> events) {
    return dropCopies(events, laterCopies(events), false);
  }

  /**
   * The later copies of each event among good {@code events} ({@link #valid} of {@link #parse}, or
   * a projection with {@code message_id, received_at, object, position}): {@code object,
   * position} of every record but the first received of its {@code message_id}. Shuffles only
   * those narrow columns, by {@code message_id}; the result is as small as the duplicates are few.
   */
  public static Dataset<Row> laterCopies(Dataset<Row> events) {
    Columns.require(events, "Events.laterCopies", List.of("message_id", "received_at", "object", "position"));
    return events.select("message_id", "received_at", "object", "position")
        .withColumn("_copy", row_number().over(Window.partitionBy("message_id").orderBy("received_at", "object", "position")))
        .where(col("_copy").gt(1))
        .select("object", "position");
  }

  /**
   * {@code events} without the records listed in {@code copies} ({@link #laterCopies}): one row per
   * {@code message_id} when both come from the same records. An anti-join on {@code object,
   * position}: with {@code broadcast}, {@code copies} is sent to every task and the events are
   * filtered where they are read, never shuffled (for copies that fit in memory); without, Spark
   * plans the join (a shuffle of both sides when {@code copies} is large).
   */
  public static Dataset<Row> dropCopies(Dataset<Row> events, Dataset<Row> copies, boolean broadcast) {
    Columns.require(events, "Events.dropCopies", List.of("object", "position"));
    Columns.require(copies, "Events.dropCopies", List.of("object", "position"));
    return events.join(broadcast ? broadcast(copies) : copies, new String[] {"object", "position"}, "left_anti");
  }

  private static Column platform() {
    Column os = lower(col("os_name"));
    Column device = lower(col("device_type"));
    return when(col("app").isNull().or(col("app").equalTo(false)), lit("web"))
        .when(os.isin("ios", "ipados").or(device.equalTo("ios")), lit("ios"))
        .when(os.equalTo("android").or(device.equalTo("android")), lit("android"))
        .otherwise(lit("unknown"));
  }

  private static Column micros(String column) {
    return timestamp_micros(col(column));
  }

  private static Column typed(String field, String type) {
    return col(field).cast(type);
  }

  /** Quarantined raw text with the values of personal keys replaced, so no clear text reaches the lake. */
  private static Column redact(Column raw) {
    String value = "\"\\s*:\\s*\"(?:[^\"\\\\]|\\\\.)*\"?";
    Column always = regexp_replace(raw, "(?i)\"(email|phone|firstname|lastname|first_name|last_name|address|birthday)" + value,
        "\"$1\":\"<redacted>\"");
    Column at = instr(always, "\"traits\"");
    Column traitName = regexp_replace(always.substr(at, length(always)), "\"name" + value, "\"name\":\"<redacted>\"");
    return when(at.equalTo(0), always).otherwise(concat(always.substr(lit(1), at.minus(1)), traitName));
  }
}
