/** Network value types shared by policy and identity plugins: {@link io.alknet.api.net.Cidr}. */
package io.alknet.api.net;
