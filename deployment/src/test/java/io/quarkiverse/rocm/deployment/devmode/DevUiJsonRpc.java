package io.quarkiverse.rocm.deployment.devmode;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;

/**
 * A client of the Dev UI's JSON-RPC web socket, as the Dev UI's pages use it: calls by method name, and the messages of
 * subscriptions (methods returning a {@code Multi}) by the id of the call that opened them.
 */
final class DevUiJsonRpc implements AutoCloseable {

    static final String NAMESPACE = "quarkus-rocm_";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Vertx vertx = Vertx.vertx();
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, BlockingQueue<JsonObject>> answers = new ConcurrentHashMap<>();

    DevUiJsonRpc(int port) throws Exception {
        socket = vertx.createWebSocketClient().connect(port, "localhost", "/q/dev-ui/json-rpc-ws")
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        socket.textMessageHandler(text -> {
            JsonObject message = new JsonObject(text);
            Integer id = message.getInteger("id");
            JsonObject result = message.getJsonObject("result");
            // a subscription's start is acknowledged with an empty "Void" message before its items
            boolean ack = result != null && "Void".equals(result.getString("messageType"));
            if (id != null && id >= 0 && !ack) {
                queue(id).add(message);
            }
        });
    }

    private BlockingQueue<JsonObject> queue(int id) {
        return answers.computeIfAbsent(id, i -> new LinkedBlockingQueue<>());
    }

    /** Sends a call; returns its id (for {@link #next}). */
    int send(String method, JsonObject params) {
        int id = ids.incrementAndGet();
        queue(id);
        socket.writeTextMessage(new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", NAMESPACE + method)
                .put("params", params).encode());
        return id;
    }

    /** Calls a method and returns its result's object (a JsonObject, JsonArray, String...). */
    Object call(String method, JsonObject params) throws InterruptedException {
        return next(send(method, params));
    }

    /** The next result of call or subscription {@code id}; fails on an error answer. */
    Object next(int id) throws InterruptedException {
        JsonObject m = queue(id).poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
            throw new AssertionError("no answer to JSON-RPC call " + id + " within " + WAIT);
        }
        if (m.containsKey("error")) {
            throw new AssertionError("JSON-RPC call " + id + " failed: " + m.getValue("error"));
        }
        return m.getJsonObject("result").getValue("object");
    }

    /** Reads results of subscription {@code id} until one matches; returns it. */
    @SuppressWarnings("unchecked")
    <T> T nextMatching(int id, Predicate<T> matches) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            T item = (T) next(id);
            if (matches.test(item)) {
                return item;
            }
        }
        throw new AssertionError("no matching message on subscription " + id + " within " + WAIT);
    }

    @Override
    public void close() {
        socket.close();
        vertx.close();
    }
}
