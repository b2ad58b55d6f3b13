/**
 * The embedding API: {@link io.alknet.kernel.Alknet#server} and {@link io.alknet.kernel.Alknet#client}
 * compose the discovered plugins into a running server or client. The CLI is a thin layer over it.
 */
package io.alknet.kernel;
