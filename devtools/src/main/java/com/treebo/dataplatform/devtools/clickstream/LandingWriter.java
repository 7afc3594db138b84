package com.treebo.dataplatform.devtools.clickstream;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes objects into a landing zone the way Firehose does (gzip, under the hour folder), for the
 * synthetic clickstream of tests, the benchmark and local demos. Never used by the job itself.
 */
public final class LandingWriter {
  private final String landing;
  private final Configuration hadoop;

  public LandingWriter(String landing, Configuration hadoop) {
    this.landing = landing.endsWith("/") ? landing.substring(0, landing.length() - 1) : landing;
    this.hadoop = hadoop;
  }

  /** Writes {@code text} gzipped as {@code name} in the folder of landed hour {@code hour} (UTC); returns its URI. */
  public String put(LocalDateTime hour, String name, String text) {
    return putMembers(hour, name, java.util.List.of(text));
  }

  /**
   * Writes each of {@code members} as its own gzip member, one after the other in one object (what
   * a producer appending compressed chunks, or {@code cat a.gz b.gz}, leaves); returns its URI.
   */
  public String putMembers(LocalDateTime hour, String name, java.util.List<String> members) {
    Path path = new Path(String.format("%s/year=%04d/month=%02d/day=%02d/hour=%02d/%s", landing,
        hour.getYear(), hour.getMonthValue(), hour.getDayOfMonth(), hour.getHour(), name));
    try {
      FileSystem fs = path.getFileSystem(hadoop);
      try (OutputStream file = fs.create(path, true)) {
        for (String member : members) {
          GZIPOutputStream gz = new GZIPOutputStream(new java.io.FilterOutputStream(file) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
              flush(); // ends the member, leaves the object open for the next one
            }
          }, 64 * 1024);
          gz.write(member.getBytes(StandardCharsets.UTF_8));
          gz.close();
        }
      }
      return path.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write landed object " + path + ": " + e.getMessage(), e);
    }
  }
}
