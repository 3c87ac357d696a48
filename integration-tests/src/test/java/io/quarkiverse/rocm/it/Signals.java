package io.quarkiverse.rocm.it;

import static io.restassured.RestAssured.given;

import java.time.Duration;

final class Signals {

    private Signals() {
    }

    static void send(long pid, String signal) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
        }
    }

    static void awaitStatus(String path, int status, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last;
        while ((last = given().get(path).statusCode()) != status) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(path + " still answers " + last + ", not " + status + ", after " + timeout);
            }
            Thread.sleep(100);
        }
    }
}
