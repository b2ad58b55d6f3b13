/**
 * Network value types shared by policy and identity plugins: {@link io.alknet.api.net.Cidr}, and
 * {@link io.alknet.api.net.TargetHost}, how every part reads a forward target's host.
 */
package io.alknet.api.net;
