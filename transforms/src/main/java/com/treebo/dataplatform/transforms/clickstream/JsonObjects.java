package com.treebo.dataplatform.transforms.clickstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/** JSON object text edited without a schema, so unknown fields pass through untouched. */
final class JsonObjects {
  private JsonObjects() {}

  /**
   * {@code json} without its top-level member {@code key}; unchanged when the text does not mention
   * the key (checked first, so the common case costs a substring search, not a parse).
   */
  static Column withoutKey(Column json, String key) {
    Column mentions = functions.instr(json, "\"" + key + "\"").gt(0);
    return functions.when(mentions, functions.udf(new Remover(key), DataTypes.StringType).apply(json)).otherwise(json);
  }

  private static final class Remover implements UDF1<String, String> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final String key;

    Remover(String key) {
      this.key = key;
    }

    @Override
    public String call(String json) throws JsonProcessingException {
      if (json == null) {
        return null;
      }
      JsonNode node = MAPPER.readTree(json);
      if (node instanceof ObjectNode o && o.has(key)) {
        o.remove(key);
        return MAPPER.writeValueAsString(o);
      }
      return json;
    }
  }
}
