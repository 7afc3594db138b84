package com.treebo.dataplatform.conf;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The whole configuration, parsed once into immutable records. Built-in defaults live in
 * {@code reference.conf}; an overlay (the {@code --conf} file) is layered over them; {@code ${?VAR}}
 * substitutions read the environment, which is where secrets come from.
 */
public record PlatformConfig(
    LocalConfig local,
    SparkSettings spark,
    LakeConfig lake,
    JdbcConfig control,
    PiiConfig pii,
    ExtractConfig extract,
    List<SourceConfig> sources,
    ClickstreamConfig clickstream) {

  public PlatformConfig {
    sources = List.copyOf(sources);
  }

  /** The built-in defaults alone. */
  public static PlatformConfig defaults() {
    return load(Optional.empty(), "built-in defaults");
  }

  /**
   * Parses {@code overlay} (HOCON text, e.g. the --conf file) over the built-in defaults.
   *
   * @param origin names the overlay in error messages, e.g. the file's path
   */
  public static PlatformConfig load(Optional<String> overlay, String origin) {
    Config layered;
    try {
      Config over = overlay
          .map(text -> ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription(origin)))
          .orElse(ConfigFactory.empty());
      layered = over.withFallback(ConfigFactory.parseResources(PlatformConfig.class.getClassLoader(), "reference.conf"))
          .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(true));
    } catch (ConfigException e) {
      throw new InvalidConfigException(origin, e.getMessage(), e);
    }
    return from(layered);
  }

  /** Parses an already layered and resolved {@link Config}. */
  public static PlatformConfig from(Config c) {
    ConfigReader r = new ConfigReader(c, "");
    ConfigReader localR = r.child("local");
    Path home = Path.of(localR.string("home")).toAbsolutePath().normalize();
    LocalConfig local = new LocalConfig(
        localR.bool("enabled"), home, localR.port("postgres-port"), localR.port("s3-port"));

    ConfigReader sparkR = r.child("spark");
    SparkSettings spark = new SparkSettings(
        sparkR.string("master"), sparkR.positiveInt("shuffle-partitions"), sparkR.string("time-zone"));

    ConfigReader lakeR = r.child("lake");
    LakeConfig lake = new LakeConfig(
        lakeRoot(lakeR.string("root"), lakeR.key("root")), Identifiers.require(lakeR.string("database"), lakeR.key("database")));

    ConfigReader piiR = r.child("pii");
    PiiConfig pii = piiR.build(() -> new PiiConfig(
        new Secret(piiR.string("hash-key")), piiR.string("default-country-code")));

    ConfigReader extractR = r.child("extract");
    ExtractConfig extract = extractR.build(() -> new ExtractConfig(
        extractR.positiveLong("rows-per-partition"), extractR.positiveInt("max-partitions"), extractR.duration("overlap")));

    List<SourceConfig> sources = new ArrayList<>();
    ConfigReader sourcesR = r.child("sources");
    for (String name : new TreeSet<>(sourcesR.keys())) {
      sources.add(SourceParser.parse(sourcesR.child(name), name));
    }

    ConfigReader clickR = r.child("clickstream");
    ClickstreamConfig clickstream = new ClickstreamConfig(
        lakeRoot(clickR.string("landing"), clickR.key("landing")), clickR.duration("session-gap"), clickR.duration("late-arrival-window"),
        clickR.duration("relink-window"));

    return new PlatformConfig(local, spark, lake, jdbc(r.child("control")), pii, extract, sources, clickstream);
  }

  /** The table with {@code id} ({@code source.schema.table}) or {@code schema.table}, if configured. */
  public Optional<TableConfig> table(String name) {
    return sources.stream().flatMap(s -> s.tables().stream())
        .filter(t -> t.id().equals(name) || t.qualifiedName().equals(name))
        .findFirst();
  }

  /** Every configured table, in source then table order. */
  public List<TableConfig> tables() {
    return sources.stream().flatMap(s -> s.tables().stream()).toList();
  }

  /** The source database a table belongs to. */
  public SourceConfig source(TableConfig table) {
    return sources.stream().filter(s -> s.name().equals(table.source())).findFirst().orElseThrow();
  }

  static JdbcConfig jdbc(ConfigReader r) {
    return r.build(() -> new JdbcConfig(r.string("jdbc-url"), r.string("user"), new Secret(r.string("password"))));
  }

  private static String lakeRoot(String root, String key) {
    if (root.isBlank()) {
      throw new InvalidConfigException(key, "must not be empty");
    }
    if (root.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
      if (!(root.startsWith("file:") || root.startsWith("s3a://") || root.startsWith("s3://"))) {
        throw new InvalidConfigException(key, "'" + root + "' must be a file:, s3a:// or s3:// URI");
      }
      return root;
    }
    URI uri = Path.of(root).toAbsolutePath().normalize().toUri();
    return uri.toString();
  }
}
