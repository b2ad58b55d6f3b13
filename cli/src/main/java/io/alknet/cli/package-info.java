/**
 * The {@code alknet} command, a thin layer over the embedding API ({@link io.alknet.kernel.Alknet}).
 * Entry point: {@link io.alknet.cli.Main}.
 */
package io.alknet.cli;
