package com.treebo.dataplatform.jobs.clickstream;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Splits a stream of landed JSON records into one string per record, reading it once, a buffer at a
 * time: records separated by newlines and records back to back ({@code ...}{"type":...}) both come
 * out whole, and a {@code }{} inside a string value never splits (the scanner tracks brace depth,
 * string and escape state).
 *
 * <p>A record never spans lines: Firehose records are compact JSON, and a raw newline is not legal
 * inside a JSON string. So a newline ends whatever is open — a record cut short by a truncated write
 * comes out alone, and the next line's record is not swallowed into it. Text outside any object
 * (stray characters) comes out as its own record, so the parser quarantines it. A record longer than
 * {@code maxChars} is cut there and comes out as a fragment (it will not parse), bounding memory.
 */
final class RecordSplitter implements Iterator<String> {
  private final Reader in;
  private final int maxChars;
  private final char[] buffer = new char[64 * 1024];
  private int length;
  private int index;
  private boolean eof;
  private final StringBuilder record = new StringBuilder(1024);
  private String next;

  RecordSplitter(Reader in, int maxChars) {
    this.in = in;
    this.maxChars = maxChars;
  }

  @Override
  public boolean hasNext() {
    if (next == null) {
      next = scan();
    }
    return next != null;
  }

  @Override
  public String next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    String r = next;
    next = null;
    return r;
  }

  /** The next record, or null at the end of the stream. */
  private String scan() {
    int depth = 0;
    boolean inString = false;
    boolean escaped = false;
    record.setLength(0);
    while (true) {
      if (index == length && !fill()) {
        return record.isEmpty() ? null : record.toString();
      }
      char c = buffer[index++];
      if (c == '\n' || c == '\r') {
        if (!record.isEmpty()) {
          return record.toString();
        }
        continue;
      }
      if (depth == 0 && !inString) {
        if (c == '{') {
          if (!record.isEmpty()) {
            index--; // stray text before this object: emit it alone, then start the object afresh
            return record.toString();
          }
          depth = 1;
          record.append(c);
        } else if (!Character.isWhitespace(c)) {
          record.append(c);
        }
        continue;
      }
      record.append(c);
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return record.toString();
      }
      if (record.length() >= maxChars) {
        return record.toString();
      }
    }
  }

  private boolean fill() {
    if (eof) {
      return false;
    }
    try {
      int n = in.read(buffer, 0, buffer.length);
      if (n <= 0) {
        eof = true;
        return false;
      }
      length = n;
      index = 0;
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
