package io.alknet.integration;

import io.alknet.api.call.Operation;
import io.alknet.api.call.OperationSpec;
import io.alknet.api.call.OperationType;
import io.alknet.api.interfaces.HostKeyVerification;
import io.alknet.api.transport.TransportAddress;
import io.alknet.defaults.BuiltIns;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.KernelSettings;
import io.alknet.kernel.ReconnectPolicy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A worker in a process of its own, for MeshTest: connects to the head, serves /echo, /sum and /block (which waits until
 * killed, printing {@code blocking} when it starts); the head lists them once they registered.
 * Arguments: head address, head host key fingerprint, key file, alias, state directory.
 */
public final class MeshWorkerMain {

    private MeshWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        AlknetClient worker = Alknet.client(BuiltIns.client(TransportAddress.parse(args[0], 0))
                .hostKeys(new HostKeyVerification.Pinned(List.of(args[1])))
                .identity(Path.of(args[2])).user(args[3])
                .setting(KernelSettings.WORKER, args[3])
                .reconnect(ReconnectPolicy.NEVER)
                .stateDirectory(Path.of(args[4]))
                .build());
        worker.operations().register(Operation.of(OperationSpec.builder("/echo", OperationType.QUERY).requiredScopes("mesh:use").build(),
                (input, context) -> Map.of("echo", input, "caller", context.identity().name(), "pid", ProcessHandle.current().pid())));
        worker.operations().register(Operation.of(OperationSpec.builder("/block", OperationType.QUERY).requiredScopes("mesh:use").build(),
                (input, context) -> {
                    System.out.println("blocking");
                    System.out.flush();
                    Thread.sleep(120_000);
                    return "never";
                }));
        worker.awaitTermination();
    }
}
