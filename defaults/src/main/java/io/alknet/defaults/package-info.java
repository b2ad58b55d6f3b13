/**
 * The convenience layer over the embedding API ({@link io.alknet.kernel.Alknet}): {@link io.alknet.defaults.BuiltIns}
 * names the built-in plugins and starts builders that choose them, as {@code alknet serve} and {@code alknet connect}
 * do. The kernel itself names no plugin.
 */
package io.alknet.defaults;
