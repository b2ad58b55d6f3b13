/**
 * The plugin SPI. Every plugin jar holds exactly one {@link io.alknet.api.plugin.AlknetPlugin}, listed in
 * {@code META-INF/services/io.alknet.api.plugin.AlknetPlugin}; its default methods return the factories
 * the plugin contributes.
 */
package io.alknet.api.plugin;
