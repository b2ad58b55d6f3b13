/**
 * The call protocol (layer 3): {@link io.alknet.api.call.EventEnvelope}s carrying calls, results, errors
 * and events between two peers, either of which may call the other; operations described by an
 * {@link io.alknet.api.call.OperationSpec} (name, schemas, required scopes) and implemented by a handler
 * registered beside it; the {@link io.alknet.api.call.OperationEnv} a handler uses to call further
 * operations. JSON values are plain Java values: {@code Map<String, Object>} for objects,
 * {@code List<Object>} for arrays, {@code String}, {@code Number}, {@code Boolean} and {@code null}.
 *
 * <p>Experimental: the call protocol's Java API may still change in minor releases.
 */
@io.alknet.api.Experimental
package io.alknet.api.call;
