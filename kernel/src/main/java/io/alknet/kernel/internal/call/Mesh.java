package io.alknet.kernel.internal.call;

import io.alknet.api.call.CallError;
import io.alknet.api.call.OperationException;
import io.alknet.api.call.OperationSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A head's routing table (spec §1.7, §3.3): the workers registered over this process's connections, each under an alias
 * unique here, with the specs of the operations it serves. {@code /{alias}/service/op} routes to the worker's connection
 * as {@code /service/op}. A worker's routes go when its connection closes or its heartbeats stop. Thread-safe.
 */
final class Mesh {

    /** Needed to register as a worker. */
    static final String REGISTER_SCOPE = "node:register";
    /** The code of a refused alias (taken, or a local service's name). */
    static final String CONFLICT = "CONFLICT";

    private static final Logger LOG = LoggerFactory.getLogger("alknet.mesh");
    private static final Pattern ALIAS = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    /** One registered worker. */
    record Node(String alias, CallEngine engine, Map<String, OperationSpec> specs, long registeredAt) {
    }

    /** Where a routed path goes: the worker and the path it knows, with that operation's spec. */
    record Route(Node node, String path, OperationSpec spec) {
    }

    private final Map<String, Node> nodes = new ConcurrentHashMap<>();
    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
    private final Predicate<String> localNamespace;

    /** @param localNamespace true for a first path segment this process serves itself (an alias may not hide it) */
    Mesh(Predicate<String> localNamespace) {
        this.localNamespace = Objects.requireNonNull(localNamespace, "localNamespace");
    }

    /**
     * Registers (or, from the same connection, re-registers) {@code alias}.
     *
     * @throws OperationException {@code VALIDATION_ERROR} for a malformed alias, {@code CONFLICT} when another
     *     connection holds it or it names a local service
     */
    Node register(String alias, CallEngine engine, List<OperationSpec> specs) {
        if (!ALIAS.matcher(alias).matches()) {
            throw new OperationException(CallError.VALIDATION_ERROR, "a node alias is 1 to 63 lower-case letters, digits, '-' or '_', "
                    + "starting with a letter or digit; got '" + CallEngine.printable(alias) + "'");
        }
        if (localNamespace.test(alias)) {
            throw new OperationException(CONFLICT, "alias '" + alias + "' names a service of this head: choose another");
        }
        Map<String, OperationSpec> byPath = new LinkedHashMap<>();
        for (OperationSpec spec : specs) {
            byPath.put(spec.path(), spec);
        }
        Node node = new Node(alias, engine, java.util.Collections.unmodifiableMap(byPath), System.currentTimeMillis());
        Node previous = nodes.compute(alias, (key, existing) -> {
            if (existing != null && existing.engine() != engine && existing.engine().isOpen()) {
                return existing;
            }
            return node;
        });
        if (previous != node) {
            throw new OperationException(CONFLICT, "alias '" + alias + "' is registered by another connection to this head: "
                    + "every worker needs its own alias");
        }
        lastSeen.put(alias, System.nanoTime());
        engine.closeFuture().whenComplete((ignored, error) -> {
            if (nodes.remove(alias, node)) {
                LOG.info("mesh.node.gone node={} reason=disconnected", alias);
            }
        });
        if (!engine.isOpen() && nodes.remove(alias, node)) {
            throw new OperationException(CallError.ABORTED, "the connection closed while registering");
        }
        LOG.info("mesh.node.registered node={} operations={}", alias, byPath.size());
        return node;
    }

    /** A heartbeat from {@code alias} over {@code engine}; false when that connection holds no such alias. */
    boolean heartbeat(String alias, CallEngine engine) {
        Node node = nodes.get(alias);
        if (node == null || node.engine() != engine) {
            return false;
        }
        lastSeen.put(alias, System.nanoTime());
        return true;
    }

    /** Drops (and disconnects) every node silent for longer than {@code timeoutNanos}. */
    void sweep(long timeoutNanos) {
        long now = System.nanoTime();
        for (Node node : List.copyOf(nodes.values())) {
            Long seen = lastSeen.get(node.alias());
            if (seen != null && now - seen > timeoutNanos && nodes.remove(node.alias(), node)) {
                LOG.warn("mesh.node.gone node={} reason=no_heartbeat", node.alias());
                node.engine().close();
            }
        }
    }

    /** The first path segment, if the path has a second one. */
    static Optional<String> alias(String path) {
        if (!path.startsWith("/")) {
            return Optional.empty();
        }
        int slash = path.indexOf('/', 1);
        return slash < 0 ? Optional.empty() : Optional.of(path.substring(1, slash));
    }

    /**
     * Where {@code path} routes: empty when its first segment is no registered node.
     *
     * @throws OperationException {@code OPERATION_NOT_FOUND} when the node is there but serves no such operation
     */
    Optional<Route> route(String path) {
        Optional<String> alias = alias(path);
        if (alias.isEmpty()) {
            return Optional.empty();
        }
        Node node = nodes.get(alias.get());
        if (node == null) {
            return Optional.empty();
        }
        String rest = path.substring(alias.get().length() + 1);
        OperationSpec spec = node.specs().get(rest);
        if (spec == null) {
            throw new OperationException(CallError.OPERATION_NOT_FOUND, "node " + alias.get() + " registered no operation " + rest);
        }
        return Optional.of(new Route(node, rest, spec));
    }

    boolean knows(String alias) {
        return nodes.containsKey(alias);
    }

    /** Every routed operation as callers see it here: the worker's specs under {@code /{alias}}. */
    List<OperationSpec> specs() {
        List<OperationSpec> specs = new ArrayList<>();
        for (Node node : nodes.values()) {
            for (OperationSpec spec : node.specs().values()) {
                specs.add(new OperationSpec("/" + node.alias() + spec.path(), spec.type(), spec.version(), spec.description(),
                        spec.inputSchema(), spec.outputSchema(), spec.access(), spec.errorCodes()));
            }
        }
        specs.sort(java.util.Comparator.comparing(OperationSpec::path));
        return specs;
    }

    /** The aliases registered now, sorted. */
    List<String> aliases() {
        return nodes.keySet().stream().sorted().toList();
    }
}
