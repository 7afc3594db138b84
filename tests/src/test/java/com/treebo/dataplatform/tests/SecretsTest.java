package com.treebo.dataplatform.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import com.treebo.dataplatform.conf.InvalidConfigException;
import com.treebo.dataplatform.conf.PlatformConfig;
import com.treebo.dataplatform.jobs.runtime.AwsSecrets;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Passwords from AWS Secrets Manager: the configuration's {@code ${VAR}} substitutions resolved
 * from the secret {@code secrets.aws-secret-id}, read once through the AWS SDK (here from a local
 * HTTP endpoint standing in for Secrets Manager's API), and never shown in an error.
 */
class SecretsTest {
  private static final String PASSWORD = "s3cr3t-c0ntrol-Pa55";
  private HttpServer server;
  private final List<String> secretIds = new CopyOnWriteArrayList<>();
  private volatile String secretString;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      assertEquals("secretsmanager.GetSecretValue", exchange.getRequestHeaders().getFirst("X-Amz-Target"));
      var body = new ObjectMapper().readTree(exchange.getRequestBody().readAllBytes());
      secretIds.add(body.get("SecretId").asText());
      var response = new ObjectMapper().createObjectNode();
      response.put("Name", body.get("SecretId").asText());
      response.put("SecretString", secretString);
      byte[] bytes = response.toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
    System.setProperty("aws.secretAccessKey", "local-test-only-not-a-real-key");
  }

  @AfterEach
  void stop() {
    server.stop(0);
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  private PlatformConfig load(String extra) {
    return PlatformConfig.load(Optional.of("secrets { aws-secret-id = \"dataplatform/prod\", endpoint = \"http://127.0.0.1:"
        + server.getAddress().getPort() + "\" }\n" + extra), "secrets test", new AwsSecrets());
  }

  @Test
  void substitutionsAreResolvedFromTheSecret() {
    secretString = "{\"DATAPLATFORM_CONTROL_PASSWORD\": \"" + PASSWORD + "\", \"WAREHOUSE_PW\": \"w-pass\"}";
    PlatformConfig config = load("control.password = ${DATAPLATFORM_CONTROL_PASSWORD}\nwarehouse.password = ${WAREHOUSE_PW}\n");
    assertEquals(PASSWORD, config.control().jdbc().password().reveal());
    assertEquals("w-pass", config.warehouse().jdbc().password().reveal());
    assertEquals(List.of("dataplatform/prod"), secretIds, "read once");
    assertFalse(config.toString().contains(PASSWORD), "the parsed configuration never prints a password");
  }

  @Test
  void aNameTheSecretLacksIsAConfigurationErrorNamingItAndNoValue() {
    secretString = "{\"DATAPLATFORM_CONTROL_PASSWORD\": \"" + PASSWORD + "\"}";
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> load("control.password = ${DATAPLATFORM_CONTROL_PASSWORD}\nwarehouse.password = ${WAREHOUSE_PW}\n"));
    assertTrue(e.getMessage().contains("WAREHOUSE_PW"), e.getMessage());
    assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
  }

  @Test
  void aSecretThatIsNotAnObjectOfStringsIsNamedWithoutItsValue() {
    secretString = "not json " + PASSWORD;
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> load(""));
    assertTrue(e.getMessage().startsWith("Invalid configuration at secrets.aws-secret-id: cannot read secret 'dataplatform/prod'"
        + " from AWS Secrets Manager in ap-south-1: the secret is not a JSON object of strings (its value is not shown)"), e.getMessage());
    assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
  }
}
