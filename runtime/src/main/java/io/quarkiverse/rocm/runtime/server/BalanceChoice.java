package io.quarkiverse.rocm.runtime.server;

/** How a pool chose a request's replica: the one holding its prefix, none known, or that one was too busy. */
public enum BalanceChoice {
    AFFINITY,
    NO_AFFINITY,
    TOO_BUSY
}
