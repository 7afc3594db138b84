package com.treebo.dataplatform.transforms.clickstream;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.instr;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.map_filter;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import com.treebo.dataplatform.transforms.Columns;
import com.treebo.dataplatform.transforms.Pii;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

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

  private static final StructType RECORD = strings("type", "event", "name", "messageId", "anonymousId", "userId",
      "timestamp", "sentAt", "receivedAt", "properties", "traits", "context").add("_corrupt_record", DataTypes.StringType);
  private static final StructType PLAN = strings("city", "checkin", "checkout", "rooms", "guests", "hotel_code",
      "room_type", "price", "amount", "currency", "booking_code", "revenue");
  private static final StructType CONTEXT = new StructType()
      .add("app", strings("name", "version"))
      .add("os", strings("name", "version"))
      .add("device", strings("type"))
      .add("page", strings("path", "url", "referrer"))
      .add("campaign", strings("source", "medium", "name"))
      .add("userAgent", DataTypes.StringType)
      .add("ip", DataTypes.StringType)
      .add("locale", DataTypes.StringType);
  private static final String MONEY = "decimal(14,2)";

  private Events() {}

  /**
   * Parses and validates each record. A record is quarantined when it is not a JSON object, has no
   * {@code type}, {@code messageId} or {@code anonymousId}, has no or an unparseable
   * {@code receivedAt}, an unparseable {@code timestamp} or {@code sentAt}, or is a {@code track}
   * without {@code event}. Personal traits are hashed with {@code piiKey} here, before anything can
   * be cached or written.
   */
  public static Dataset<Row> parse(Dataset<Row> records, byte[] piiKey, String countryCode) {
    Columns.require(records, "Events.parse", RECORD_COLUMNS);
    Map<String, String> json = Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", "_corrupt_record");
    Dataset<Row> r = records.withColumn("j", from_json(col("raw"), RECORD, json));
    Column ts = instant(col("j.timestamp"));
    Column sent = instant(col("j.sentAt"));
    Column received = instant(col("j.receivedAt"));
    Column reason = when(col("j").isNull().or(col("j._corrupt_record").isNotNull()), lit("not valid JSON"))
        .when(blank(col("j.type")), lit("no type"))
        .when(blank(col("j.messageId")), lit("no messageId"))
        .when(blank(col("j.anonymousId")), lit("no anonymousId"))
        .when(col("j.receivedAt").isNull(), lit("no receivedAt"))
        .when(received.isNull(), concat(lit("unparseable receivedAt '"), substring(col("j.receivedAt"), 1, 64), lit("'")))
        .when(col("j.timestamp").isNotNull().and(ts.isNull()), concat(lit("unparseable timestamp '"), substring(col("j.timestamp"), 1, 64), lit("'")))
        .when(col("j.sentAt").isNotNull().and(sent.isNull()), concat(lit("unparseable sentAt '"), substring(col("j.sentAt"), 1, 64), lit("'")))
        .when(col("j.type").equalTo("track").and(blank(col("j.event"))), lit("track without event"));
    Column corrected = when(ts.isNotNull().and(sent.isNotNull()),
        expr("timestamp_micros(unix_micros(_r) - (unix_micros(_s) - unix_micros(_t)))"))
        .otherwise(coalesce(ts, received));
    Dataset<Row> typed = r
        .withColumn("_t", ts).withColumn("_s", sent).withColumn("_r", received)
        .withColumn("p", from_json(col("j.properties"), PLAN))
        .withColumn("c", from_json(col("j.context"), CONTEXT))
        .withColumn("tr", from_json(col("j.traits"), DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType)))
        .withColumn("quarantine_reason", reason)
        .withColumn("event_time", corrected);
    return typed.select(
        col("j.messageId").as("message_id"),
        col("j.type").as("type"),
        col("j.event").as("event"),
        col("j.name").as("name"),
        col("j.anonymousId").as("anonymous_id"),
        col("j.userId").as("user_id"),
        col("event_time"),
        TimeZones.kolkataDate(col("event_time")).as("event_date"),
        col("_t").as("original_timestamp"),
        col("_s").as("sent_at"),
        col("_r").as("received_at"),
        platform().as("platform"),
        col("p.city").as("city"),
        typed("p.checkin", "date").as("checkin"),
        typed("p.checkout", "date").as("checkout"),
        typed("p.rooms", "int").as("rooms"),
        typed("p.guests", "int").as("guests"),
        col("p.hotel_code").as("hotel_code"),
        col("p.room_type").as("room_type"),
        typed("p.price", MONEY).as("price"),
        typed("p.amount", MONEY).as("amount"),
        col("p.currency").as("currency"),
        col("p.booking_code").as("booking_code"),
        typed("p.revenue", MONEY).as("revenue"),
        col("c.page.path").as("page_path"),
        col("c.page.url").as("page_url"),
        col("c.page.referrer").as("referrer"),
        col("c.userAgent").as("user_agent"),
        col("c.ip").as("ip"),
        col("c.locale").as("locale"),
        col("c.app.version").as("app_version"),
        col("c.os.name").as("os_name"),
        col("c.os.version").as("os_version"),
        col("c.campaign.source").as("utm_source"),
        col("c.campaign.medium").as("utm_medium"),
        col("c.campaign.name").as("utm_campaign"),
        Pii.hash(trait("email"), Pii.Kind.EMAIL, piiKey, countryCode).as("email_hash"),
        Pii.hash(trait("phone"), Pii.Kind.PHONE, piiKey, countryCode).as("phone_hash"),
        Pii.hash(trait("name"), Pii.Kind.NAME, piiKey, countryCode).as("name_hash"),
        when(col("tr").isNull(), lit(null).cast("string"))
            .otherwise(to_json(map_filter(col("tr"), (k, v) -> lower(k).isin(PERSONAL_TRAITS.toArray()).unary_$bang())))
            .as("traits"),
        col("j.properties").as("properties"),
        JsonObjects.withoutKey(col("j.context"), "traits").as("context"),
        col("object"),
        col("position"),
        col("landed_hour"),
        col("quarantine_reason"),
        when(col("quarantine_reason").isNotNull(), redact(col("raw"))).as("raw"));
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
   * broken by {@code object} then {@code position}, so the choice is the same on every rerun.
   * Shuffles by {@code message_id}.
   */
  public static Dataset<Row> dedupe(Dataset<Row> events) {
    Columns.require(events, "Events.dedupe", List.of("message_id", "received_at", "object", "position"));
    return events
        .withColumn("_copy", row_number().over(Window.partitionBy("message_id").orderBy("received_at", "object", "position")))
        .where(col("_copy").equalTo(1))
        .drop("_copy");
  }

  private static Column platform() {
    Column os = lower(col("c.os.name"));
    Column device = lower(col("c.device.type"));
    return when(col("c.app").isNull(), lit("web"))
        .when(os.isin("ios", "ipados").or(device.equalTo("ios")), lit("ios"))
        .when(os.equalTo("android").or(device.equalTo("android")), lit("android"))
        .otherwise(lit("unknown"));
  }

  /** An ISO-8601 instant with any offset; null when absent or unparseable (also under ANSI mode). */
  private static Column instant(Column text) {
    return IsoInstants.instant(text);
  }

  private static Column typed(String field, String type) {
    return col(field).cast(type);
  }

  private static Column trait(String key) {
    return col("tr").getItem(key);
  }

  private static Column blank(Column c) {
    return c.isNull().or(trim(c).equalTo(""));
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

  private static StructType strings(String... names) {
    StructType s = new StructType();
    for (String n : names) {
      s = s.add(n, DataTypes.StringType);
    }
    return s;
  }
}
