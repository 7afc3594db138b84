package com.treebo.dataplatform.jobs.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.treebo.dataplatform.conf.SecretSource;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/**
 * Reads the configuration's secret from AWS Secrets Manager (AWS SDK for Java v2, the default
 * credentials chain: on EMR the cluster's instance profile). The secret is a JSON object of string
 * values; nothing of it is logged, and an error names the secret, never a value.
 */
public final class AwsSecrets implements SecretSource {
  @Override
  public Map<String, String> read(String secretId, String region, Optional<URI> endpoint) {
    SecretsManagerClientBuilder builder = SecretsManagerClient.builder().region(Region.of(region))
        .httpClientBuilder(UrlConnectionHttpClient.builder());
    endpoint.ifPresent(builder::endpointOverride);
    String json;
    try (SecretsManagerClient client = builder.build()) {
      json = client.getSecretValue(r -> r.secretId(secretId)).secretString();
    }
    if (json == null) {
      throw new IllegalArgumentException("the secret holds binary data, not a JSON object of strings");
    }
    JsonNode node;
    try {
      node = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("the secret is not a JSON object of strings (its value is not shown)");
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("the secret is not a JSON object of strings (its value is not shown)");
    }
    Map<String, String> values = new LinkedHashMap<>();
    node.fields().forEachRemaining(f -> {
      if (!f.getValue().isTextual()) {
        throw new IllegalArgumentException("the secret's value of " + f.getKey() + " is not a string");
      }
      values.put(f.getKey(), f.getValue().asText());
    });
    return values;
  }
}
