package com.treebo.dataplatform.transforms.clickstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class IsoInstantsTest {
  private static long micros(String iso) {
    Instant i = OffsetDateTime.parse(iso).toInstant();
    return i.getEpochSecond() * 1_000_000 + i.getNano() / 1000;
  }

  @Test
  void parsesSegmentTimestampsWithAnyOffsetAndFraction() {
    for (String s : new String[] {"2026-11-20T14:02:11.120+05:30", "2026-11-20T08:32:12.004Z", "2026-11-20T15:10:00+05:30",
        "2019-01-01T00:00:07.000Z", "2026-11-20T08:32:12Z", "2026-11-20T08:32:12.123456789-03:00", "2024-02-29T23:59:59.5Z"}) {
      assertEquals(micros(s), IsoInstants.micros(s), s);
    }
    assertEquals(micros("2026-11-20T14:02:11+05:30"), IsoInstants.micros("2026-11-20T14:02:11+0530"));
  }

  @Test
  void leavesEverythingElseToTheFallback() {
    for (String s : new String[] {"yesterday", "2026-11-20 08:32:12Z", "2026-11-20T08:32:12", "2026-02-30T08:32:12Z",
        "2026-11-20T24:00:00Z", "2026-11-20T08:32:12.Z", "2026-11-20T08:32:12+5:30", "2026-11-20T08:32:12Zjunk"}) {
      assertNull(IsoInstants.micros(s), s);
    }
  }
}
