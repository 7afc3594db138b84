package com.treebo.dataplatform.jobs.clickstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Splits a stream of landed JSON records (UTF-8 bytes) into one byte array per record, reading it
 * once, a buffer at a time: records separated by newlines and records back to back
 * ({@code ...}{"type":...}) both come out whole, and a {@code }{} inside a string value never splits
 * (the scanner tracks brace depth, string and escape state). It works on bytes, not characters: every
 * byte of a multi-byte UTF-8 character is above 0x7F, so it can never be mistaken for a quote, brace,
 * backslash or newline, and the records need no decoding until they are parsed.
 *
 * <p>A record never spans lines: Firehose records are compact JSON, and a raw newline is not legal
 * inside a JSON string. So a newline ends whatever is open — a record cut short by a truncated write
 * comes out alone, and the next line's record is not swallowed into it. Text outside any object
 * (stray bytes other than ASCII whitespace) comes out as its own record, so the parser quarantines
 * it. A record longer than {@code maxBytes} is cut there and comes out as a fragment (it will not
 * parse), bounding memory.
 */
final class RecordSplitter implements Iterator<byte[]> {
  private final InputStream in;
  private final int maxBytes;
  private final byte[] buffer = new byte[64 * 1024];
  private int length;
  private int index;
  private boolean eof;
  private byte[] record = new byte[4096];
  private int size;
  private byte[] next;

  RecordSplitter(InputStream in, int maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
  }

  @Override
  public boolean hasNext() {
    if (next == null) {
      next = scan();
    }
    return next != null;
  }

  @Override
  public byte[] next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    byte[] r = next;
    next = null;
    return r;
  }

  /** The next record, or null at the end of the stream. */
  private byte[] scan() {
    int depth = 0;
    boolean inString = false;
    boolean escaped = false;
    size = 0;
    while (true) {
      if (index == length && !fill()) {
        return size == 0 ? null : take();
      }
      byte c = buffer[index++];
      if (c == '\n' || c == '\r') {
        if (size > 0) {
          return take();
        }
        continue;
      }
      if (depth == 0 && !inString) {
        if (c == '{') {
          if (size > 0) {
            index--; // stray text before this object: emit it alone, then start the object afresh
            return take();
          }
          depth = 1;
          append(c);
        } else if (!whitespace(c)) {
          append(c);
        }
        continue;
      }
      append(c);
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
        return take();
      }
      if (size >= maxBytes) {
        return take();
      }
    }
  }

  /** ASCII whitespace, as {@link Character#isWhitespace} has it. */
  private static boolean whitespace(byte c) {
    return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
  }

  private void append(byte c) {
    if (size == record.length) {
      record = Arrays.copyOf(record, Math.min(Math.max(size * 2, 16), Math.max(maxBytes, 16)));
    }
    record[size++] = c;
  }

  private byte[] take() {
    return Arrays.copyOf(record, size);
  }

  private boolean fill() {
    if (eof) {
      return false;
    }
    try {
      int n = in.read(buffer, 0, buffer.length);
      if (n < 0) {
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
