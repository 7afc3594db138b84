package com.treebo.dataplatform.conf;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Where the configuration's {@code ${VAR}} substitutions find secrets besides the environment: a
 * secret store read once when the configuration is parsed (on EMR, AWS Secrets Manager; see
 * {@code secrets} in reference.conf). The values are never logged or written anywhere.
 */
@FunctionalInterface
public interface SecretSource {
  /** No secret store: substitutions read the environment only. */
  SecretSource NONE = (id, region, endpoint) -> {
    throw new IllegalStateException("no secret store is available to read " + id);
  };

  /**
   * The name/value pairs of secret {@code secretId} (a JSON object of strings).
   *
   * @param endpoint an endpoint replacing the region's, if set
   */
  Map<String, String> read(String secretId, String region, Optional<URI> endpoint);
}
