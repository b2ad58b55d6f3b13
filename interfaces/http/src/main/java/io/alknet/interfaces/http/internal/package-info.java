/** The http interface's implementation: the Netty server and the mapping of requests to calls. Not for use outside this plugin. */
package io.alknet.interfaces.http.internal;
