package com.treebo.dataplatform.conf;

import java.util.List;

/** One source database ({@code sources.<name>}) and the tables extracted from it. */
public record SourceConfig(String name, JdbcConfig jdbc, List<TableConfig> tables) {
  public SourceConfig {
    tables = List.copyOf(tables);
  }
}
