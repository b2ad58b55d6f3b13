/**
 * Client front ends turn local traffic into tunnel channels: local forwards, remote forwards, SOCKS5.
 * A plugin contributes a {@link io.alknet.api.frontend.FrontEndFactory}.
 */
package io.alknet.api.frontend;
