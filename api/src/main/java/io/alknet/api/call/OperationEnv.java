package io.alknet.api.call;

import io.alknet.api.identity.CredentialSet;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The three ways a handler reaches other operations, whatever runs them (spec ADR-033). Calls made here are
 * <em>trusted</em> (access control is skipped; input is still validated), keep the caller's identity,
 * inherit the deadline, carry this call's id as their parent, and are cancelled when this call is.
 */
public interface OperationEnv {

    /**
     * Calls an operation wherever it runs; the kernel chooses the path, the handler never needs to know: an operation
     * registered in this process (the local path), else on a head a worker registered there ({@code /{node}/…}), else
     * on a client (a worker) the server it is connected to, which resolves the path in turn. A call that leaves the
     * process runs for this call's caller and is checked against the caller's scopes where it runs.
     */
    CompletionStage<Object> invoke(String path, Object input);

    /**
     * Calls an operation on the peer at the other end of this call's connection (the remote path): the
     * server calls its client, or the client its server. Fails with {@code OPERATION_NOT_FOUND} when the
     * call did not arrive over a connection.
     */
    CompletionStage<Object> invokePeer(String path, Object input);

    /** An in-process service registered under {@code type} (the service path), e.g. a typed client. */
    <T> Optional<T> service(Class<T> type);

    /** Outbound credentials for {@code service}, from the configured {@link io.alknet.api.identity.CredentialProvider}. */
    Optional<CredentialSet> credentials(String service);
}
