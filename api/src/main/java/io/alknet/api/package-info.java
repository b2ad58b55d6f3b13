/**
 * Public value types shared by every alknet module: {@link io.alknet.api.Identity}, the single
 * unchecked {@link io.alknet.api.AlknetException} and its {@link io.alknet.api.ErrorCode}.
 */
package io.alknet.api;
