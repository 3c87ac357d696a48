package io.quarkiverse.rocm.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** One HTTP/1.0 POST to a llama-server on its Unix domain socket, as another local program would send it. */
final class UnixSocketPost {

    private UnixSocketPost() {
    }

    /** The answer's status. */
    static int status(String socket, String path, String json) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(Path.of(socket)));
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            ch.write(ByteBuffer.wrap(("POST " + path + " HTTP/1.0\r\nHost: localhost\r\nContent-Type: application/json"
                    + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            ch.write(ByteBuffer.wrap(body));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (ch.read(buffer) > 0 && answer.size() < 64 * 1024) {
                answer.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            String head = answer.toString(StandardCharsets.UTF_8);
            return Integer.parseInt(head.substring(head.indexOf(' ') + 1, head.indexOf(' ') + 4));
        }
    }
}
