package com.treebo.dataplatform.jobs.clickstream;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.SerializableConfiguration;

/**
 * The landing zone as Firehose writes it: {@code <landing>/year=YYYY/month=MM/day=DD/hour=HH/*.gz}.
 * Listing happens on the driver (metadata only); objects are read on the executors, each streamed
 * through gzip (every member of a concatenated object) and {@link RecordSplitter}, never held whole
 * in memory.
 */
final class LandingZone {
  /** Columns of {@link #read}: where each record came from and its raw text. */
  static final StructType RECORDS = new StructType()
      .add("object", DataTypes.StringType, false)
      .add("position", DataTypes.LongType, false)
      .add("landed_hour", DataTypes.StringType, false)
      .add("raw", DataTypes.StringType, false);

  /** Longest record kept whole, in bytes; longer text is cut there and quarantined as not JSON. */
  static final int MAX_RECORD_BYTES = 1 << 20;

  private static final Pattern HOUR = Pattern.compile(".*/year=(\\d{4})/month=(\\d{2})/day=(\\d{2})/hour=(\\d{2})/[^/]+$");

  private final String root;
  private final Configuration hadoop;

  LandingZone(String root, Configuration hadoop) {
    this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    this.hadoop = hadoop;
  }

  /**
   * Every object in the hour folders from {@code firstHour} to {@code lastHour} (UTC, inclusive),
   * sorted by key. One recursive listing per landed day: on S3 that is a flat prefix listing.
   */
  List<LandedObject> list(LocalDateTime firstHour, LocalDateTime lastHour) {
    LocalDateTime first = firstHour.truncatedTo(ChronoUnit.HOURS);
    LocalDateTime last = lastHour.truncatedTo(ChronoUnit.HOURS);
    List<LandedObject> out = new ArrayList<>();
    for (LocalDate day = first.toLocalDate(); !day.isAfter(last.toLocalDate()); day = day.plusDays(1)) {
      Path dayPath = new Path(String.format("%s/year=%04d/month=%02d/day=%02d", root, day.getYear(), day.getMonthValue(), day.getDayOfMonth()));
      collect(dayPath, first, last, out);
    }
    out.sort(Comparator.comparing(LandedObject::key));
    return out;
  }

  /**
   * Every object of the landing zone in hours up to {@code lastHour}: one recursive listing of the
   * whole prefix (on S3, a flat listing of every key, a thousand a request), for a first run over a
   * landing zone that already holds history. Prints progress every 10,000 objects.
   */
  List<LandedObject> listAll(LocalDateTime lastHour) {
    List<LandedObject> out = new ArrayList<>();
    collect(new Path(root), LocalDateTime.MIN, lastHour.truncatedTo(ChronoUnit.HOURS), out);
    out.sort(Comparator.comparing(LandedObject::key));
    System.out.printf("clickstream: listed %,d landed objects under %s%n", out.size(), root);
    return out;
  }

  private void collect(Path under, LocalDateTime first, LocalDateTime last, List<LandedObject> out) {
    try {
      FileSystem fs = under.getFileSystem(hadoop);
      RemoteIterator<LocatedFileStatus> files = fs.listFiles(under, true);
      while (files.hasNext()) {
        LocatedFileStatus f = files.next();
        String key = f.getPath().toString();
        Matcher m = HOUR.matcher(key);
        if (!f.isFile() || !m.matches() || !key.endsWith(".gz")) {
          continue;
        }
        LocalDateTime hour = LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), 0);
        if (!hour.isBefore(first) && !hour.isAfter(last)) {
          out.add(new LandedObject(key, hour.toString().substring(0, 13), f.getLen()));
          if (out.size() % 10_000 == 0) {
            System.out.printf("clickstream: listed %,d landed objects ...%n", out.size());
          }
        }
      }
    } catch (FileNotFoundException nothingLandedThere) {
      // Nothing landed that day (or at all yet).
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the landing zone folder " + under + " (clickstream.landing): " + e.getMessage(), e);
    }
  }

  /**
   * The records of {@code objects}, one row per record ({@link #RECORDS}), read in parallel: objects
   * are packed by size into about {@code slots} tasks (largest first onto the lightest task).
   */
  static Dataset<Row> read(SparkSession spark, List<LandedObject> objects, int slots) {
    List<List<LandedObject>> tasks = pack(objects, Math.max(1, Math.min(slots, objects.size())));
    SerializableConfiguration conf = new SerializableConfiguration(spark.sparkContext().hadoopConfiguration());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    // Rows are built as Spark's internal rows, the record bytes wrapped as they are (no decoding).
    JavaRDD<InternalRow> rows = jsc.parallelize(tasks, Math.max(1, tasks.size()))
        .flatMap(List::iterator)
        .mapPartitions(it -> new ObjectRecords(it, conf.value()));
    return spark.internalCreateDataFrame(rows.rdd(), RECORDS, false);
  }

  static List<List<LandedObject>> pack(List<LandedObject> objects, int slots) {
    List<List<LandedObject>> tasks = new ArrayList<>();
    PriorityQueue<long[]> load = new PriorityQueue<>(Comparator.<long[]>comparingLong(a -> a[0]).thenComparingLong(a -> a[1]));
    for (int i = 0; i < slots; i++) {
      tasks.add(new ArrayList<>());
      load.add(new long[] {0, i});
    }
    List<LandedObject> bySize = new ArrayList<>(objects);
    bySize.sort(Comparator.comparingLong(LandedObject::size).reversed().thenComparing(LandedObject::key));
    for (LandedObject o : bySize) {
      long[] lightest = load.poll();
      tasks.get((int) lightest[1]).add(o);
      lightest[0] += o.size();
      load.add(lightest);
    }
    tasks.removeIf(List::isEmpty);
    return tasks;
  }

  /** Streams the records of a task's objects, one object open at a time. */
  private static final class ObjectRecords implements Iterator<InternalRow> {
    private final Iterator<LandedObject> objects;
    private final Configuration conf;
    private LandedObject current;
    private UTF8String key;
    private UTF8String hour;
    private FSDataInputStream stream;
    private RecordSplitter records;
    private long position;

    ObjectRecords(Iterator<LandedObject> objects, Configuration conf) {
      this.objects = objects;
      this.conf = conf;
    }

    @Override
    public boolean hasNext() {
      while (records == null || !more()) {
        close();
        if (!objects.hasNext()) {
          return false;
        }
        open(objects.next());
      }
      return true;
    }

    private boolean more() {
      try {
        return records.hasNext();
      } catch (UncheckedIOException e) {
        throw new UncheckedIOException("Cannot read landed object " + current.key() + " after record " + position
            + " (a corrupt or truncated gzip stream?): " + e.getCause().getMessage(), e.getCause());
      }
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      return new GenericInternalRow(new Object[] {key, position++, hour, UTF8String.fromBytes(records.next())});
    }

    private void open(LandedObject o) {
      current = o;
      key = UTF8String.fromString(o.key());
      hour = UTF8String.fromString(o.landedHour());
      position = 0;
      Path path = new Path(o.key());
      try {
        stream = path.getFileSystem(conf).open(path);
        // Every gzip member of the object, in order. Not java.util.zip.GZIPInputStream: it decides
        // whether another member follows by asking the stream how many bytes are available, which an
        // S3 stream may answer with 0 mid-object, and it then drops the rest silently (JDK-7036144).
        records = new RecordSplitter(new GzipCompressorInputStream(new java.io.BufferedInputStream(stream, 64 * 1024), true),
            MAX_RECORD_BYTES);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read landed object " + o.key() + ": " + e.getMessage(), e);
      }
    }

    private void close() {
      if (stream != null) {
        try {
          stream.close();
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot close landed object " + current.key() + ": " + e.getMessage(), e);
        }
        stream = null;
        records = null;
      }
    }
  }
}
