package com.treebo.dataplatform.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The source contracts packaged in the jobs jar are byte-for-byte the shared ones, so a change of
 * the contract cannot go unnoticed. Skipped where the shared folder is not checked out (surefire
 * points {@code dataplatform.contracts.dir} at it).
 */
class ContractCopiesTest {

  @ParameterizedTest
  @ValueSource(strings = {"booking.sql", "inventory.sql"})
  void packagedContractIsIdenticalToTheSharedOne(String file) throws Exception {
    String dir = System.getProperty("dataplatform.contracts.dir");
    Assumptions.assumeTrue(dir != null && Files.isDirectory(Path.of(dir)),
        "shared contracts folder not available: " + dir);
    byte[] shared = Files.readAllBytes(Path.of(dir, "source", file));
    try (InputStream packaged = ContractCopiesTest.class.getResourceAsStream("/contracts/source/" + file)) {
      assertNotNull(packaged, "/contracts/source/" + file + " is missing from the jobs jar");
      assertArrayEquals(shared, packaged.readAllBytes(),
          "jobs/src/main/resources/contracts/source/" + file + " differs from " + Path.of(dir, "source", file)
              + ": copy the shared contract again and adapt the extract configuration to it");
    }
  }
}
