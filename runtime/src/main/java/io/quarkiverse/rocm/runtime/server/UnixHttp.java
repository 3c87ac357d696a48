package io.quarkiverse.rocm.runtime.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The supervisor's requests to a local llama-server on a Unix domain socket: the JDK's HTTP client speaks TCP only.
 * One HTTP/1.0 request per connection (the server answers and closes), read within a deadline; the answer's status
 * and body. Used for {@code /health}, {@code /props}, {@code /slots} and its saves and restores; requests go through
 * Vert.x.
 */
final class UnixHttp {

    /** The most of an answer read: {@code /props} holds the chat template, {@code /slots} each slot's settings. */
    private static final int MAX_ANSWER = 8 << 20;

    private UnixHttp() {
    }

    static ServerProbe.Answer get(Path socket, String path, String apiKey, Duration timeout) {
        return send(socket, "GET", path, apiKey, null, timeout);
    }

    /** {@code method path}, with a JSON {@code body} unless null. */
    static ServerProbe.Answer send(Path socket, String method, String path, String apiKey, String body,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                Selector selector = Selector.open()) {
            channel.connect(UnixDomainSocketAddress.of(socket)); // local: done at once, or refused
            channel.configureBlocking(false);
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            byte[] head = (method + " " + path + " HTTP/1.0\r\nHost: localhost\r\n"
                    + (apiKey == null ? "" : "Authorization: Bearer " + apiKey + "\r\n")
                    + (body == null ? ""
                            : "Content-Type: application/json\r\nContent-Length: " + content.length
                                    + "\r\n")
                    + "\r\n").getBytes(StandardCharsets.US_ASCII);
            ByteBuffer request = ByteBuffer.allocate(head.length + content.length).put(head).put(content).flip();
            SelectionKey key = channel.register(selector, SelectionKey.OP_WRITE);
            while (request.hasRemaining()) {
                if (!await(selector, deadline)) {
                    return timedOut(timeout);
                }
                channel.write(request);
            }
            key.interestOps(SelectionKey.OP_READ);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(16 << 10);
            while (true) {
                if (!await(selector, deadline)) {
                    return timedOut(timeout);
                }
                int n = channel.read(buffer);
                if (n < 0) {
                    break;
                }
                answer.write(buffer.array(), 0, n);
                buffer.clear();
                if (answer.size() > MAX_ANSWER) {
                    return new ServerProbe.Answer(-1, "", "the answer to " + path + " is over " + MAX_ANSWER + " bytes");
                }
            }
            return parse(answer.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new ServerProbe.Answer(-1, "", e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
        }
    }

    /** Waits until the channel is ready or the deadline passes; false then. */
    private static boolean await(Selector selector, long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        selector.selectedKeys().clear();
        return selector.select(Math.max(1, left / 1_000_000)) > 0;
    }

    /** {@code HTTP/1.1 200 OK}, headers, a blank line, the body. */
    static ServerProbe.Answer parse(String answer) {
        int space = answer.indexOf(' ');
        int headEnd = answer.indexOf("\r\n\r\n");
        if (!answer.startsWith("HTTP/") || space < 0 || answer.length() < space + 4) {
            return new ServerProbe.Answer(-1, "", "not an HTTP answer: " + answer.lines().findFirst().orElse(""));
        }
        try {
            int status = Integer.parseInt(answer.substring(space + 1, space + 4));
            return new ServerProbe.Answer(status, headEnd < 0 ? "" : answer.substring(headEnd + 4), null);
        } catch (NumberFormatException e) {
            return new ServerProbe.Answer(-1, "", "not an HTTP status: " + answer.lines().findFirst().orElse(""));
        }
    }

    private static ServerProbe.Answer timedOut(Duration timeout) {
        return new ServerProbe.Answer(-1, "", "no answer within " + timeout.toMillis() + " ms");
    }
}
