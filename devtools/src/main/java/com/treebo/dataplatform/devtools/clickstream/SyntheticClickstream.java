package com.treebo.dataplatform.devtools.clickstream;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A synthetic clickstream with known answers, landed the way Firehose lands it, for tests, the
 * benchmark and local demos (never read by the job itself). Deterministic: user {@code i}'s
 * journey follows from {@code i}, and the expected lake contents are counted from the script as it
 * is written, not by re-running the job's logic.
 *
 * <p>Each user (anonymous id, one platform) has one or two sessions three hours apart, each a
 * {@code Home} page then the first {@code (i + j) % 6} funnel steps two minutes apart, with an
 * {@code identify} (personal traits) before {@code Checkout Started}. Scripted oddities, by user:
 * device clock 3 h fast ({@code i % 5 == 1}); a late tail (steps from {@code Hotel Viewed} on of
 * the last session sent 20 h later, landing in a later hour, {@code i % 11 == 7}); a late page view
 * bridging two sessions into one ({@code i % 29 == 11}); steps out of order ({@code i % 29 == 13});
 * a session crossing midnight ({@code i % 29 == 17}); a page 29 minutes after the last event (same
 * session, {@code i % 19 == 0}) and one 31 minutes after that (new session, {@code i % 23 == 0}).
 * Every 10th record is delivered again in the next hour's object; every 7th record of an object
 * follows the previous one on the same line; the first object of each hour ends with a truncated
 * record, one without messageId and one with an unparseable timestamp.
 */
public final class SyntheticClickstream {
  private static final Duration LATE = Duration.ofHours(20);
  private static final DateTimeFormatter IST = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx");
  private static final ZoneOffset KOLKATA = ZoneOffset.ofHoursMinutes(5, 30);
  private static final String[] PLATFORMS = {"web", "ios", "android"};
  private static final String[] STEPS = {"Hotels Searched", "Hotel Viewed", "Room Selected", "Checkout Started", "Order Completed"};

  /** What the lake must hold once every landed object is read. */
  public record Expected(long records, long distinctEvents, Map<String, Long> quarantined, long sessions,
      long stitchedSessions, Map<String, long[]> funnel, TreeMap<String, Long> newEventsByLandedHour, long bytes) {

    /** Distinct events whose first copy landed in an hour up to {@code hour} ({@code yyyy-MM-ddTHH}). */
    public long eventsLandedBy(String hour) {
      return newEventsByLandedHour.headMap(hour, true).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private SyntheticClickstream() {}

  /** How many users make at least {@code events} distinct events (before duplicates and broken records). */
  public static int usersFor(long events, LocalDate day) {
    long n = 0;
    int users = 0;
    while (n < events) {
      n += events(users++, day).size();
    }
    return users;
  }

  /**
   * Lands {@code users} users' events of Asia/Kolkata day {@code day} under {@code landing}, in
   * objects of about {@code objectBytes} uncompressed bytes each.
   */
  public static Expected land(String landing, Configuration hadoop, LocalDate day, int users, long objectBytes) {
    try (Landing out = new Landing(landing, hadoop, objectBytes)) {
      Map<String, long[]> funnel = new TreeMap<>();
      long sessions = 0;
      long stitched = 0;
      for (int i = 0; i < users; i++) {
        for (Session s : journey(i, day)) {
          sessions++;
          stitched += s.guest ? 1 : 0;
          long[] row = funnel.computeIfAbsent(s.date + "|" + PLATFORMS[i % 3], k -> new long[6]);
          row[0]++;
          for (int k = 1; k <= s.step; k++) {
            row[k]++;
          }
        }
        for (Event e : events(i, day)) {
          out.add(e);
        }
      }
      out.finish();
      return new Expected(out.records, out.distinct, Map.copyOf(out.quarantined), sessions, stitched, funnel,
          out.newByHour, out.bytes);
    }
  }

  /** One event as the device and Segment see it: true time, device clock skew, send delay. */
  private record Event(int user, String id, String type, String name, Instant at, Duration skew, Duration sendDelay,
      String userId, String properties, boolean traits) {}

  /** One expected final session: start date (Kolkata), furthest funnel step, whether it carries a guest. */
  private record Session(LocalDate date, int step, boolean guest) {}

  private static Instant dayStart(LocalDate day) {
    return day.atStartOfDay().toInstant(KOLKATA);
  }

  private static List<Session> journey(int i, LocalDate day) {
    List<Session> out = new ArrayList<>();
    if (i % 29 == 11) {
      out.add(new Session(day, 4, false));
    } else if (i % 29 == 13) {
      out.add(new Session(day, 1, false));
    } else if (i % 29 == 17) {
      out.add(new Session(day, 2, false));
    } else {
      int n = sessionCount(i);
      boolean tied = false;
      for (int j = 0; j < n; j++) {
        int depth = depth(i, j, n);
        tied |= depth >= 4;
        out.add(new Session(day, depth, tied));
      }
      if (i % 23 == 0) {
        out.add(new Session(day, 0, tied));
      }
    }
    return out;
  }

  private static int sessionCount(int i) {
    return 1 + (i % 2);
  }

  private static int depth(int i, int j, int n) {
    return i % 11 == 7 && j == n - 1 ? 5 : (i + j) % 6;
  }

  private static List<Event> events(int i, LocalDate day) {
    List<Event> out = new ArrayList<>();
    Duration skew = i % 5 == 1 ? Duration.ofHours(3) : Duration.ZERO;
    String guest = Integer.toString(100000 + i);
    Instant base = dayStart(day).plus(Duration.ofMinutes(30 + (i * 37L) % 600));
    if (i % 29 == 11) {
      // Session X: page, search, view; session Y 40 minutes later: select, checkout. A page view
      // at X + 24 min, sent 20 h late, bridges them into one session that reaches checkout.
      out.add(event(i, 0, 0, "page", "Home", base, skew, Duration.ZERO, null));
      out.add(step(i, 0, 1, base.plus(Duration.ofMinutes(2)), skew, Duration.ZERO, null));
      out.add(step(i, 0, 2, base.plus(Duration.ofMinutes(4)), skew, Duration.ZERO, null));
      out.add(event(i, 0, 9, "page", "Deals", base.plus(Duration.ofMinutes(24)), skew, LATE, null));
      out.add(step(i, 0, 3, base.plus(Duration.ofMinutes(44)), skew, Duration.ZERO, null));
      out.add(step(i, 0, 4, base.plus(Duration.ofMinutes(46)), skew, Duration.ZERO, null));
      return out;
    }
    if (i % 29 == 13) {
      out.add(event(i, 0, 0, "page", "Home", base, skew, Duration.ZERO, null));
      out.add(step(i, 0, 2, base.plus(Duration.ofMinutes(2)), skew, Duration.ZERO, null));
      out.add(step(i, 0, 1, base.plus(Duration.ofMinutes(4)), skew, Duration.ZERO, null));
      out.add(step(i, 0, 3, base.plus(Duration.ofMinutes(6)), skew, Duration.ZERO, null));
      return out;
    }
    if (i % 29 == 17) {
      Instant late = dayStart(day).plus(Duration.ofHours(23).plusMinutes(50));
      out.add(event(i, 0, 0, "page", "Home", late, skew, Duration.ZERO, null));
      out.add(step(i, 0, 1, late.plus(Duration.ofMinutes(2)), skew, Duration.ZERO, null));
      out.add(step(i, 0, 2, late.plus(Duration.ofMinutes(4)), skew, Duration.ZERO, null));
      out.add(event(i, 0, 8, "page", "Hotel", late.plus(Duration.ofMinutes(20)), skew, Duration.ZERO, null));
      return out;
    }
    int n = sessionCount(i);
    String userId = null;
    for (int j = 0; j < n; j++) {
      Instant start = base.plus(Duration.ofMinutes(180L * j));
      int depth = depth(i, j, n);
      boolean lateTail = i % 11 == 7 && j == n - 1;
      out.add(event(i, j, 0, "page", "Home", start, skew, Duration.ZERO, userId));
      if (i % 4 == 0) {
        out.add(new Event(i, id(i, j, 10), "track", "Coupon Applied", start.plus(Duration.ofMinutes(1)), skew, Duration.ZERO,
            userId, "{\"coupon\":\"WINTER20\",\"discount\":580}", false));
      }
      for (int k = 1; k <= depth; k++) {
        Instant at = start.plus(Duration.ofMinutes(2L * k));
        Duration delay = lateTail && k >= 2 ? LATE : Duration.ZERO;
        if (k == 4) {
          userId = guest;
          out.add(new Event(i, id(i, j, 7), "identify", null, start.plus(Duration.ofMinutes(7)), skew, delay, userId, null, true));
        }
        out.add(step(i, j, k, at, skew, delay, userId));
      }
    }
    // The extra pages are timed from the user's last event, whatever it was (a coupon, a step).
    Instant last = out.stream().map(Event::at).max(Instant::compareTo).orElseThrow();
    if (i % 19 == 0) {
      last = last.plus(Duration.ofMinutes(29));
      out.add(event(i, n, 1, "page", "Offers", last, skew, Duration.ZERO, userId));
    }
    if (i % 23 == 0) {
      last = last.plus(Duration.ofMinutes(31));
      out.add(event(i, n, 2, "page", "Offers", last, skew, Duration.ZERO, userId));
    }
    return out;
  }

  private static String id(int i, int j, int n) {
    return "m-" + i + "-" + j + "-" + n;
  }

  private static Event event(int i, int j, int n, String type, String name, Instant at, Duration skew, Duration delay, String userId) {
    return new Event(i, id(i, j, n), type, name, at, skew, delay, userId, "{\"path\":\"/" + name.toLowerCase() + "\"}", false);
  }

  private static Event step(int i, int j, int k, Instant at, Duration skew, Duration delay, String userId) {
    String hotel = "\"hotel_code\":\"BLR-" + (i % 40) + "\"";
    String props = switch (k) {
      case 1 -> "{\"city\":\"Bengaluru\",\"checkin\":\"2026-12-24\",\"checkout\":\"2026-12-26\",\"rooms\":1,\"guests\":2}";
      case 2 -> "{" + hotel + ",\"price\":2899}";
      case 3 -> "{" + hotel + ",\"room_type\":\"oak\",\"price\":3199}";
      case 4 -> "{" + hotel + ",\"amount\":6398,\"currency\":\"INR\"}";
      default -> "{\"booking_code\":\"TRB-" + i + "-" + j + "\"," + hotel + ",\"revenue\":6398.00,\"currency\":\"INR\"}";
    };
    return new Event(i, id(i, j, 20 + k), "track", STEPS[k - 1], at, skew, delay, userId, props, false);
  }

  private static String json(Event e) {
    Instant device = e.at.plus(e.skew);
    Instant sent = device.plus(e.sendDelay).plusMillis(300);
    Instant received = e.at.plus(e.sendDelay).plusMillis(800);
    StringBuilder s = new StringBuilder(400);
    s.append("{\"type\":\"").append(e.type).append('"');
    if (e.type.equals("track")) {
      s.append(",\"event\":\"").append(e.name).append('"');
    } else if (e.name != null) {
      s.append(",\"name\":\"").append(e.name).append('"');
    }
    s.append(",\"messageId\":\"").append(e.id).append("\",\"anonymousId\":\"anon-").append(e.user).append('"');
    if (e.userId != null) {
      s.append(",\"userId\":\"").append(e.userId).append('"');
    }
    s.append(",\"timestamp\":\"").append(e.skew.isZero() ? device.toString() : IST.format(device.atOffset(KOLKATA)))
        .append("\",\"sentAt\":\"").append(sent).append("\",\"receivedAt\":\"").append(received).append('"');
    if (e.properties != null) {
      s.append(",\"properties\":").append(e.properties);
    }
    if (e.traits) {
      s.append(",\"traits\":{\"email\":\"guest").append(e.user).append("@example.com\",\"phone\":\"98450")
          .append(String.format("%05d", e.user % 100000)).append("\",\"name\":\"Guest ").append(e.user).append("\"}");
    }
    s.append(",\"context\":").append(switch (e.user % 3) {
      case 0 -> "{\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64)\",\"ip\":\"49.207.10.1\",\"locale\":\"en-IN\",\"page\":{\"path\":\"/\"}}";
      case 1 -> "{\"app\":{\"name\":\"Treebo\",\"version\":\"7.4.1\"},\"os\":{\"name\":\"iOS\",\"version\":\"18.1\"}}";
      default -> "{\"app\":{\"name\":\"Treebo\",\"version\":\"7.3.0\"},\"os\":{\"name\":\"Android\",\"version\":\"14\"}}";
    });
    return s.append('}').toString();
  }

  /** Open objects, one per landed hour, rolled at the size limit. */
  private static final class Landing implements AutoCloseable {
    private final String landing;
    private final Configuration hadoop;
    private final long objectBytes;
    private final TreeMap<LocalDateTime, Open> open = new TreeMap<>();
    private final TreeMap<String, Long> newByHour = new TreeMap<>();
    private final Map<String, Long> quarantined = new TreeMap<>();
    private long records;
    private long distinct;
    private long bytes;
    private long serial;

    Landing(String landing, Configuration hadoop, long objectBytes) {
      this.landing = landing;
      this.hadoop = hadoop;
      this.objectBytes = objectBytes;
    }

    void add(Event e) {
      String text = json(e);
      Instant received = e.at.plus(e.sendDelay).plusMillis(800);
      LocalDateTime hour = LocalDateTime.ofInstant(received, ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS);
      distinct++;
      newByHour.merge(hour.toString().substring(0, 13), 1L, Long::sum);
      write(hour, text);
      if (distinct % 10 == 0) {
        write(hour.plusHours(1), text);
      }
    }

    private void write(LocalDateTime hour, String text) {
      Open o = open.get(hour);
      if (o == null) {
        o = new Open(hour, serial++, true);
        open.put(hour, o);
      }
      o.append(text, ++o.count % 7 != 0);
      records++;
      if (o.size >= objectBytes) {
        o.close();
        open.put(hour, new Open(hour, serial++, false));
      }
    }

    void finish() {
      for (Open o : open.values()) {
        o.close();
      }
      open.clear();
    }

    @Override
    public void close() {
      finish();
    }

    /** One object being written. The first of each hour gets three broken records at its end. */
    private final class Open {
      private final LocalDateTime hour;
      private final OutputStream out;
      private final Path path;
      private final boolean firstOfHour;
      private boolean closed;
      private long size;
      private long count;

      Open(LocalDateTime hour, long n, boolean firstOfHour) {
        this.hour = hour;
        this.firstOfHour = firstOfHour;
        this.path = new Path(String.format("%s/year=%04d/month=%02d/day=%02d/hour=%02d/web-events-1-%s-%06d.gz", landing,
            hour.getYear(), hour.getMonthValue(), hour.getDayOfMonth(), hour.getHour(),
            hour.toString().replace(":", "-").replace("T", "-"), n));
        try {
          FileSystem fs = path.getFileSystem(hadoop);
          this.out = new GZIPOutputStream(fs.create(path, true), 256 * 1024);
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot create " + path + ": " + e.getMessage(), e);
        }
      }

      void append(String text, boolean newline) {
        byte[] b = ((size == 0 || !newline ? "" : "\n") + text).getBytes(StandardCharsets.UTF_8);
        write(b);
      }

      private void write(byte[] b) {
        try {
          out.write(b);
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot write " + path + ": " + e.getMessage(), e);
        }
        size += b.length;
        bytes += b.length;
      }

      void close() {
        if (closed) {
          return;
        }
        closed = true;
        if (firstOfHour) {
          String when = hour.atOffset(ZoneOffset.UTC).toInstant().plusSeconds(60).toString();
          write(("\n{\"type\":\"track\",\"event\":\"Hotel Viewed\",\"messageId\":\"broken-" + serial + "\",\"anonymousId\":\"anon-9"
              + "\n{\"type\":\"page\",\"name\":\"Home\",\"anonymousId\":\"anon-x\",\"receivedAt\":\"" + when + "\"}"
              + "\n{\"type\":\"page\",\"name\":\"Home\",\"messageId\":\"badtime-" + hour + "\",\"anonymousId\":\"anon-x\","
              + "\"timestamp\":\"yesterday\",\"receivedAt\":\"" + when + "\"}").getBytes(StandardCharsets.UTF_8));
          records += 3;
          quarantined.merge("not valid JSON", 1L, Long::sum);
          quarantined.merge("no messageId", 1L, Long::sum);
          quarantined.merge("unparseable timestamp 'yesterday'", 1L, Long::sum);
        }
        try {
          out.close();
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot close " + path + ": " + e.getMessage(), e);
        }
      }
    }
  }
}
