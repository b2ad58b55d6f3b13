/** The raw interface's implementation. Not for use outside this plugin. */
package io.alknet.interfaces.raw.internal;
