/**
 * The {@code http} message interface: the call protocol over HTTP with bearer token or API key auth, on its own
 * listener and in-process for the stealth TLS port. Entry point: {@link io.alknet.interfaces.http.HttpPlugin}.
 */
package io.alknet.interfaces.http;
