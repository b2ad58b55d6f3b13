package io.alknet.kernel.internal;

import io.alknet.api.Identity;
import io.alknet.api.call.CallError;
import io.alknet.api.call.EnvelopeHandler;
import io.alknet.api.call.EnvelopeSender;
import io.alknet.api.interfaces.InterfaceRequest;
import io.alknet.api.interfaces.InterfaceResponse;
import io.alknet.api.interfaces.MessageContext;
import io.alknet.api.identity.Credential;
import io.alknet.api.identity.IdentityResolution;
import io.alknet.api.stream.PeerInfo;
import io.alknet.kernel.internal.call.CallEngine;
import io.alknet.kernel.internal.call.Calls;
import io.alknet.kernel.internal.call.PubSubHub;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's call protocol: the engines of the control channels and raw streams, the pubsub hub they
 * share, and the gateway for message interfaces (HTTP), which authenticates each request's bearer
 * credential against the newest configuration. A failed request earns its source the same penalty as a
 * failed SSH login, and a source in the penalty box gets 429 until it runs out. Thread-safe.
 */
final class ServerCalls implements MessageContext {

    /** How long an HTTP call may run. */
    static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);
    /** API keys start with this prefix; any other bearer credential is a signed token. */
    private static final String API_KEY_PREFIX = "alk_";

    private final Calls calls;
    private final PubSubHub hub;
    private final DynamicConfigHolder config;
    private final AuditLog audit;
    private final SourceGuard guard;
    private final Set<CallEngine> engines = ConcurrentHashMap.newKeySet();

    ServerCalls(Calls calls, DynamicConfigHolder config, AuditLog audit, SourceGuard guard) {
        this.calls = Objects.requireNonNull(calls, "calls");
        this.hub = new PubSubHub(calls.eventBuffer(), calls.droppedEvents());
        this.config = Objects.requireNonNull(config, "config");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    Calls calls() {
        return calls;
    }

    PubSubHub hub() {
        return hub;
    }

    /** Connections speaking the call protocol right now. */
    Set<CallEngine> engines() {
        return Set.copyOf(engines);
    }

    EnvelopeHandler open(Identity identity, EnvelopeSender toPeer, String peerLabel) {
        CallEngine engine = calls.engine(identity, toPeer, hub, peerLabel);
        engines.add(engine);
        engine.closeFuture().whenComplete((ignored, error) -> engines.remove(engine));
        return engine;
    }

    @Override
    public CompletionStage<InterfaceResponse> handle(InterfaceRequest request) {
        return switch (authenticate(request.peer(), request.authToken())) {
            case Refused refused -> CompletableFuture.completedFuture(refused.response());
            case Accepted accepted -> {
                Map<String, Object> metadata = new LinkedHashMap<>(request.metadata());
                yield calls.invoke(accepted.identity(), request.operationPath(), request.input(), metadata, HTTP_TIMEOUT)
                        .handle((result, failure) -> {
                            if (failure == null) {
                                Map<String, Object> body = new LinkedHashMap<>();
                                body.put("data", result);
                                return new InterfaceResponse(200, body, Map.of());
                            }
                            CallError error = Calls.errorOf(failure);
                            return error(status(error.code()), error);
                        });
            }
        };
    }

    @Override
    public CompletionStage<Boolean> accepts(PeerInfo peer, Optional<String> authToken) {
        return CompletableFuture.completedFuture(authenticate(peer, authToken) instanceof Accepted);
    }

    private sealed interface Authentication permits Accepted, Refused {
    }

    private record Accepted(Identity identity) implements Authentication {
    }

    private record Refused(InterfaceResponse response) implements Authentication {
    }

    /** The request's credential against the newest configuration; a refusal is logged and earns its penalty. */
    private Authentication authenticate(PeerInfo peer, Optional<String> authToken) {
        if (guard.admitRequest(peer) != null) {
            // the source sits in the penalty box that SSH logins feed too: no credential is even looked at
            return new Refused(new InterfaceResponse(429, Map.of("error", new CallError(CallError.OVERLOADED,
                    "too many failed logins from this address: try again later", true, Optional.empty()).toPayload()),
                    Map.of("Connection", "close")));
        }
        if (authToken.isEmpty() || authToken.get().isBlank()) {
            audit.authFailure(peer, "-", "bearer", "-", "no_credential");
            guard.requestFailed(peer, SourceGuard.Outcome.NO_AUTH);
            return new Refused(error(401, CallError.of(CallError.ACCESS_DENIED,
                    "authentication required: send 'Authorization: Bearer TOKEN' with a token (alknet token) or an API key (alknet apikey create)")));
        }
        String presented = authToken.get().strip();
        Credential credential = presented.startsWith(API_KEY_PREFIX)
                ? new Credential.ApiKey(peer, "", presented)
                : new Credential.Token(peer, "", presented);
        String method = credential.method();
        IdentityResolution resolution = ConnectionContext.resolveWith(config.current(), credential);
        if (!(resolution instanceof IdentityResolution.Resolved resolved)) {
            String reason = resolution instanceof IdentityResolution.Rejected rejected ? rejected.reason() : "unknown_credential";
            audit.authFailure(peer, "-", method, credential.label(), reason);
            guard.requestFailed(peer, SourceGuard.Outcome.AUTH_FAILED);
            return new Refused(error(401, CallError.of(CallError.ACCESS_DENIED, "the credential was not accepted (" + reason + ")")));
        }
        return new Accepted(resolved.identity());
    }

    /** The HTTP status for a call error code. */
    static int status(String code) {
        return switch (code) {
            case CallError.OPERATION_NOT_FOUND -> 404;
            case CallError.ACCESS_DENIED -> 403;
            case CallError.VALIDATION_ERROR, CallError.PROTOCOL_ERROR -> 400;
            case CallError.TIMEOUT -> 408;
            case CallError.OVERLOADED -> 503;
            case CallError.ABORTED -> 409;
            default -> 500;
        };
    }

    private static InterfaceResponse error(int status, CallError error) {
        return new InterfaceResponse(status, Map.of("error", error.toPayload()), Map.of());
    }
}
