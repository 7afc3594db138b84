package com.treebo.dataplatform.tests;

import java.io.IOException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.s3a.S3AFileSystem;

/**
 * S3A, reading through streams whose {@code available()} is 0, as an S3 stream over a socket with
 * nothing buffered yet can answer (EMRFS's do). The local S3 server answers from a local file, so
 * S3A's own streams always report bytes available; the tests read through this instead, so that
 * code relying on {@code available()} (java.util.zip.GZIPInputStream deciding whether another gzip
 * member follows, JDK-7036144) fails here as it would on EMR. Installed as {@code fs.s3a.impl} in
 * the test JVM's session ({@link TestPlatform}); everything else is S3A's.
 */
public final class UnbufferedS3AFileSystem extends S3AFileSystem {
  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    return new FSDataInputStream(new NothingAvailable(super.open(f, bufferSize)));
  }

  /** Delegates every read and seek; says nothing is available without blocking. */
  private static final class NothingAvailable extends FSInputStream {
    private final FSDataInputStream in;

    NothingAvailable(FSDataInputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return in.read(b, off, len);
    }

    @Override
    public int read(long position, byte[] buffer, int offset, int length) throws IOException {
      return in.read(position, buffer, offset, length);
    }

    @Override
    public void readFully(long position, byte[] buffer, int offset, int length) throws IOException {
      in.readFully(position, buffer, offset, length);
    }

    @Override
    public void seek(long pos) throws IOException {
      in.seek(pos);
    }

    @Override
    public long getPos() throws IOException {
      return in.getPos();
    }

    @Override
    public boolean seekToNewSource(long targetPos) throws IOException {
      return in.seekToNewSource(targetPos);
    }

    @Override
    public int available() {
      return 0;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
