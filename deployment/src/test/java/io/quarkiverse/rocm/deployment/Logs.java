package io.quarkiverse.rocm.deployment;

import java.util.logging.LogRecord;

import org.jboss.logmanager.formatters.PatternFormatter;

/** Log records as they are printed: the message with its parameters filled in. */
final class Logs {

    private static final PatternFormatter MESSAGE = new PatternFormatter("%s");

    private Logs() {
    }

    static String message(LogRecord record) {
        return MESSAGE.format(record);
    }
}
