/**
 * Who may open what. A {@link io.alknet.api.policy.ForwardingPolicy} decides every forward request
 * ({@code direct-tcpip}, {@code tcpip-forward}) for an identity; plugins contribute a
 * {@link io.alknet.api.policy.ForwardingPolicyFactory}.
 */
package io.alknet.api.policy;
