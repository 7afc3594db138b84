package com.treebo.dataplatform.transforms;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Personal data replaced by a keyed hash (HMAC-SHA256, lower-case hex) of its normalised value, so
 * that the same person hashes the same in every table and in the clickstream, and nobody without
 * the key can test a guess.
 *
 * <p>Normalisation: email trimmed and lower-cased; phone reduced to digits with the country code
 * (a leading {@code +} or {@code 00} means the code is there; a national number, 10 digits or 11
 * with a trunk 0, gets the default code); name NFKC-normalised, trimmed, inner whitespace collapsed,
 * lower-cased. Null and blank values become null: a hash of nothing would join unrelated people.
 */
public final class Pii {
  /** How a value is normalised before hashing. */
  public enum Kind { EMAIL, PHONE, NAME }

  private Pii() {}

  /**
   * Replaces each listed column of {@code input} by the hash of its normalised value, in place
   * (same name, same position, string type).
   *
   * <p>Needs: every key of {@code columns}, of string type. Returns: the input's columns and rows,
   * nothing dropped. Narrow (no shuffle): hashing happens in the same stage that reads the rows.
   */
  public static Dataset<Row> hashColumns(Dataset<Row> input, Map<String, Kind> columns, byte[] key, String countryCode) {
    Columns.require(input, "Pii.hashColumns", columns.keySet());
    Dataset<Row> out = input;
    for (Map.Entry<String, Kind> e : columns.entrySet()) {
      out = out.withColumn(e.getKey(), hash(functions.col(e.getKey()), e.getValue(), key, countryCode));
    }
    return out;
  }

  /** The hash of one string column's normalised value, as a column expression. */
  public static Column hash(Column value, Kind kind, byte[] key, String countryCode) {
    UserDefinedFunction udf = functions.udf(new HashUdf(kind, key, countryCode), DataTypes.StringType);
    return udf.apply(value);
  }

  /** The normalised form of {@code value} for {@code kind}, or null when there is nothing to hash. */
  public static String normalise(String value, Kind kind, String countryCode) {
    if (value == null) {
      return null;
    }
    String n = switch (kind) {
      case EMAIL -> value.strip().toLowerCase(Locale.ROOT);
      case NAME -> Normalizer.normalize(value, Normalizer.Form.NFKC).strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
      case PHONE -> phoneDigits(value, countryCode);
    };
    return n.isEmpty() ? null : n;
  }

  /** HMAC-SHA256 of {@code normalised} under {@code key}, lower-case hex; null stays null. */
  public static String hmac(String normalised, byte[] key) {
    if (normalised == null) {
      return null;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(normalised.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  private static String phoneDigits(String value, String countryCode) {
    String trimmed = value.strip();
    String digits = trimmed.replaceAll("[^0-9]", "");
    if (digits.isEmpty()) {
      return "";
    }
    if (trimmed.startsWith("+")) {
      return digits;
    }
    if (digits.startsWith("00")) {
      return digits.substring(2);
    }
    if (digits.length() == 11 && digits.startsWith("0")) {
      return countryCode + digits.substring(1);
    }
    if (digits.length() == 10) {
      return countryCode + digits;
    }
    return digits;
  }

  /**
   * Hashes values under one key and country code, reusing one {@link Mac}: for code that hashes
   * many values in one thread (a UDF, a partition's parser). Not thread-safe; serialisable, the
   * {@link Mac} is created on first use where it runs.
   */
  public static final class Hasher implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final byte[] key;
    private final String countryCode;
    private transient Mac mac;

    public Hasher(byte[] key, String countryCode) {
      this.key = key.clone();
      this.countryCode = countryCode;
    }

    /** The hash of {@code value} normalised as {@code kind}; null when there is nothing to hash. */
    public String hash(String value, Kind kind) {
      String n = normalise(value, kind, countryCode);
      if (n == null) {
        return null;
      }
      try {
        if (mac == null) {
          mac = Mac.getInstance("HmacSHA256");
          mac.init(new SecretKeySpec(key, "HmacSHA256"));
        }
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
      }
      return HexFormat.of().formatHex(mac.doFinal(n.getBytes(StandardCharsets.UTF_8)));
    }
  }

  /** The UDF body: one {@link Hasher} per task. */
  private static final class HashUdf implements UDF1<String, String> {
    private static final long serialVersionUID = 1L;
    private final Kind kind;
    private final Hasher hasher;

    HashUdf(Kind kind, byte[] key, String countryCode) {
      this.kind = kind;
      this.hasher = new Hasher(key, countryCode);
    }

    @Override
    public String call(String value) {
      return hasher.hash(value, kind);
    }
  }
}
