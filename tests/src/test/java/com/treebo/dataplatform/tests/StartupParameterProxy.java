package com.treebo.dataplatform.tests;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A loopback TCP proxy in front of the local PostgreSQL that lets Amazon's Redshift JDBC driver
 * talk to it: the driver's startup message carries parameters PostgreSQL refuses
 * ({@code FATAL: unrecognized configuration parameter "driver_version"}), so the proxy rewrites that
 * one message, keeping only the parameters PostgreSQL knows, answers the driver's SSL request with
 * "no", and then relays every byte both ways unchanged. Test support only (see shared STACK.md).
 */
final class StartupParameterProxy implements AutoCloseable {
  private static final int SSL_REQUEST = 80877103;
  private static final int GSS_REQUEST = 80877104;
  private static final int PROTOCOL_3 = 196608;
  private static final Set<String> KEPT = Set.of("user", "database", "options", "application_name", "client_encoding", "DateStyle",
      "TimeZone", "extra_float_digits", "search_path");

  private final ServerSocket server;
  private final int target;

  private StartupParameterProxy(ServerSocket server, int target) {
    this.server = server;
    this.target = target;
  }

  /** A proxy on a free 127.0.0.1 port, relaying to PostgreSQL on {@code targetPort}. */
  static StartupParameterProxy start(int targetPort) throws IOException {
    StartupParameterProxy proxy = new StartupParameterProxy(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")), targetPort);
    Thread accept = new Thread(proxy::acceptLoop, "startup-parameter-proxy");
    accept.setDaemon(true);
    accept.start();
    return proxy;
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread t = new Thread(() -> serve(client), "startup-parameter-proxy-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client; Socket upstream = new Socket(InetAddress.getByName("127.0.0.1"), target)) {
      DataInputStream in = new DataInputStream(client.getInputStream());
      OutputStream toClient = client.getOutputStream();
      byte[] startup;
      while (true) {
        int length = in.readInt();
        int code = in.readInt();
        if (code == SSL_REQUEST || code == GSS_REQUEST) {
          toClient.write('N');
          toClient.flush();
          continue;
        }
        byte[] body = new byte[length - 8];
        in.readFully(body);
        startup = code == PROTOCOL_3 ? rewrite(body) : message(code, body);
        break;
      }
      upstream.getOutputStream().write(startup);
      upstream.getOutputStream().flush();
      Thread up = pump(in, upstream.getOutputStream());
      pump(upstream.getInputStream(), toClient).join();
      up.join(1000);
    } catch (IOException | InterruptedException e) {
      // A connection ended; the driver sees it closed.
    }
  }

  /** The startup message with only the parameters PostgreSQL accepts. */
  private static byte[] rewrite(byte[] body) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < body.length; i++) {
      if (body[i] == 0) {
        parts.add(new String(body, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    StringBuilder kept = new StringBuilder();
    for (int i = 0; i + 1 < parts.size(); i += 2) {
      if (!parts.get(i).isEmpty() && KEPT.contains(parts.get(i))) {
        kept.append(parts.get(i)).append('\0').append(parts.get(i + 1)).append('\0');
      }
    }
    kept.append('\0');
    return message(PROTOCOL_3, kept.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] message(int code, byte[] body) {
    return ByteBuffer.allocate(8 + body.length).putInt(8 + body.length).putInt(code).put(body).array();
  }

  private static Thread pump(InputStream from, OutputStream to) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[64 * 1024];
      try {
        int n;
        while ((n = from.read(buffer)) >= 0) {
          to.write(buffer, 0, n);
          to.flush();
        }
      } catch (IOException closed) {
        // One side closed the connection.
      }
    }, "startup-parameter-proxy-pump");
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
