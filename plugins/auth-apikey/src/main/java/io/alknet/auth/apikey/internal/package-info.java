/** The apikey identity provider and its factory. Not for use outside this plugin. */
package io.alknet.auth.apikey.internal;
