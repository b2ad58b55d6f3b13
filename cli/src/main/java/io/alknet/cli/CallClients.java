package io.alknet.cli;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.call.CallError;
import io.alknet.api.call.CallOptions;
import io.alknet.api.identity.AuthToken;
import io.alknet.defaults.BuiltIns;
import io.alknet.interfaces.ssh.OpenSshKeys;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.ClientOptions;
import io.alknet.kernel.ReconnectPolicy;

import java.io.PrintWriter;
import java.security.KeyPair;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/** A short-lived client for {@code alknet call} and {@code alknet ops}: no front ends, no reconnect. */
final class CallClients {

    private CallClients() {
    }

    /**
     * Connects over {@code iface}: {@code ssh} logs in with the key and verifies the host key; {@code raw}
     * authenticates with $ALKNET_API_KEY, or else with a token signed by the key.
     */
    static AlknetClient connect(ServerLogin login, CommonOptions common, String iface) {
        if (System.getProperty("alknet.netty.threads") == null) {
            System.setProperty("alknet.netty.threads", "1");
        }
        ClientOptions.Builder options = BuiltIns.client(login.target(null))
                .streamInterface(iface)
                .reconnect(ReconnectPolicy.NEVER)
                .pluginDirectory(common.pluginDirectory);
        if (common.stateDirectory != null) {
            options.stateDirectory(common.stateDirectory);
        }
        switch (iface) {
            case "ssh" -> {
                options.hostKeys(login.hostKeyVerification());
                login.user().ifPresent(options::user);
                login.identityFiles().forEach(options::identity);
            }
            case "raw" -> {
                // raw framing has no host key: the transport (TLS, iroh) authenticates the server, or nothing does
                options.hostKeys(new io.alknet.api.interfaces.HostKeyVerification.AcceptAny());
                options.setting("interface.raw.credential", rawCredential(login));
            }
            default -> throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "--interface must be ssh or raw, got '" + iface + "'");
        }
        login.transportSettings().forEach(options::setting);
        common.settingsMap().forEach(options::setting);
        return Alknet.client(options.build());
    }

    private static String rawCredential(ServerLogin login) {
        String apiKey = System.getenv("ALKNET_API_KEY");
        if (apiKey != null && !apiKey.isBlank()) {
            return apiKey.strip();
        }
        KeyPair key = OpenSshKeys.load(login.identityFiles().getFirst());
        return AuthToken.sign(OpenSshKeys.publicKeyBlob(key.getPublic()), key.getPrivate(), Instant.now()).encode();
    }

    /**
     * Connects, calls {@code path} with {@code input} and hands the result to {@code print}; the exit status: 0, or 1
     * after printing {@code alknet: CODE: message} when the call failed.
     */
    static int callAndPrint(ServerLogin login, CommonOptions common, String iface, String path, Object input, CallOptions options,
                            PrintWriter out, PrintWriter err, java.util.function.BiConsumer<Object, PrintWriter> print) {
        try (AlknetClient client = connect(login, common, iface)) {
            print.accept(await(client.calls().call(path, input, options), err), out);
            out.flush();
            return ExitCodes.OK;
        } catch (CallFailed failed) {
            return failed.report(err);
        }
    }

    /** Waits for a call; a failed call prints {@code alknet: CODE: message} and yields exit status 1. */
    static <T> T await(CompletionStage<T> stage, PrintWriter err) throws CallFailed {
        try {
            return stage.toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallFailed(CallError.of(CallError.ABORTED, "interrupted"));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof io.alknet.api.call.OperationException operation) {
                throw new CallFailed(operation.error());
            }
            if (cause instanceof AlknetException alknet) {
                throw alknet;
            }
            throw new CallFailed(CallError.of(CallError.EXECUTION_ERROR, String.valueOf(cause.getMessage())));
        }
    }

    /** A call that the server (or the connection) failed. */
    static final class CallFailed extends Exception {
        private final transient CallError error;

        CallFailed(CallError error) {
            super(error.code() + ": " + error.message());
            this.error = error;
        }

        int report(PrintWriter err) {
            err.println("alknet: " + error.code() + ": " + error.message() + hint(error.code()));
            err.flush();
            return ExitCodes.FAILED;
        }

        private static String hint(String code) {
            return switch (code) {
                case CallError.OPERATION_NOT_FOUND -> " (list what the server offers you with: alknet ops)";
                case CallError.ACCESS_DENIED -> " (your identity lacks a scope; ask the operator to add it to your key or API key)";
                case CallError.VALIDATION_ERROR -> " (see the input schema: alknet ops --json)";
                case CallError.TIMEOUT -> " (raise it with --timeout)";
                default -> "";
            };
        }
    }
}
