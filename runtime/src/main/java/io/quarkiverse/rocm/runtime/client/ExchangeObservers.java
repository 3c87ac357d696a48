package io.quarkiverse.rocm.runtime.client;

import java.util.List;

/** Several observers (metrics, traces, the Dev UI's recent exchanges) as one. */
final class ExchangeObservers implements ExchangeObserver {

    private final List<ExchangeObserver> observers;

    ExchangeObservers(List<ExchangeObserver> observers) {
        this.observers = observers;
    }

    @Override
    public Exchange start(String model, String endpoint, Request request) {
        Exchange[] exchanges = new Exchange[observers.size()];
        for (int i = 0; i < exchanges.length; i++) {
            exchanges[i] = observers.get(i).start(model, endpoint, request);
        }
        return new Exchange() {
            @Override
            public void admitted() {
                for (Exchange e : exchanges) {
                    e.admitted();
                }
            }

            @Override
            public void firstToken() {
                for (Exchange e : exchanges) {
                    e.firstToken();
                }
            }

            @Override
            public void token() {
                for (Exchange e : exchanges) {
                    e.token();
                }
            }

            @Override
            public void usage(Usage usage) {
                for (Exchange e : exchanges) {
                    e.usage(usage);
                }
            }

            @Override
            public void answer(String content) {
                for (Exchange e : exchanges) {
                    e.answer(content);
                }
            }

            @Override
            public void end(int status) {
                for (Exchange e : exchanges) {
                    e.end(status);
                }
            }
        };
    }
}
