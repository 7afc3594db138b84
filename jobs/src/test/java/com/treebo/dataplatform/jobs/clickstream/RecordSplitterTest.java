package com.treebo.dataplatform.jobs.clickstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordSplitterTest {

  private static List<String> split(String text, int max) {
    List<String> out = new ArrayList<>();
    new RecordSplitter(new StringReader(text), max).forEachRemaining(out::add);
    return out;
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
    Reader in = new StringReader(text.toString());
    List<String> out = new ArrayList<>();
    new RecordSplitter(in, 1000).forEachRemaining(out::add);
    assertEquals(20_000, out.size());
    assertEquals("{\"i\":19999,\"s\":\"}{\"}", out.get(19_999));
  }
}
