package io.alknet.kernel;

import io.alknet.api.plugin.SettingSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings the kernel itself reads (every other key belongs to a plugin's component), declared like a factory's:
 * by prefix, the {@link SettingSpec}s under it.
 */
public final class KernelSettings {

    /**
     * The transport forward targets are dialled through and remote forwards listen on ({@code server.forward-transport},
     * a scheme such as the CLI's {@code tcp}). Without it a server forwards nothing: channels to a target are refused.
     */
    public static final String FORWARD_TRANSPORT = "server.forward-transport";

    /** Events held per pubsub subscriber before it loses some ({@code calls.pubsub-buffer}). */
    public static final String PUBSUB_BUFFER = "calls.pubsub-buffer";

    /**
     * On a client: register with the server as a worker under this alias ({@code calls.worker}), so that callers reach
     * this client's operations through the server as {@code /ALIAS/service/op} (spec head/worker). Needs the scope
     * {@code node:register}.
     */
    public static final String WORKER = "calls.worker";

    /** The kernel's settings by prefix. */
    public static final Map<String, List<SettingSpec>> DECLARED = declared();

    private KernelSettings() {
    }

    private static Map<String, List<SettingSpec>> declared() {
        Map<String, List<SettingSpec>> declared = new LinkedHashMap<>();
        declared.put("server.", List.of(SettingSpec.string("forward-transport",
                "The transport (its scheme) that forward targets are dialled through and remote forwards listen on; "
                        + "without it the server forwards nothing.")));
        declared.put("calls.", List.of(SettingSpec.integer("pubsub-buffer", 16_384,
                "Events held per pubsub subscriber before it loses some."),
                SettingSpec.string("worker", "On a client: register this client's operations with the server (its head) under "
                        + "this alias, reachable there as /ALIAS/service/op; needs the scope node:register.")));
        return java.util.Collections.unmodifiableMap(declared);
    }
}
