package io.alknet.stream.support;

import java.util.concurrent.Executor;

/**
 * Runs a stream's tasks one at a time, in order: an event loop, or a {@link SerialExecutor}. An
 * {@link AbstractTransportStream} keeps its inbound state in one and its outbound state in another (often the same).
 */
public interface StreamExecutor extends Executor {

    /** True when the calling thread is running this executor's tasks now, so it may touch their state. */
    boolean inExecutor();

    /**
     * Runs {@code task} on the calling thread if that keeps tasks one at a time (this thread runs them already, or
     * nobody does); otherwise returns false and runs nothing. For the transport's own I/O threads, which may then
     * hand over what they received without a copy. The default runs it only within {@link #inExecutor()}.
     */
    default boolean tryRunNow(Runnable task) {
        if (inExecutor()) {
            task.run();
            return true;
        }
        return false;
    }
}
