/**
 * The kernel's machinery: plugin discovery and isolation, Guice composition, the server and client
 * runtimes, configuration snapshots, the audit log. Nothing outside the kernel may use it.
 */
package io.alknet.kernel.internal;
