package io.alknet.netty;

import io.netty.util.concurrent.Future;

import java.util.concurrent.CompletableFuture;

/** Netty futures as {@link CompletableFuture}s. */
public final class NettyFutures {

    private NettyFutures() {
    }

    /** Completes with {@code null} when {@code future} succeeds, exceptionally with its cause otherwise. */
    public static CompletableFuture<Void> toCompletable(Future<?> future) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        future.addListener(f -> {
            if (f.isSuccess()) {
                result.complete(null);
            } else if (f.isCancelled()) {
                result.completeExceptionally(new java.util.concurrent.CancellationException("cancelled"));
            } else {
                result.completeExceptionally(f.cause());
            }
        });
        return result;
    }
}
