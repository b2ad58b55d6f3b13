/**
 * Port-forward front ends: {@code -L} local forwards (and, with the server's consent, {@code -R} remote
 * ones). Entry point: {@link io.alknet.interfaces.forward.ForwardPlugin}.
 */
package io.alknet.interfaces.forward;
