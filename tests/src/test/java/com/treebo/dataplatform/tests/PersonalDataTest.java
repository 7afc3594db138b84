package com.treebo.dataplatform.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.treebo.dataplatform.transforms.Pii;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** No clear-text personal data in any file of the lake; the hash joins one person across tables. */
class PersonalDataTest {
  private static final String[] CLEAR = {"Asha.Rao@Example.com", "asha.rao@example.com", "98450 12345", "9845012345",
      "Asha Rao", "asha rao", "ravi.k@corp.example", "ರವಿ ಕುಮಾರ್", "09900011122"};

  @Test
  void noLakeFileHoldsAnyClearTextPersonalValue() throws Exception {
    Scenario s = TestPlatform.get().newScenario("pii");
    Extracts.createContractSchemas(s);
    try (Connection c = s.booking()) {
      Extracts.execute(c, "INSERT INTO crm.guest (guest_id, full_name, email, phone) VALUES"
          + " (1, 'Asha Rao', ' Asha.Rao@Example.com ', '+91 98450 12345'),"
          + " (2, 'ರವಿ ಕುಮಾರ್', 'ravi.k@corp.example', '09900011122'),"
          + " (3, '  asha   RAO ', 'asha.rao@example.com', '9845012345'),"
          + " (4, 'No Contact', NULL, NULL)");
    }
    Extracts.runOne(s, "", "crm.guest");
    try (Connection c = s.booking()) {
      Extracts.execute(c, "UPDATE crm.guest SET email = upper(email) WHERE guest_id = 2");
    }
    Extracts.runOne(s, "", "crm.guest");

    // The same person hashes the same: guests 1 and 3 differ only in formatting.
    List<Row> rows = Extracts.lake(s, "crm_guest").orderBy("guest_id").select("full_name", "email", "phone").collectAsList();
    assertEquals(rows.get(0), rows.get(2));
    byte[] key = "test-only-pii-key".getBytes(StandardCharsets.UTF_8);
    assertEquals(Pii.hmac("asha.rao@example.com", key), rows.get(0).getString(1));
    assertEquals(Pii.hmac("919845012345", key), rows.get(0).getString(2));
    assertEquals("[null,null]", rows.get(3).toString().replaceFirst("^\\[[0-9a-f]{64},", "["));

    Path lakeFolder = TestPlatform.get().home().resolve("s3").resolve(TestPlatform.bucket()).resolve(s.id());
    List<Path> files;
    try (Stream<Path> walk = Files.walk(lakeFolder)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertTrue(files.stream().anyMatch(f -> f.toString().contains("/raw/crm_guest/ingest_date=")), "raw zone present: " + files);
    assertTrue(files.stream().anyMatch(f -> f.toString().contains("/_delta_log/")), "delta log present");
    List<String> leaks = new ArrayList<>();
    for (Path f : files) {
      String text = f.toString().endsWith(".parquet")
          ? parquetAsText(f)
          : new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
      for (String clear : CLEAR) {
        if (text.toLowerCase().contains(clear.toLowerCase())) {
          leaks.add(clear + " in " + f);
        }
      }
    }
    assertEquals(List.of(), leaks);
    assertFalse(files.isEmpty());
  }

  /** Every value of a Parquet file as JSON text (decoded, so compression cannot hide a value). */
  private static String parquetAsText(Path f) throws IOException {
    return String.join("\n", TestPlatform.get().spark().read().parquet("file://" + f).toJSON().collectAsList());
  }
}
