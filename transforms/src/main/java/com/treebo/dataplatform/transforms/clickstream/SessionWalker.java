package com.treebo.dataplatform.transforms.clickstream;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Sessions from a device's events and its ties to users, sorted by {@code anonymous_id, event_time},
 * ties before events at the same instant; in one pass and constant memory. A session ends where the
 * device changes or the gap to the next event exceeds the session gap. Everything a session row
 * needs is folded in as its events go by, the funnel included (greedy: the first event of each next
 * step, in time order, is optimal for an ordered funnel), and so is the guest: the session's own
 * last user, else the user of the latest tie at or before the session's end.
 *
 * <p>Input rows: {@link #INPUT} in that order, {@code anonymous_id} and {@code event_time} not null;
 * a tie has {@code kind} 0, its time in {@code event_time} and its user in {@code user_id}; an event
 * has {@code kind} 1. Output rows: {@link #SESSIONS}; see {@link WebSessions#sessionize}.
 */
final class SessionWalker implements Iterator<InternalRow> {
  /** Input columns, in this order. */
  static final String[] INPUT = {"anonymous_id", "message_id", "event_time", "type", "event", "platform", "user_id",
      "hotel_code", "booking_code", "revenue", "utm_source", "utm_medium", "utm_campaign", "kind"};

  /** Output columns. */
  static final StructType SESSIONS = new StructType()
      .add("session_id", DataTypes.StringType)
      .add("anonymous_id", DataTypes.StringType)
      .add("session_date", DataTypes.DateType)
      .add("session_start", DataTypes.TimestampType)
      .add("session_end", DataTypes.TimestampType)
      .add("duration_seconds", DataTypes.LongType)
      .add("event_count", DataTypes.LongType)
      .add("page_views", DataTypes.LongType)
      .add("platform", DataTypes.StringType)
      .add("user_id", DataTypes.StringType)
      .add("first_message_id", DataTypes.StringType)
      .add("utm_source", DataTypes.StringType)
      .add("utm_medium", DataTypes.StringType)
      .add("utm_campaign", DataTypes.StringType)
      .add("hotel_code", DataTypes.StringType)
      .add("booking_code", DataTypes.StringType)
      .add("revenue", DataTypes.createDecimalType(14, 2))
      .add("funnel_step", DataTypes.IntegerType)
      .add("guest_id", DataTypes.StringType);

  private static final int ANON = 0;
  private static final int MESSAGE_ID = 1;
  private static final int TIME = 2;
  private static final int TYPE = 3;
  private static final int EVENT = 4;
  private static final int PLATFORM = 5;
  private static final int USER_ID = 6;
  private static final int HOTEL_CODE = 7;
  private static final int BOOKING_CODE = 8;
  private static final int REVENUE = 9;
  private static final int UTM_SOURCE = 10;
  private static final int UTM_MEDIUM = 11;
  private static final int UTM_CAMPAIGN = 12;
  private static final int KIND = 13;
  private static final UTF8String WEB = UTF8String.fromString("web");
  private static final UTF8String TRACK = UTF8String.fromString("track");
  private static final UTF8String PAGE = UTF8String.fromString("page");
  private static final UTF8String SCREEN = UTF8String.fromString("screen");
  private static final UTF8String[] STEPS = Funnel.STEPS.stream().map(UTF8String::fromString).toArray(UTF8String[]::new);

  private final Iterator<InternalRow> events;
  private final long gapMicros;
  private final MessageDigest sha256;
  private UTF8String device;
  private Session open;
  /** The latest tie at or before the open session's last event; and a later one, not yet reached. */
  private UTF8String tie;
  private UTF8String pendingTie;
  private InternalRow ready;

  SessionWalker(Iterator<InternalRow> events, long gapMicros) {
    this.events = events;
    this.gapMicros = gapMicros;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  @Override
  public boolean hasNext() {
    if (ready == null) {
      ready = advance();
    }
    return ready != null;
  }

  @Override
  public InternalRow next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    InternalRow r = ready;
    ready = null;
    return r;
  }

  /** Reads input until a session closes; null at the end. */
  private InternalRow advance() {
    while (events.hasNext()) {
      InternalRow e = events.next();
      boolean isTie = e.getInt(KIND) == 0;
      InternalRow done = null;
      if (device == null || !device.equals(e.getUTF8String(ANON))) {
        done = close();
        device = e.getUTF8String(ANON).clone();
        tie = null;
        pendingTie = null;
      }
      if (isTie) {
        pendingTie = Session.copy(e, USER_ID);
      } else {
        if (open != null && e.getLong(TIME) - open.end > gapMicros) {
          done = close();
        }
        if (pendingTie != null) { // its time is at or before this event's, so before the session's end
          tie = pendingTie;
          pendingTie = null;
        }
        if (open == null) {
          open = new Session(e);
        } else {
          open.add(e);
        }
      }
      if (done != null) {
        return done;
      }
    }
    return close();
  }

  private InternalRow close() {
    if (open == null) {
      return null;
    }
    InternalRow row = open.row(sha256, open.userId != null ? open.userId : tie);
    open = null;
    return row;
  }

  /** One session's running state; strings are copied, as the input rows are reused. */
  private static final class Session {
    final UTF8String anon;
    final UTF8String firstMessageId;
    final long start;
    long end;
    long events;
    long pageViews;
    UTF8String appPlatform;
    UTF8String userId;
    final UTF8String utmSource;
    final UTF8String utmMedium;
    final UTF8String utmCampaign;
    UTF8String hotelCode;
    UTF8String bookingCode;
    Decimal revenue;
    int funnel;

    Session(InternalRow e) {
      anon = e.getUTF8String(ANON).clone();
      firstMessageId = copy(e, MESSAGE_ID);
      start = e.getLong(TIME);
      end = start;
      utmSource = copy(e, UTM_SOURCE);
      utmMedium = copy(e, UTM_MEDIUM);
      utmCampaign = copy(e, UTM_CAMPAIGN);
      add(e);
    }

    void add(InternalRow e) {
      events++;
      end = e.getLong(TIME);
      UTF8String type = e.isNullAt(TYPE) ? null : e.getUTF8String(TYPE);
      if (PAGE.equals(type) || SCREEN.equals(type)) {
        pageViews++;
      }
      if (appPlatform == null && !e.isNullAt(PLATFORM) && !WEB.equals(e.getUTF8String(PLATFORM))) {
        appPlatform = copy(e, PLATFORM);
      }
      if (!e.isNullAt(USER_ID)) {
        userId = copy(e, USER_ID);
      }
      int step = TRACK.equals(type) && !e.isNullAt(EVENT) ? step(e.getUTF8String(EVENT)) : 0;
      if (step >= 2 && !e.isNullAt(HOTEL_CODE)) {
        hotelCode = copy(e, HOTEL_CODE);
      }
      if (step == 5) {
        bookingCode = copy(e, BOOKING_CODE);
        revenue = e.isNullAt(REVENUE) ? null : e.getDecimal(REVENUE, 14, 2);
      }
      if (step > 0 && step == funnel + 1) {
        funnel = step;
      }
    }

    InternalRow row(MessageDigest sha256, UTF8String guest) {
      sha256.reset();
      sha256.update(anon.getBytes());
      sha256.update((byte) 0);
      if (firstMessageId != null) {
        sha256.update(firstMessageId.getBytes());
      }
      String id = HexFormat.of().formatHex(sha256.digest()).substring(0, 32);
      int date = (int) Math.floorDiv(Math.floorDiv(start, 1_000_000L) + TimeZones.KOLKATA_OFFSET_SECONDS, 86_400L);
      return new GenericInternalRow(new Object[] {
          UTF8String.fromBytes(id.getBytes(StandardCharsets.US_ASCII)), anon, date, start, end, (end - start) / 1_000_000L,
          events, pageViews, appPlatform == null ? WEB : appPlatform, userId, firstMessageId, utmSource, utmMedium,
          utmCampaign, hotelCode, bookingCode, revenue, funnel, guest});
    }

    private static int step(UTF8String event) {
      for (int i = 0; i < STEPS.length; i++) {
        if (STEPS[i].equals(event)) {
          return i + 1;
        }
      }
      return 0;
    }

    static UTF8String copy(InternalRow e, int i) {
      return e.isNullAt(i) ? null : e.getUTF8String(i).clone();
    }
  }
}
