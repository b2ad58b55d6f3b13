/**
 * The flowgraph (spec services §8.3): pure in-memory graphs, no I/O. {@link io.alknet.flowgraph.OperationGraph} links
 * registered operations by schema compatibility; {@link io.alknet.flowgraph.CallGraph} records live calls, who triggered
 * whom, their status and timings, and cascades aborts.
 */
package io.alknet.flowgraph;
