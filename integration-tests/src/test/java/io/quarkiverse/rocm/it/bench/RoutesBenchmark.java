package io.quarkiverse.rocm.it.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every API's route through the application beside llama-server's own, in one run: OpenAI's chat completions (the
 * baseline), Responses and Anthropic's Messages against the same routes of llama-server, Ollama's chat against the chat
 * completions it is translated to. The model's own answer each time (about 15 tokens); tokens/s at 1 and 4 streams,
 * the targets alternating, and the application's CPU per request (all its threads, from {@code /proc}).
 */
final class RoutesBenchmark {

    /** One API: where it is on the application, and what it is compared with on llama-server. */
    record Route(String name, Load.Target app, Load.Target direct) {
    }

    private RoutesBenchmark() {
    }

    /**
     * @param directPort llama-server started as the application's default model
     * @param secondPort llama-server started as its second model (Messages go to it: the default one has adapters)
     */
    static List<Route> routes(int appPort, int directPort, int secondPort) {
        String app = "http://127.0.0.1:" + appPort;
        String direct = "http://127.0.0.1:" + directPort;
        List<Route> routes = new ArrayList<>();
        routes.add(route("OpenAI chat completions", app, "/v1/chat/completions", direct, "/v1/chat/completions",
                Load.Shape.CHAT_ANSWER, Load.Shape.CHAT_ANSWER));
        routes.add(route("OpenAI Responses", app, "/v1/responses", direct, "/v1/responses", Load.Shape.RESPONSES,
                Load.Shape.RESPONSES));
        routes.add(route("Anthropic Messages, second model", app, "/v1/messages", "http://127.0.0.1:" + secondPort,
                "/v1/messages", Load.Shape.MESSAGES, Load.Shape.MESSAGES));
        routes.add(route("Ollama chat", app, "/api/chat", direct, "/v1/chat/completions", Load.Shape.OLLAMA,
                Load.Shape.CHAT_ANSWER));
        return routes;
    }

    private static Route route(String name, String app, String appPath, String direct, String directPath,
            Load.Shape appShape, Load.Shape directShape) {
        return new Route(name, new Load.Target(name, app + appPath, false, appShape),
                new Load.Target("llama-server " + directPath, direct + directPath, true, directShape));
    }

    static void run(Report report, List<Route> routes, long pid, int requests, int rounds, int cpuRequests)
            throws Exception {
        report.line("");
        report.line("| API (the model's own answer) | tokens per answer | tokens/s vs llama-server directly, 1 stream"
                + " | 4 streams | application CPU per request |");
        report.line("|---|---|---|---|---|");
        for (Route r : routes) {
            Load.run(r.app(), 300, 2, 64); // its own code paths warmed up
            Load.run(r.direct(), 50, 2, 64);
            StringBuilder line = new StringBuilder("| " + r.name() + " (" + r.app().url().replaceAll(".*:\\d+", "")
                    + " vs " + r.direct().url().replaceAll(".*:\\d+", "") + ")");
            double tokens = 0;
            List<String> ratios = new ArrayList<>();
            for (int c : new int[] { 1, 4 }) {
                List<Double> app = new ArrayList<>();
                List<Double> direct = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    boolean appFirst = round % 2 == 0;
                    Load.Result first = Load.run(appFirst ? r.app() : r.direct(), requests, c, 64);
                    Load.Result second = Load.run(appFirst ? r.direct() : r.app(), requests, c, 64);
                    Load.Result a = appFirst ? first : second;
                    (appFirst ? app : direct).add(first.tokensPerSecond());
                    (appFirst ? direct : app).add(second.tokensPerSecond());
                    tokens = (double) a.tokens() / a.requests();
                }
                ratios.add(String.format("%.2fx", median(app) / median(direct)));
            }
            Map<String, Long> before = ProcCpu.byThread(pid);
            Load.run(r.app(), cpuRequests, 2, 64);
            double ms = ProcCpu.total(ProcCpu.delta(before, ProcCpu.byThread(pid))) / 1e6 / cpuRequests;
            report.line(line + String.format(" | %.0f | %s | %s | %.3f ms |", tokens, ratios.get(0), ratios.get(1), ms));
        }
    }

    private static double median(List<Double> v) {
        return ApiBenchmarkTest.median(v.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
