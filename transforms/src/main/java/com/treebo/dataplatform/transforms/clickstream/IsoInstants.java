package com.treebo.dataplatform.transforms.clickstream;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * ISO-8601 instants as Segment writes them ({@code 2026-11-20T14:02:11.120+05:30}, {@code ...Z}),
 * parsed without Spark's string-to-timestamp cast, which compiles regular expressions for every
 * zone offset it meets (it was the costliest part of parsing a record). Callers fall back to that
 * cast's rules for anything else ({@link SegmentRecords}), so the accepted formats are unchanged.
 */
final class IsoInstants {
  private IsoInstants() {}

  /**
   * Microseconds since the epoch of {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:MM|±HHMM)}, or null
   * when {@code s} is not exactly that.
   */
  static Long micros(String s) {
    if (s == null || s.length() < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
        || s.charAt(13) != ':' || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
      return null;
    }
    int i = 19;
    long nanos = 0;
    if (s.charAt(i) == '.') {
      int start = ++i;
      while (i < s.length() && Character.isDigit(s.charAt(i)) && i - start < 9) {
        nanos = nanos * 10 + (s.charAt(i++) - '0');
      }
      if (i == start || (i < s.length() && Character.isDigit(s.charAt(i)))) {
        return null;
      }
      for (int k = i - start; k < 9; k++) {
        nanos *= 10;
      }
    }
    int offset;
    if (i == s.length() - 1 && s.charAt(i) == 'Z') {
      offset = 0;
    } else if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      int sign = s.charAt(i) == '+' ? 1 : -1;
      String zone = s.substring(i + 1);
      int hh;
      int mm;
      if (zone.length() == 5 && zone.charAt(2) == ':') {
        hh = digits(zone, 0, 2);
        mm = digits(zone, 3, 2);
      } else if (zone.length() == 4) {
        hh = digits(zone, 0, 2);
        mm = digits(zone, 2, 2);
      } else {
        return null;
      }
      if (hh < 0 || mm < 0 || hh > 18 || mm > 59) {
        return null;
      }
      offset = sign * (hh * 3600 + mm * 60);
    } else {
      return null;
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException e) {
      return null;
    }
    long seconds = epochDay * 86400 + hour * 3600L + minute * 60L + second - offset;
    return seconds * 1_000_000 + nanos / 1000;
  }

  /** The non-negative number in {@code s[from, from + n)}, or -1 if any of it is not a digit. */
  private static int digits(String s, int from, int n) {
    int v = 0;
    for (int k = from; k < from + n; k++) {
      char c = s.charAt(k);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
