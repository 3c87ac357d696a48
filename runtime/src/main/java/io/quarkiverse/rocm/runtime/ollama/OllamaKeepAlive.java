package io.quarkiverse.rocm.runtime.ollama;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkiverse.rocm.runtime.access.Callers;
import io.quarkiverse.rocm.runtime.config.OllamaConfig.KeepAliveFrom;
import io.quarkiverse.rocm.runtime.json.Json;
import io.quarkiverse.rocm.runtime.scheduling.KeepAlive;
import io.quarkiverse.rocm.runtime.scheduling.Scheduler;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.RoutingContext;

/**
 * Ollama's {@code keep_alive}: read as Ollama reads it (a number of seconds, or a Go duration such as {@code "5m"};
 * negative: no unload when idle), honored from whom {@code quarkus.rocm.ollama.keep-alive-from} says, and Ollama's
 * load and unload requests, a generate or chat with nothing to answer, carried out by the scheduler.
 */
final class OllamaKeepAlive {

    private static final Logger LOG = Logger.getLogger(OllamaKeepAlive.class);
    private static final Pattern PART = Pattern.compile("(\\d+\\.?\\d*|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
    private static final String PROPERTY = "quarkus.rocm.ollama.keep-alive-from";

    private final KeepAliveFrom from;
    private final String operatorRole;
    private final AtomicBoolean toldIgnored = new AtomicBoolean();

    OllamaKeepAlive(KeepAliveFrom from, String operatorRole) {
        this.from = from;
        this.operatorRole = operatorRole;
    }

    /**
     * The request's {@code keep_alive} when it is given and its caller may set it; null otherwise (the model's own
     * keep-alive then, and a line in the log the first time one is ignored).
     *
     * @throws OllamaRequests.Invalid when it is not a duration
     */
    KeepAlive asked(RoutingContext ctx, ObjectNode request) {
        KeepAlive asked = parse(request.get("keep_alive"));
        if (asked == null || allowed(ctx)) {
            return asked;
        }
        if (toldIgnored.compareAndSet(false, true)) {
            LOG.infof("keep_alive of Ollama's API ignored from '%s' (and from now on, unlogged, from every caller %s"
                    + " lets not change it): %s=%s", Callers.of(ctx), PROPERTY, PROPERTY, from.name().toLowerCase());
        }
        return null;
    }

    /** Whether the request is Ollama's load or unload of a model: a generate or chat with nothing to answer. */
    static boolean nothingToAnswer(OllamaRoutes.Route route, ObjectNode request) {
        return switch (route) {
            case GENERATE -> request.path("prompt").asText("").isEmpty() && request.path("suffix").asText("").isEmpty()
                    && request.path("images").isEmpty();
            case CHAT -> request.path("messages").isEmpty();
            default -> false;
        };
    }

    /**
     * Ollama's load ({@code keep_alive} absent or not 0) or unload ({@code keep_alive} 0) of a scheduled model; the
     * answer, as Ollama's, once it is done. {@code keepAlive}: what {@link #asked} let through. An unload from a caller
     * who may not set keep-alives is refused (403).
     */
    void loadOrUnload(RoutingContext ctx, OllamaRoutes.Route route, Scheduler scheduler, String name, String asked,
            ObjectNode request, KeepAlive keepAlive) {
        boolean unload = isZero(parse(request.get("keep_alive")));
        if (unload && keepAlive == null) {
            OllamaRoutes.error(ctx, 403, "keep_alive is not honored from this caller (" + PROPERTY + "="
                    + from.name().toLowerCase() + "), so it cannot unload \"" + asked + "\""
                    + (from == KeepAliveFrom.OPERATORS ? ": send an operator's key (quarkus.rocm.openai.operator-keys)"
                            : ""));
            return;
        }
        CompletableFuture<Void> done = !scheduler.manages(name) ? CompletableFuture.completedFuture(null)
                : unload ? scheduler.keepAlive(name, keepAlive) : scheduler.load(name, keepAlive);
        done.whenComplete((ok, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException c ? c.getCause() : failure;
                OllamaRoutes.error(ctx, 500, String.valueOf(cause.getMessage()));
                return;
            }
            ObjectNode answer = Json.MAPPER.createObjectNode().put("model", asked).put("created_at",
                    OllamaAnswers.now());
            if (route == OllamaRoutes.Route.CHAT) {
                answer.putObject("message").put("role", "assistant").put("content", "");
            } else {
                answer.put("response", "");
            }
            answer.put("done_reason", unload ? "unload" : "load").put("done", true);
            OllamaRoutes.json(ctx, 200, answer);
        });
    }

    private boolean allowed(RoutingContext ctx) {
        return switch (from) {
            case NOBODY -> false;
            case CALLERS -> true; // the API's access policy let the request in
            case OPERATORS -> ctx.user() instanceof QuarkusHttpUser user && hasOperatorRole(user.getSecurityIdentity());
        };
    }

    private boolean hasOperatorRole(SecurityIdentity identity) {
        return identity != null && !identity.isAnonymous() && identity.hasRole(operatorRole);
    }

    private static boolean isZero(KeepAlive k) {
        return k != null && Duration.ZERO.equals(k.duration());
    }

    /**
     * {@code keep_alive} as Ollama reads it: a number is seconds, a string a Go duration ({@code "1h30m"},
     * {@code "300ms"}, {@code "0"}); negative: no unload when idle. Null when absent.
     */
    static KeepAlive parse(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            return value.asDouble() < 0 ? KeepAlive.FOREVER : new KeepAlive(Duration.ofSeconds(value.asLong()));
        }
        String text = value.isTextual() ? value.asText().trim() : null;
        Duration d = text == null ? null : goDuration(text);
        if (d == null) {
            throw new OllamaRequests.Invalid("invalid keep_alive " + value + ": a number of seconds or a duration"
                    + " such as \"5m\", \"1h30m\" or \"0\" (unload when idle); negative keeps the model loaded");
        }
        return d.isNegative() ? KeepAlive.FOREVER : new KeepAlive(d);
    }

    /** Go's {@code time.ParseDuration}: a sign, then numbers with units; "0" alone needs none. Null when invalid. */
    private static Duration goDuration(String text) {
        boolean negative = text.startsWith("-");
        String rest = negative || text.startsWith("+") ? text.substring(1) : text;
        if (rest.equals("0")) {
            return Duration.ZERO;
        }
        if (rest.isEmpty()) {
            return null;
        }
        Matcher m = PART.matcher(rest);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < rest.length()) {
            if (!m.find(at) || m.start() != at) {
                return null;
            }
            BigDecimal unit = switch (m.group(2)) {
                case "ns" -> BigDecimal.ONE;
                case "us", "µs", "μs" -> BigDecimal.valueOf(1_000L);
                case "ms" -> BigDecimal.valueOf(1_000_000L);
                case "s" -> BigDecimal.valueOf(1_000_000_000L);
                case "m" -> BigDecimal.valueOf(60_000_000_000L);
                default -> BigDecimal.valueOf(3_600_000_000_000L);
            };
            nanos = nanos.add(new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1)).multiply(unit));
            at = m.end();
        }
        Duration d = Duration.ofNanos(nanos.longValue());
        return negative ? d.negated() : d;
    }
}
