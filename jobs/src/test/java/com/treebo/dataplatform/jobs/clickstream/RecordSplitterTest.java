package com.treebo.dataplatform.jobs.clickstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordSplitterTest {

  private static List<String> split(String text, int max) {
    List<String> out = new ArrayList<>();
    new RecordSplitter(bytes(text), max).forEachRemaining(r -> out.add(new String(r, StandardCharsets.UTF_8)));
    return out;
  }

  private static InputStream bytes(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void keepsMultiByteCharactersWholeAndCountsBytesNotCharacters() {
    String r = "{\"city\":\"\u092c\u0947\u0902\u0917\u0932\u0941\u0930\u0941 }{\"}";
    assertEquals(List.of(r, "{\"x\":\"\u00e9\"}"), split(r + "\n{\"x\":\"\u00e9\"}", 1000));
    // "a" + quotes + colon + braces are 6 bytes, the accented letter 2: the cut comes after 8 bytes.
    assertEquals(List.of("{\"a\":\"\u00e9", "\"}"), split("{\"a\":\"\u00e9\"}", 8));
    // Only ASCII whitespace separates records; any other stray text is a fragment to quarantine.
    assertEquals(List.of("{\"a\":1}", "\u3000", "{\"b\":2}"), split("{\"a\":1}\u3000{\"b\":2}", 1000));
  }

  @Test
  void splitsNewlineSeparatedAndBackToBackRecords() {
    assertEquals(List.of("{\"a\":1}", "{\"b\":2}", "{\"c\":{\"d\":3}}"), split("{\"a\":1}\n{\"b\":2}{\"c\":{\"d\":3}}\n", 1000));
  }

  @Test
  void neverSplitsInsideStringsOrOnEscapedQuotes() {
    String r = "{\"q\":\"}{ \\\" }{\",\"e\":\"\\\\\"}";
    assertEquals(List.of(r, "{\"x\":1}"), split(r + "{\"x\":1}", 1000));
  }

  @Test
  void aTruncatedRecordEndsAtItsLineAndDoesNotSwallowTheNext() {
    assertEquals(List.of("{\"type\":\"track\",\"anonymousId\":\"anon-9", "{\"ok\":true}"),
        split("{\"type\":\"track\",\"anonymousId\":\"anon-9\n{\"ok\":true}\n", 1000));
  }

  @Test
  void strayTextAndOverlongRecordsComeOutAsFragments() {
    assertEquals(List.of("garbage", "{\"a\":1}"), split("garbage{\"a\":1}", 1000));
    assertEquals(List.of("{\"a\":\"01", "23456\"}"), split("{\"a\":\"0123456\"}", 8));
  }

  @Test
  void readsAcrossBufferBoundariesWithoutHoldingTheStream() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      text.append("{\"i\":").append(i).append(",\"s\":\"}{\"}").append(i % 3 == 0 ? "" : "\r\n");
    }
    List<String> out = split(text.toString(), 1000);
    assertEquals(20_000, out.size());
    assertEquals("{\"i\":19999,\"s\":\"}{\"}", out.get(19_999));
  }
}
