package com.treebo.dataplatform.transforms.clickstream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.treebo.dataplatform.transforms.Pii;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.DateTimeUtils;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Option;

/**
 * One pass of a streaming JSON parser over each landed record: every field the clean events need is
 * picked up as the parser goes by, the {@code properties} and {@code context} objects are kept as
 * the record's own bytes (no re-serialisation), personal traits are hashed on the spot, and the
 * quarantine reason is decided. Spark's {@code from_json} would tokenise the record once for the
 * envelope and again for each nested object; this reads each byte once.
 *
 * <p>Input rows: {@code object, position, landed_hour, raw} in that order. Output rows: {@link #FLAT}.
 * Strings follow Spark's JSON-to-string rules: a string value as is, a number or boolean as its
 * text, an object or array as its JSON text, null as null. Times are microseconds since the epoch:
 * ISO-8601 with any offset through {@link IsoInstants#micros}, anything else through Spark's own
 * string-to-timestamp rules in the session time zone (so the accepted formats are those of a cast).
 */
final class SegmentRecords implements Iterator<InternalRow> {
  /** The parser's output: lineage, verdict, fields as text, times in microseconds, hashed traits. */
  static final StructType FLAT;
  /** Trait keys never written in clear (compared lower-cased). */
  private static final Set<String> PERSONAL = Events.PERSONAL_TRAITS.stream().collect(Collectors.toUnmodifiableSet());

  private static final String[] STRINGS_1 = {"message_id", "type", "event", "name", "anonymous_id", "user_id"};
  private static final String[] TIMES = {"event_time_us", "timestamp_us", "sent_at_us", "received_at_us"};
  private static final String[] STRINGS_2 = {"properties", "context", "traits",
      "city", "checkin", "checkout", "rooms", "guests", "hotel_code", "room_type", "price", "amount", "currency",
      "booking_code", "revenue"};
  private static final String[] STRINGS_3 = {"app_version", "os_name", "os_version", "device_type", "page_path",
      "page_url", "referrer", "user_agent", "ip", "locale", "utm_source", "utm_medium", "utm_campaign",
      "email_hash", "phone_hash", "name_hash"};

  static {
    StructType s = new StructType()
        .add("object", DataTypes.StringType).add("position", DataTypes.LongType).add("landed_hour", DataTypes.StringType)
        .add("quarantine_reason", DataTypes.StringType).add("raw", DataTypes.StringType);
    s = add(s, STRINGS_1, DataTypes.StringType);
    s = add(s, TIMES, DataTypes.LongType);
    s = add(s, STRINGS_2, DataTypes.StringType);
    s = s.add("app", DataTypes.BooleanType);
    FLAT = add(s, STRINGS_3, DataTypes.StringType);
  }

  private static final int OBJECT = FLAT.fieldIndex("object");
  private static final int POSITION = FLAT.fieldIndex("position");
  private static final int HOUR = FLAT.fieldIndex("landed_hour");
  private static final int REASON = FLAT.fieldIndex("quarantine_reason");
  private static final int RAW = FLAT.fieldIndex("raw");
  private static final int MESSAGE_ID = FLAT.fieldIndex("message_id");
  private static final int TYPE = FLAT.fieldIndex("type");
  private static final int EVENT = FLAT.fieldIndex("event");
  private static final int NAME = FLAT.fieldIndex("name");
  private static final int ANONYMOUS_ID = FLAT.fieldIndex("anonymous_id");
  private static final int USER_ID = FLAT.fieldIndex("user_id");
  private static final int EVENT_TIME = FLAT.fieldIndex("event_time_us");
  private static final int TIMESTAMP = FLAT.fieldIndex("timestamp_us");
  private static final int SENT_AT = FLAT.fieldIndex("sent_at_us");
  private static final int RECEIVED_AT = FLAT.fieldIndex("received_at_us");
  private static final int PROPERTIES = FLAT.fieldIndex("properties");
  private static final int CONTEXT = FLAT.fieldIndex("context");
  private static final int TRAITS = FLAT.fieldIndex("traits");
  private static final int APP = FLAT.fieldIndex("app");
  private static final int EMAIL_HASH = FLAT.fieldIndex("email_hash");
  private static final int PHONE_HASH = FLAT.fieldIndex("phone_hash");
  private static final int NAME_HASH = FLAT.fieldIndex("name_hash");
  private static final int USER_AGENT = FLAT.fieldIndex("user_agent");
  private static final int IP = FLAT.fieldIndex("ip");
  private static final int LOCALE = FLAT.fieldIndex("locale");

  /** Tracking-plan properties picked out of {@code properties}, by JSON key. */
  private static final Slots PLAN = new Slots(
      "city", "city", "checkin", "checkin", "checkout", "checkout", "rooms", "rooms", "guests", "guests",
      "hotel_code", "hotel_code", "room_type", "room_type", "price", "price", "amount", "amount",
      "currency", "currency", "booking_code", "booking_code", "revenue", "revenue");
  private static final Slots APP_FIELDS = new Slots("version", "app_version");
  private static final Slots OS_FIELDS = new Slots("name", "os_name", "version", "os_version");
  private static final Slots DEVICE_FIELDS = new Slots("type", "device_type");
  private static final Slots PAGE_FIELDS = new Slots("path", "page_path", "url", "page_url", "referrer", "referrer");
  private static final Slots CAMPAIGN_FIELDS = new Slots("source", "utm_source", "medium", "utm_medium", "name", "utm_campaign");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** What a partition's parser needs; serialisable, shipped with the task. */
  record Settings(Pii.Hasher hasher, String sessionTimeZone) implements Serializable {}

  private final Iterator<InternalRow> input;
  private final Pii.Hasher hasher;
  private final ZoneId zone;
  private final JsonFactory json = new JsonFactory();
  private final ByteArrayOutputStream traitsOut = new ByteArrayOutputStream(256);

  SegmentRecords(Iterator<InternalRow> input, Settings settings) {
    this.input = input;
    this.hasher = settings.hasher();
    this.zone = ZoneId.of(settings.sessionTimeZone());
  }

  @Override
  public boolean hasNext() {
    return input.hasNext();
  }

  @Override
  public InternalRow next() {
    InternalRow in = input.next();
    Object[] v = new Object[FLAT.size()];
    v[OBJECT] = in.isNullAt(0) ? null : in.getUTF8String(0).clone();
    v[POSITION] = in.isNullAt(1) ? null : in.getLong(1);
    v[HOUR] = in.isNullAt(2) ? null : in.getUTF8String(2).clone();
    UTF8String raw = in.isNullAt(3) ? null : in.getUTF8String(3);
    byte[] bytes = raw == null ? null : raw.getBytes();
    Fields f = new Fields();
    boolean valid = bytes != null && parse(bytes, v, f);
    String reason = valid ? reason(f) : "not valid JSON";
    if (reason != null) {
      v[REASON] = UTF8String.fromString(reason);
      v[RAW] = raw == null ? null : UTF8String.fromBytes(bytes);
    }
    if (valid) {
      v[MESSAGE_ID] = utf8(f.messageId);
      v[TYPE] = utf8(f.type);
      v[EVENT] = utf8(f.event);
      v[NAME] = utf8(f.name);
      v[ANONYMOUS_ID] = utf8(f.anonymousId);
      v[USER_ID] = utf8(f.userId);
      v[TIMESTAMP] = f.timestampUs;
      v[SENT_AT] = f.sentAtUs;
      v[RECEIVED_AT] = f.receivedAtUs;
      // Segment's device-clock correction when all three times are there; else the best one there is.
      v[EVENT_TIME] = f.timestampUs != null && f.sentAtUs != null && f.receivedAtUs != null
          ? Long.valueOf(f.receivedAtUs - (f.sentAtUs - f.timestampUs))
          : f.timestampUs != null ? f.timestampUs : f.receivedAtUs;
      v[EMAIL_HASH] = utf8(hasher.hash(f.email, Pii.Kind.EMAIL));
      v[PHONE_HASH] = utf8(hasher.hash(f.phone, Pii.Kind.PHONE));
      v[NAME_HASH] = utf8(hasher.hash(f.personName, Pii.Kind.NAME));
    }
    return new GenericInternalRow(v);
  }

  /** The envelope fields of one record, as text, with the times parsed. */
  private static final class Fields {
    String type;
    String event;
    String name;
    String messageId;
    String anonymousId;
    String userId;
    String timestamp;
    String sentAt;
    String receivedAt;
    Long timestampUs;
    Long sentAtUs;
    Long receivedAtUs;
    String email;
    String phone;
    String personName;
  }

  /** Fills {@code v} and {@code f} from the record; false when it is not one JSON object. */
  private boolean parse(byte[] raw, Object[] v, Fields f) {
    try (JsonParser p = json.createParser(raw)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String field = p.getCurrentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "type" -> f.type = text(p, raw);
          case "event" -> f.event = text(p, raw);
          case "name" -> f.name = text(p, raw);
          case "messageId" -> f.messageId = text(p, raw);
          case "anonymousId" -> f.anonymousId = text(p, raw);
          case "userId" -> f.userId = text(p, raw);
          case "timestamp" -> f.timestamp = text(p, raw);
          case "sentAt" -> f.sentAt = text(p, raw);
          case "receivedAt" -> f.receivedAt = text(p, raw);
          case "properties" -> v[PROPERTIES] = value == JsonToken.START_OBJECT ? object(p, raw, v, PLAN) : utf8(text(p, raw));
          case "context" -> v[CONTEXT] = value == JsonToken.START_OBJECT ? context(p, raw, v) : utf8(text(p, raw));
          case "traits" -> v[TRAITS] = value == JsonToken.START_OBJECT ? traits(p, raw, f) : skip(p);
          default -> p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
        return false;
      }
    } catch (IOException notJson) {
      return false;
    }
    f.timestampUs = instant(f.timestamp);
    f.sentAtUs = instant(f.sentAt);
    f.receivedAtUs = instant(f.receivedAt);
    return true;
  }

  /** Why the record cannot be a web event, or null when it can. */
  private static String reason(Fields f) {
    if (blank(f.type)) {
      return "no type";
    } else if (blank(f.messageId)) {
      return "no messageId";
    } else if (blank(f.anonymousId)) {
      return "no anonymousId";
    } else if (f.receivedAt == null) {
      return "no receivedAt";
    } else if (f.receivedAtUs == null) {
      return "unparseable receivedAt '" + prefix(f.receivedAt) + "'";
    } else if (f.timestamp != null && f.timestampUs == null) {
      return "unparseable timestamp '" + prefix(f.timestamp) + "'";
    } else if (f.sentAt != null && f.sentAtUs == null) {
      return "unparseable sentAt '" + prefix(f.sentAt) + "'";
    } else if ("track".equals(f.type) && blank(f.event)) {
      return "track without event";
    }
    return null;
  }

  /**
   * The object the parser stands at the start of, as the record's own bytes; the members named in
   * {@code slots} are copied into {@code v} on the way.
   */
  private static UTF8String object(JsonParser p, byte[] raw, Object[] v, Slots slots) throws IOException {
    int from = tokenStart(p);
    members(p, raw, v, slots);
    return UTF8String.fromBytes(raw, from, tokenEnd(p) - from);
  }

  private static void members(JsonParser p, byte[] raw, Object[] v, Slots slots) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      int slot = slots.slot(p.getCurrentName());
      p.nextToken();
      if (slot >= 0) {
        v[slot] = utf8(text(p, raw));
      } else {
        p.skipChildren();
      }
    }
  }

  /** {@code context} as the record's bytes without its {@code traits} member (personal data). */
  private UTF8String context(JsonParser p, byte[] raw, Object[] v) throws IOException {
    int from = tokenStart(p);
    int cutFrom = -1;
    int cutTo = -1;
    int traitsSeen = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.getCurrentName();
      int nameAt = tokenStart(p);
      JsonToken value = p.nextToken();
      switch (field) {
        case "app" -> {
          v[APP] = value == JsonToken.START_OBJECT;
          nested(p, raw, v, value, APP_FIELDS);
        }
        case "os" -> nested(p, raw, v, value, OS_FIELDS);
        case "device" -> nested(p, raw, v, value, DEVICE_FIELDS);
        case "page" -> nested(p, raw, v, value, PAGE_FIELDS);
        case "campaign" -> nested(p, raw, v, value, CAMPAIGN_FIELDS);
        case "userAgent" -> v[USER_AGENT] = utf8(text(p, raw));
        case "ip" -> v[IP] = utf8(text(p, raw));
        case "locale" -> v[LOCALE] = utf8(text(p, raw));
        case "traits" -> {
          p.skipChildren();
          p.finishToken(); // a string value is read lazily: its end is known only once it is read
          cutFrom = nameAt;
          cutTo = tokenEnd(p);
          traitsSeen++;
        }
        default -> p.skipChildren();
      }
    }
    int to = tokenEnd(p);
    if (traitsSeen == 0) {
      return UTF8String.fromBytes(raw, from, to - from);
    }
    if (traitsSeen > 1) { // a repeated key: let a JSON tree settle which one counts, then drop it
      JsonNode node = MAPPER.readTree(new String(raw, from, to - from, StandardCharsets.UTF_8));
      ((ObjectNode) node).remove("traits");
      return UTF8String.fromString(MAPPER.writeValueAsString(node));
    }
    return cut(raw, from, to, cutFrom, cutTo);
  }

  private static void nested(JsonParser p, byte[] raw, Object[] v, JsonToken value, Slots slots) throws IOException {
    if (value == JsonToken.START_OBJECT) {
      members(p, raw, v, slots);
    } else {
      p.skipChildren();
    }
  }

  /**
   * {@code traits} as JSON without its personal keys (values as strings, like Spark's
   * {@code map<string,string>}); the email, phone and name are kept aside for hashing.
   */
  private UTF8String traits(JsonParser p, byte[] raw, Fields f) throws IOException {
    traitsOut.reset();
    try (JsonGenerator g = json.createGenerator(traitsOut)) {
      g.writeStartObject();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.getCurrentName();
        p.nextToken();
        String value = text(p, raw);
        switch (key) {
          case "email" -> f.email = value;
          case "phone" -> f.phone = value;
          case "name" -> f.personName = value;
          default -> { }
        }
        if (!PERSONAL.contains(key.toLowerCase(Locale.ROOT))) {
          g.writeFieldName(key);
          if (value == null) {
            g.writeNull();
          } else {
            g.writeString(value);
          }
        }
      }
      g.writeEndObject();
    }
    return UTF8String.fromBytes(traitsOut.toByteArray());
  }

  private static UTF8String skip(JsonParser p) throws IOException {
    p.skipChildren();
    return null;
  }

  /** The current value as Spark reads JSON into a string column. */
  private static String text(JsonParser p, byte[] raw) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
      int from = tokenStart(p);
      p.skipChildren();
      return new String(raw, from, tokenEnd(p) - from, StandardCharsets.UTF_8);
    }
    return p.getText();
  }

  /** Bytes {@code [from, to)} without the member {@code [cutFrom, cutTo)} and the comma that joined it. */
  static UTF8String cut(byte[] raw, int from, int to, int cutFrom, int cutTo) {
    int a = cutFrom;
    int b = cutTo;
    int k = b;
    while (k < to && space(raw[k])) {
      k++;
    }
    if (raw[k] == ',') {
      b = k + 1;
      while (b < to && space(raw[b])) {
        b++;
      }
    } else {
      int j = a - 1;
      while (j > from && space(raw[j])) {
        j--;
      }
      if (raw[j] == ',') {
        a = j;
      }
    }
    byte[] out = new byte[(a - from) + (to - b)];
    System.arraycopy(raw, from, out, 0, a - from);
    System.arraycopy(raw, b, out, a - from, to - b);
    return UTF8String.fromBytes(out);
  }

  private static boolean space(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }

  /** Byte offset of the current token in the record. */
  private static int tokenStart(JsonParser p) {
    return (int) p.getTokenLocation().getByteOffset();
  }

  /** Byte offset just past the current token (a closing brace or bracket, or a scalar). */
  private static int tokenEnd(JsonParser p) {
    return (int) p.getCurrentLocation().getByteOffset();
  }

  private Long instant(String text) {
    if (text == null) {
      return null;
    }
    Long fast = IsoInstants.micros(text);
    if (fast != null) {
      return fast;
    }
    Option<Object> cast = DateTimeUtils.stringToTimestamp(UTF8String.fromString(text), zone);
    return cast.isDefined() ? (Long) cast.get() : null;
  }

  /** Spark's {@code trim(c) = ''} or null: blank means spaces only. */
  private static boolean blank(String s) {
    if (s == null) {
      return true;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) != ' ') {
        return false;
      }
    }
    return true;
  }

  /** The first 64 characters (code points), for a reason's quote of the bad value. */
  private static String prefix(String s) {
    return s.codePointCount(0, s.length()) <= 64 ? s : s.substring(0, s.offsetByCodePoints(0, 64));
  }

  private static UTF8String utf8(String s) {
    return s == null ? null : UTF8String.fromString(s);
  }

  private static StructType add(StructType s, String[] names, DataType type) {
    for (String n : names) {
      s = s.add(n, type);
    }
    return s;
  }

  /** JSON keys of one object mapped to output slots of {@link #FLAT}. */
  private static final class Slots {
    private final java.util.Map<String, Integer> slots = new java.util.HashMap<>();

    Slots(String... keyAndColumn) {
      for (int i = 0; i < keyAndColumn.length; i += 2) {
        slots.put(keyAndColumn[i], FLAT.fieldIndex(keyAndColumn[i + 1]));
      }
    }

    int slot(String key) {
      Integer s = slots.get(key);
      return s == null ? -1 : s;
    }
  }
}
