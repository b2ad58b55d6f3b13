/** The storage identity provider, its factory and the per-process shared storages. Not for use outside this plugin. */
package io.alknet.storage.internal;
