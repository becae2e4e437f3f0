package io.fendersec.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A minimal forward HTTP proxy on loopback for tests: absolute-form requests
 * ({@code GET http://host:port/path HTTP/1.1}) are forwarded in origin form, one request per
 * connection ({@code Connection: close} both ways), and {@code CONNECT host:port} opens a tunnel.
 * Every outgoing connection is bound to {@code outgoing}, so the server sees the proxy's address.
 * Records each request line with its headers, and each forwarded answer's headers.
 */
final class ForwardProxy implements AutoCloseable {
    /** One request the proxy handled: its request line, headers (lower-case names), and the answer's headers. */
    record Seen(String requestLine, List<String> requestHeaders, List<String> responseHeaders) {
        String method() {
            return requestLine.split(" ")[0];
        }

        String target() {
            return requestLine.split(" ")[1];
        }

        String requestHeader(String name) {
            return header(requestHeaders, name);
        }

        String responseHeader(String name) {
            return header(responseHeaders, name);
        }

        static String header(List<String> headers, String name) {
            for (String h : headers) {
                int colon = h.indexOf(':');
                if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return h.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private final ServerSocket listener;
    private final InetAddress outgoing;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-proxy");
        t.setDaemon(true);
        return t;
    });
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final java.util.Map<String, String> aliases = new java.util.concurrent.ConcurrentHashMap<>();

    ForwardProxy(String outgoingAddress) throws IOException {
        this.outgoing = InetAddress.getByName(outgoingAddress);
        this.listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        threads.execute(this::acceptLoop);
    }

    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                client.setSoTimeout(20_000);
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            String requestLine = readLine(in);
            if (requestLine == null || requestLine.isEmpty()) {
                return;
            }
            List<String> headers = readHeaders(in);
            String[] parts = requestLine.split(" ");
            if (parts[0].equals("CONNECT")) {
                tunnel(client, requestLine, parts[1], headers);
            } else {
                forward(client, in, requestLine, parts, headers);
            }
        } catch (IOException e) {
            // the client or the server went away: nothing to do for a test proxy
        }
    }

    private void tunnel(Socket client, String requestLine, String authority, List<String> headers) throws IOException {
        int colon = authority.lastIndexOf(':');
        try (Socket server = connect(authority.substring(0, colon), Integer.parseInt(authority.substring(colon + 1)))) {
            seen.add(new Seen(requestLine, headers, List.of()));
            client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            client.getOutputStream().flush();
            var up = threads.submit(() -> pipe(client.getInputStream(), server.getOutputStream(), server));
            pipe(server.getInputStream(), client.getOutputStream(), client);
            try {
                up.get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                up.cancel(true);
            }
        }
    }

    private void forward(Socket client, InputStream in, String requestLine, String[] parts, List<String> headers)
            throws IOException {
        URI target = URI.create(parts[1]);
        if (target.getScheme() == null || target.getHost() == null) {
            byte[] body = ("{\"error\":\"proxy\",\"error_description\":\"not an absolute-form request: "
                    + requestLine.replace("\"", "'") + "\"}").getBytes(StandardCharsets.UTF_8);
            client.getOutputStream().write(("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            client.getOutputStream().write(body);
            return;
        }
        long length = 0;
        StringBuilder out = new StringBuilder();
        String path = target.getRawPath() + (target.getRawQuery() != null ? "?" + target.getRawQuery() : "");
        out.append(parts[0]).append(' ').append(path).append(' ').append(parts[2]).append("\r\n");
        // Hop-by-hop headers stay here (RFC 9110 7.6.1): the standard ones and those named in Connection.
        java.util.Set<String> hopByHop = new java.util.HashSet<>(List.of("connection", "proxy-connection", "keep-alive",
                "upgrade", "te", "trailer", "proxy-authorization"));
        String connection = Seen.header(headers, "Connection");
        if (connection != null) {
            for (String n : connection.split(",")) {
                hopByHop.add(n.trim().toLowerCase(Locale.ROOT));
            }
        }
        for (String h : headers) {
            String name = h.substring(0, h.indexOf(':')).trim().toLowerCase(Locale.ROOT);
            if (name.equals("content-length")) {
                length = Long.parseLong(h.substring(h.indexOf(':') + 1).trim());
            }
            if (name.equals("transfer-encoding")) {
                throw new IOException("chunked request bodies are not supported by this test proxy");
            }
            if (hopByHop.contains(name)) {
                continue;
            }
            out.append(h).append("\r\n");
        }
        out.append("Connection: close\r\n\r\n");
        try (Socket server = connect(target.getHost(), target.getPort())) {
            OutputStream up = server.getOutputStream();
            up.write(out.toString().getBytes(StandardCharsets.ISO_8859_1));
            copy(in, up, length);
            up.flush();
            InputStream down = server.getInputStream();
            String status = readLine(down);
            List<String> responseHeaders = readHeaders(down);
            seen.add(new Seen(requestLine, headers, responseHeaders));
            StringBuilder back = new StringBuilder(status).append("\r\n");
            for (String h : responseHeaders) {
                String name = h.substring(0, h.indexOf(':')).trim().toLowerCase(Locale.ROOT);
                if (!name.equals("connection") && !name.equals("keep-alive")) {
                    back.append(h).append("\r\n");
                }
            }
            back.append("Connection: close\r\n\r\n");
            OutputStream toClient = client.getOutputStream();
            toClient.write(back.toString().getBytes(StandardCharsets.ISO_8859_1));
            down.transferTo(toClient); // the server closes after the answer: Connection: close
            toClient.flush();
        }
    }

    /** Resolves {@code name} to {@code address} for requests through this proxy (the client never resolves it). */
    ForwardProxy alias(String name, String address) {
        aliases.put(name, address);
        return this;
    }

    private Socket connect(String host, int port) throws IOException {
        host = aliases.getOrDefault(host, host);
        Socket s = new Socket();
        s.bind(new InetSocketAddress(outgoing, 0));
        s.connect(new InetSocketAddress(host, port), 5_000);
        s.setSoTimeout(20_000);
        return s;
    }

    private static Void pipe(InputStream from, OutputStream to, Socket toSocket) {
        try {
            from.transferTo(to);
            to.flush();
            toSocket.shutdownOutput();
        } catch (IOException e) {
            // one side closed
        }
        return null;
    }

    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buf = new byte[8192];
        while (length > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, length));
            if (n < 0) {
                throw new IOException("request body cut off");
            }
            out.write(buf, 0, n);
            length -= n;
        }
    }

    private static List<String> readHeaders(InputStream in) throws IOException {
        List<String> headers = new ArrayList<>();
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            headers.add(line);
        }
        return headers;
    }

    /** One CRLF-terminated line, without the CRLF; null at the end of the stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(c);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.shutdownNow();
    }
}
