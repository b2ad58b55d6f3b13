package io.alknet.cli;

/** The exit codes scripts can rely on. */
final class ExitCodes {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
