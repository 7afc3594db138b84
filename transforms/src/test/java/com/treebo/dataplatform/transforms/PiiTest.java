package com.treebo.dataplatform.transforms;

import static com.treebo.dataplatform.transforms.DatasetAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class PiiTest {
  private static final byte[] KEY = "unit-test-key".getBytes(StandardCharsets.UTF_8);

  @Test
  void phoneFormatsOfOneNumberNormaliseAlike() {
    for (String phone : new String[] {"+91 98450 12345", "09845012345", "9845012345", "0091-98450-12345", " 919845012345 "}) {
      assertEquals("919845012345", Pii.normalise(phone, Pii.Kind.PHONE, "91"), phone);
    }
  }

  @Test
  void emailIsTrimmedAndLowerCasedAndBlankIsNull() {
    assertEquals("asha.rao@example.com", Pii.normalise(" Asha.Rao@Example.com ", Pii.Kind.EMAIL, "91"));
    assertNull(Pii.normalise("   ", Pii.Kind.EMAIL, "91"));
    assertNull(Pii.hmac(null, KEY));
  }

  @Test
  void nameWhitespaceAndCaseDoNotChangeTheHash() {
    assertEquals(Pii.normalise("asha rao", Pii.Kind.NAME, "91"), Pii.normalise("  Asha   RAO ", Pii.Kind.NAME, "91"));
  }

  @Test
  void hashDependsOnTheKey() {
    assertNotEquals(Pii.hmac("x", KEY), Pii.hmac("x", "other".getBytes(StandardCharsets.UTF_8)));
    assertEquals(64, Pii.hmac("x", KEY).length());
  }

  @Test
  void hashColumnsReplacesValuesInPlaceWithTheDriverSideHash() {
    Dataset<Row> input = TestSpark.get().sql(
        "SELECT * FROM VALUES (1, ' Asha.Rao@Example.com ', '+91 98450 12345'), (2, CAST(NULL AS STRING), '') AS t(guest_id, email, phone)");
    Dataset<Row> hashed = Pii.hashColumns(input, Map.of("email", Pii.Kind.EMAIL, "phone", Pii.Kind.PHONE), KEY, "91");
    String email = Pii.hmac("asha.rao@example.com", KEY);
    String phone = Pii.hmac("919845012345", KEY);
    Dataset<Row> expected = TestSpark.get().sql("SELECT * FROM VALUES (1, '" + email + "', '" + phone + "'), "
        + "(2, CAST(NULL AS STRING), CAST(NULL AS STRING)) AS t(guest_id, email, phone)");
    assertSameRows(expected, hashed);
  }

  @Test
  void missingColumnIsNamed() {
    Dataset<Row> input = TestSpark.get().sql("SELECT 1 AS guest_id");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Pii.hashColumns(input, Map.of("email", Pii.Kind.EMAIL), KEY, "91"));
    assertEquals("Pii.hashColumns needs columns [email] (input has [guest_id])", e.getMessage());
  }
}
