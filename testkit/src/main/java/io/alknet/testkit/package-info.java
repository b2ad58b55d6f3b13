/**
 * Helpers for tests that cross a real wire: {@link io.alknet.testkit.Loopback} peers and
 * {@link io.alknet.testkit.PluginJars} to build plugin jars at test time, and throwaway PostgreSQL clusters
 * ({@link io.alknet.testkit.PostgresCluster}).
 */
package io.alknet.testkit;
