package io.alknet.api.interfaces;

import java.util.concurrent.CompletionStage;

/**
 * An interface that owns its own listener and answers discrete requests (HTTP).
 *
 * <p>Owner: the kernel calls {@link #start} once and {@link #close()} on shutdown.
 */
public interface MessageInterface extends AutoCloseable {

    /** The interface name, e.g. {@code http}. */
    String name();

    /** Binds the listener and starts answering through {@code context}. */
    CompletionStage<Void> start(MessageContext context);

    /** Facts operators need once started, such as {@code address} (the bound address); printed by {@code alknet serve}. */
    default java.util.Map<String, String> info() {
        return java.util.Map.of();
    }

    /**
     * This interface as an in-process {@link HttpGateway} for HTTP requests other listeners receive, or empty when it
     * does not answer HTTP (the default). Asked after {@link #start}; the gateway answers through the same context.
     */
    default java.util.Optional<HttpGateway> httpGateway() {
        return java.util.Optional.empty();
    }

    @Override
    void close();
}
