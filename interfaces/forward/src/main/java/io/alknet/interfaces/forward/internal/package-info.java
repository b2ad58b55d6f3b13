/** The forward front ends' implementation: spec parsing and the local and remote forwards. Not for use outside this plugin. */
package io.alknet.interfaces.forward.internal;
