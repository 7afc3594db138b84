package com.treebo.dataplatform.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import com.treebo.dataplatform.conf.EmrConfig;
import com.treebo.dataplatform.jobs.cli.Main;
import com.treebo.dataplatform.jobs.emr.AirflowDag;
import com.treebo.dataplatform.jobs.emr.EmrSteps;
import com.treebo.dataplatform.jobs.night.Pipeline;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The night on EMR, from the pipeline definition and {@code conf/prod.conf}: the add-steps JSON
 * against a golden file, the Airflow DAG in {@code emr/airflow/} against the pipeline, and
 * {@code emr submit} against a local HTTP endpoint standing in for EMR's API (the AWS SDK's real
 * requests, recorded and checked; a failed step's reason reported and exit 1).
 */
class EmrTest {
  private static final LocalDate NIGHT = LocalDate.of(2026, 11, 30);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The project's root: the tests run in tests/. */
  private static Path project() {
    Path here = Path.of("").toAbsolutePath();
    return Files.exists(here.resolve("conf/prod.conf")) ? here : here.getParent();
  }

  private static EmrConfig prod(String extra) throws Exception {
    Path prod = project().resolve("conf/prod.conf");
    return EmrConfig.load(Optional.of(Files.readString(prod) + "\n" + extra), prod.toString());
  }

  private static String golden() throws Exception {
    return new String(EmrTest.class.getResourceAsStream("/golden/emr-steps.json").readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void theStepsOfTheNightMatchTheGoldenFileAndNeedNoSecrets() throws Exception {
    // prod.conf's other blocks read secrets from the environment, which is not set here: not needed.
    EmrConfig emr = prod("");
    assertEquals(golden(), EmrSteps.addStepsJson("j-2AXXXXXXGAPLF", EmrSteps.of(Pipeline.night(emr.night()), emr, NIGHT)));
  }

  @Test
  void theAirflowDagIsTheOneThePipelineGenerates() throws Exception {
    EmrConfig emr = prod("");
    Path dag = project().resolve("emr/airflow/dataplatform_night.py");
    assertEquals(AirflowDag.render(Pipeline.night(emr.night()), emr), Files.readString(dag),
        dag + " differs from the pipeline: regenerate it with bin/dataplatform --conf conf/prod.conf emr airflow --out " + dag);
    for (Pipeline.Step s : Pipeline.night(emr.night()).steps()) {
      assertTrue(Files.readString(dag).contains("steps=step(\"" + s.name() + "\")"), s.name());
    }
  }

  @Test
  void submitSendsTheStepsThroughTheSdkAndReportsAFailedStep() throws Exception {
    List<JsonNode> requests = new CopyOnWriteArrayList<>();
    List<String> targets = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
      targets.add(target);
      requests.add(body);
      String response;
      if (target.endsWith(".AddJobFlowSteps")) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < body.get("Steps").size(); i++) {
          ids.add("\"s-" + i + "\"");
        }
        response = "{\"StepIds\":[" + String.join(",", ids) + "]}";
      } else {
        String id = body.get("StepId").asText();
        String status = id.equals("s-3") ? "{\"State\":\"FAILED\",\"FailureDetails\":{\"Reason\":\"Unknown Error.\","
            + "\"Message\":\"exit code 1\",\"LogFile\":\"s3://treebo-emr-logs/j-2AXXXXXXGAPLF/steps/s-3/\"}}"
            : id.equals("s-4") ? "{\"State\":\"CANCELLED\"}" : "{\"State\":\"COMPLETED\"}";
        response = "{\"Step\":{\"Id\":\"" + id + "\",\"Name\":\"step " + id + "\",\"Status\":" + status + "}}";
      }
      byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    Path conf = Files.createTempFile("emr-", ".conf");
    Files.writeString(conf, Files.readString(project().resolve("conf/prod.conf"))
        + "\nemr { endpoint = \"http://127.0.0.1:" + server.getAddress().getPort() + "\", poll-interval = 10ms }\n");
    System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
    System.setProperty("aws.secretAccessKey", "local-test-only-not-a-real-key");
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Main.run(List.of("--conf", conf.toString(), "emr", "submit", "--cluster-id", "j-2AXXXXXXGAPLF", "--night", NIGHT.toString()));
    } finally {
      System.setOut(original);
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
      server.stop(0);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(1, code, printed);
    assertEquals("ElasticMapReduce.AddJobFlowSteps", targets.get(0));
    // The request the SDK sent is the golden add-steps input, the cluster named as the API names it.
    ObjectNode expected = (ObjectNode) JSON.readTree(golden());
    expected.set("JobFlowId", expected.remove("ClusterId"));
    assertEquals(expected, requests.get(0));
    assertTrue(targets.subList(1, targets.size()).stream().allMatch("ElasticMapReduce.DescribeStep"::equals), targets.toString());
    assertTrue(printed.contains("s-3              step s-3                                 FAILED: Unknown Error. - exit code 1"
        + " (log: s3://treebo-emr-logs/j-2AXXXXXXGAPLF/steps/s-3/)"), printed);
    assertTrue(printed.contains("night 2026-11-30: not completed: step s-3 FAILED, step s-4 CANCELLED"), printed);
  }
}
