package io.fendersec.emulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket bound to a chosen local address: the JDK's HttpClient cannot pick
 * its source address, and the allowlist tests need to call from 127.0.0.2.
 */
final class RawHttp {
    final int status;
    final String head;
    final String body;

    private RawHttp(int status, String head, String body) {
        this.status = status;
        this.head = head;
        this.body = body;
    }

    static RawHttp send(String fromAddress, int port, String method, String path, String extraHeaders, String body)
            throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(fromAddress, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n"
                    + extraHeaders + "Content-Length: " + b.length + "\r\n\r\n";
            OutputStream out = s.getOutputStream();
            out.write(req.getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String head = text.substring(0, split);
            int status = Integer.parseInt(head.substring(9, 12));
            return new RawHttp(status, head, text.substring(split + 4));
        }
    }

    static RawHttp postForm(String fromAddress, int port, String path, String form, String extraHeaders) throws IOException {
        return send(fromAddress, port, "POST", path,
                "Content-Type: application/x-www-form-urlencoded\r\n" + extraHeaders, form);
    }
}
