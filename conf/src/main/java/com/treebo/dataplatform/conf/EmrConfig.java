package com.treebo.dataplatform.conf;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the night is submitted to Amazon EMR ({@code bin/dataplatform emr steps|submit|airflow}).
 * Read from the same file the jobs read ({@code conf/prod.conf}), but alone: the operator who
 * submits the steps does not hold the jobs' secrets, so the other blocks' {@code ${VAR}}
 * substitutions are left unresolved here.
 *
 * @param region the AWS region of the cluster
 * @param jar the {@code s3://} URI of {@code dataplatform-emr.jar}
 * @param conf the {@code s3://} URI of the configuration file every step passes with {@code --conf}
 * @param sparkSubmitArgs options every step gives {@code spark-submit} before the jar
 * @param pollInterval how often {@code emr submit} asks for the steps' states
 * @param endpoint an EMR endpoint replacing the region's (a VPC endpoint; tests)
 * @param night the night's settings, for the pipeline definition
 */
public record EmrConfig(String region, String jar, String conf, List<String> sparkSubmitArgs, Duration pollInterval,
    Optional<URI> endpoint, NightConfig night) {
  public EmrConfig {
    sparkSubmitArgs = List.copyOf(sparkSubmitArgs);
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("poll-interval must be positive");
    }
  }

  /** The {@code emr} and {@code night} blocks of {@code overlay} over the built-in defaults; other blocks are not read. */
  public static EmrConfig load(Optional<String> overlay, String origin) {
    Config layered;
    try {
      Config over = overlay
          .map(text -> ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription(origin)))
          .orElse(ConfigFactory.empty());
      layered = over.withFallback(ConfigFactory.parseResources(EmrConfig.class.getClassLoader(), "reference.conf"))
          .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(true).setAllowUnresolved(true));
    } catch (ConfigException e) {
      throw new InvalidConfigException(origin, e.getMessage(), e);
    }
    ConfigReader r = new ConfigReader(layered, "");
    NightConfig night = PlatformConfig.night(r.child("night"));
    ConfigReader e = r.child("emr");
    String jar = s3(e, "jar");
    String conf = s3(e, "conf");
    Optional<URI> endpoint = e.optionalString("endpoint").filter(s -> !s.isBlank()).map(s -> {
      try {
        return URI.create(s);
      } catch (IllegalArgumentException bad) {
        throw new InvalidConfigException(e.key("endpoint"), "'" + s + "' is not a URI", bad);
      }
    });
    return e.build(() -> new EmrConfig(e.string("region"), jar, conf, e.stringList("spark-submit-args"), e.duration("poll-interval"),
        endpoint, night));
  }

  private static String s3(ConfigReader e, String key) {
    String value = e.string(key);
    if (!value.startsWith("s3://")) {
      throw new InvalidConfigException(e.key(key), value.isBlank()
          ? "is not set: give the s3:// URI the steps read it from (conf/prod.conf sets it)"
          : "'" + value + "' is not an s3:// URI: EMR steps read the jar and the configuration from S3");
    }
    return value;
  }
}
