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
    ControlConfig control,
    PiiConfig pii,
    ExtractConfig extract,
    List<SourceConfig> sources,
    ClickstreamConfig clickstream,
    ModelConfig model,
    WarehouseConfig warehouse,
    NightConfig night,
    CatalogConfig catalog) {

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
    return load(overlay, origin, SecretSource.NONE);
  }

  /**
   * Parses {@code overlay} over the built-in defaults; when {@code secrets.aws-secret-id} is set,
   * the secret's name/value pairs, read once from {@code secrets}, are what {@code ${VAR}}
   * substitutions find first (then the environment).
   */
  public static PlatformConfig load(Optional<String> overlay, String origin, SecretSource secrets) {
    Config layered;
    try {
      Config over = overlay
          .map(text -> ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription(origin)))
          .orElse(ConfigFactory.empty());
      Config unresolved = over.withFallback(ConfigFactory.parseResources(PlatformConfig.class.getClassLoader(), "reference.conf"));
      Config secretLayer = secretLayer(unresolved, secrets);
      // The secret's pairs sit under everything else, at the root: ${NAME} finds them before the environment.
      layered = unresolved.withFallback(secretLayer).resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(true));
    } catch (ConfigException e) {
      throw new InvalidConfigException(origin, e.getMessage(), e);
    }
    return from(layered);
  }

  /** The secret's pairs as a config layer, or an empty one when no secret is configured. */
  private static Config secretLayer(Config unresolved, SecretSource secrets) {
    Config partly = unresolved.resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(true).setAllowUnresolved(true));
    ConfigReader r = new ConfigReader(partly, "").child("secrets");
    String id = r.string("aws-secret-id");
    if (id.isBlank()) {
      return ConfigFactory.empty();
    }
    Optional<URI> endpoint = r.optionalString("endpoint").filter(e -> !e.isBlank()).map(URI::create);
    java.util.Map<String, String> values;
    try {
      values = secrets.read(id, r.string("region"), endpoint);
    } catch (RuntimeException e) {
      throw new InvalidConfigException(r.key("aws-secret-id"), "cannot read secret '" + id + "' from AWS Secrets Manager in "
          + r.string("region") + ": " + e.getMessage() + " (check the secret's name and that this role may call"
          + " secretsmanager:GetSecretValue on it)", e);
    }
    return ConfigFactory.parseMap(values, "secret " + id);
  }

  /** Parses an already layered and resolved {@link Config}. */
  public static PlatformConfig from(Config c) {
    ConfigReader r = new ConfigReader(c, "");
    ConfigReader localR = r.child("local");
    Path home = Path.of(localR.string("home")).toAbsolutePath().normalize();
    LocalConfig local = new LocalConfig(
        localR.bool("enabled"), home, localR.port("postgres-port"), localR.port("s3-port"));

    ConfigReader sparkR = r.child("spark");
    SparkSettings spark = sparkR.build(() -> new SparkSettings(
        sparkR.string("master"), sparkR.positiveInt("shuffle-partitions"), sparkR.string("time-zone")));

    ConfigReader lakeR = r.child("lake");
    LakeConfig lake = new LakeConfig(
        lakeRoot(lakeR.string("root"), lakeR.key("root")), Identifiers.require(lakeR.string("database"), lakeR.key("database")));

    ConfigReader piiR = r.child("pii");
    PiiConfig pii = piiR.build(() -> new PiiConfig(
        new Secret(piiR.string("hash-key")), piiR.string("default-country-code")));
    if (!local.enabled() && pii.hashKey().isEmpty()) {
      throw new InvalidConfigException(piiR.key("hash-key"), "is empty. Outside local runs the HMAC key that replaces personal"
          + " data must be given: set the environment variable DATAPLATFORM_PII_KEY (e.g. from AWS Secrets Manager in the EMR step)");
    }

    ConfigReader extractR = r.child("extract");
    ConfigReader massR = extractR.child("mass-delete");
    ExtractConfig extract = extractR.build(() -> new ExtractConfig(
        extractR.positiveLong("rows-per-partition"), extractR.positiveInt("max-partitions"), extractR.duration("overlap"),
        massR.share("max-share"), massR.nonNegativeLong("min-rows"), extractR.positiveInt("parallel-tables")));

    List<SourceConfig> sources = new ArrayList<>();
    ConfigReader sourcesR = r.child("sources");
    for (String name : new TreeSet<>(sourcesR.keys())) {
      sources.add(SourceParser.parse(sourcesR.child(name), name));
    }

    ConfigReader clickR = r.child("clickstream");
    ClickstreamConfig clickstream = new ClickstreamConfig(
        lakeRoot(clickR.string("landing"), clickR.key("landing")), clickR.duration("session-gap"), clickR.duration("late-arrival-window"),
        clickR.bytes("batch-size"));

    ConfigReader controlR = r.child("control");
    JdbcConfig controlJdbc = jdbc(controlR);
    ControlConfig control = controlR.build(() -> new ControlConfig(controlJdbc, controlR.duration("lock-wait")));
    ConfigReader modelR = r.child("model");
    ModelConfig model = modelR.build(() -> new ModelConfig(Identifiers.require(modelR.string("database"), modelR.key("database")),
        Identifiers.require(modelR.string("report-database"), modelR.key("report-database")), modelR.positiveInt("years-ahead"),
        modelR.positiveInt("max-stay-nights"), modelR.optionalString("holidays").filter(h -> !h.isBlank()),
        modelR.positiveInt("parallel-tables")));
    if (model.database().equals(lake.database()) || model.reportDatabase().equals(lake.database())) {
      throw new InvalidConfigException(modelR.key("database"), "the model's databases must differ from lake.database ("
          + lake.database() + "): the model's tables would mix with the lake's");
    }
    ConfigReader whR = r.child("warehouse");
    JdbcConfig whJdbc = jdbc(whR);
    WarehouseConfig warehouse = whR.build(() -> new WarehouseConfig(whJdbc, Identifiers.require(whR.string("schema"), whR.key("schema")),
        Identifiers.require(whR.string("report-schema"), whR.key("report-schema")),
        Identifiers.require(whR.string("staging-schema"), whR.key("staging-schema")),
        whR.optionalString("iam-role").filter(v -> !v.isBlank()), whR.optionalString("staging").filter(v -> !v.isBlank())));
    NightConfig night = night(r.child("night"));
    ConfigReader spectrumR = r.child("catalog").child("spectrum");
    CatalogConfig catalog = spectrumR.build(() -> new CatalogConfig(spectrumR.stringList("tables"),
        Identifiers.require(spectrumR.string("schema"), spectrumR.key("schema")),
        Identifiers.require(spectrumR.string("glue-database"), spectrumR.key("glue-database")),
        spectrumR.optionalString("iam-role").filter(v -> !v.isBlank())));
    if (List.of(lake.database(), model.database(), model.reportDatabase()).contains(catalog.spectrumDatabase())) {
      throw new InvalidConfigException(spectrumR.key("glue-database"), "'" + catalog.spectrumDatabase() + "' is a database the"
          + " platform's Spark tables are registered in; Redshift writes its own external-table entries into this one, so it must"
          + " be a database of its own (e.g. spectrum)");
    }
    return new PlatformConfig(local, spark, lake, control, pii, extract, sources, clickstream, model, warehouse, night, catalog);
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

  static NightConfig night(ConfigReader nightR) {
    return nightR.build(() -> new NightConfig(zone(nightR), nightR.duration("maintain-every"), nightR.duration("vacuum-retention")));
  }

  private static java.time.ZoneId zone(ConfigReader r) {
    String zone = r.string("time-zone");
    try {
      return java.time.ZoneId.of(zone);
    } catch (java.time.DateTimeException e) {
      throw new InvalidConfigException(r.key("time-zone"), "'" + zone + "' is not a time zone (use a region id such as Asia/Kolkata)");
    }
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
