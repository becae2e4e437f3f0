package io.fendersec.emulator.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

/**
 * One request and its answer. Knows how to send a whole body, and how to fail on purpose: cut a
 * body short of its Content-Length, trickle it out byte by byte, or reset the connection.
 */
final class Exchange {
    final Request request;
    final Response response;
    final Callback callback;
    /** Set by the fault injector: this answer's body is cut off half way. */
    boolean truncate;
    /** Set by the fault injector: this answer's body goes out one byte per this interval. */
    java.time.Duration trickle;

    Exchange(Request request, Response response, Callback callback) {
        this.request = request;
        this.response = response;
        this.callback = callback;
    }

    /** The TCP peer's address: what an allowlist checks. Forwarding headers are deliberately not read. */
    InetAddress peer() {
        SocketAddress a = request.getConnectionMetaData().getRemoteSocketAddress();
        return ((InetSocketAddress) a).getAddress();
    }

    String header(HttpHeader name) {
        return request.getHeaders().get(name);
    }

    void json(int status, byte[] body) throws IOException {
        send(status, "application/json", body);
    }

    void error(int status, String error, String description) throws IOException {
        json(status, Json.error(error, description));
    }

    void send(int status, String contentType, byte[] body) throws IOException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        if (truncate && body.length > 1) {
            writeBlocking(false, ByteBuffer.wrap(body, 0, body.length / 2));
            abort(false);
            return;
        }
        if (trickle != null) {
            trickle(body);
            return;
        }
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** Sends the body one byte at a time, pausing {@link #trickle} before each (a stalling server). */
    private void trickle(byte[] body) throws IOException {
        for (int i = 0; i < body.length; i++) {
            try {
                Thread.sleep(trickle.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                abort(false);
                return;
            }
            // A client that gave up has closed the connection: the write fails and the loop ends.
            writeBlocking(i == body.length - 1, ByteBuffer.wrap(body, i, 1));
        }
        callback.succeeded();
    }

    void writeBlocking(boolean last, ByteBuffer buffer) throws IOException {
        try (Blocker.Callback blocker = Blocker.callback()) {
            response.write(last, buffer, blocker);
            blocker.block();
        }
    }

    /**
     * Ends the exchange without a proper answer: closes the connection, after setting SO_LINGER to
     * 0 when {@code reset} so that the peer gets a TCP RST rather than an orderly FIN.
     */
    void abort(boolean reset) {
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        if (reset && endPoint.getTransport() instanceof SocketChannel) {
            try {
                ((SocketChannel) endPoint.getTransport()).socket().setSoLinger(true, 0);
            } catch (IOException e) {
                // the close below still ends the connection
            }
        }
        endPoint.close();
        callback.failed(new InterruptedIOException("connection aborted on purpose (fault injection)"));
    }
}
