package io.alknet.testkit.contract;

import io.alknet.api.Identity;
import io.alknet.api.call.CallError;
import io.alknet.api.call.OperationContext;
import io.alknet.api.call.OperationEnv;
import io.alknet.api.call.OperationException;
import io.alknet.api.identity.CredentialSet;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An {@link OperationContext} for calling a handler directly in a unit test: the given caller, trusted or not, a fresh
 * request id per call, no deadline, never cancelled, and an env that reaches no other operation, service or credential.
 *
 * @param identity who calls
 * @param trusted  true to act as a nested call from another handler (access control skipped)
 */
public record TestOperationContext(Identity identity, boolean trusted) implements OperationContext {

    public TestOperationContext {
        Objects.requireNonNull(identity, "identity");
    }

    @Override
    public String requestId() {
        return UUID.randomUUID().toString();
    }

    @Override
    public Optional<String> parentRequestId() {
        return Optional.empty();
    }

    @Override
    public Map<String, Object> metadata() {
        return Map.of();
    }

    @Override
    public Optional<Instant> deadline() {
        return Optional.empty();
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public void onCancel(Runnable action) {
    }

    @Override
    public OperationEnv env() {
        return new OperationEnv() {
            @Override
            public CompletionStage<Object> invoke(String path, Object input) {
                return CompletableFuture.failedFuture(new OperationException(CallError.OPERATION_NOT_FOUND, "no other operations in a unit test"));
            }

            @Override
            public CompletionStage<Object> invokePeer(String path, Object input) {
                return invoke(path, input);
            }

            @Override
            public <T> Optional<T> service(Class<T> type) {
                return Optional.empty();
            }

            @Override
            public Optional<CredentialSet> credentials(String service) {
                return Optional.empty();
            }
        };
    }
}
