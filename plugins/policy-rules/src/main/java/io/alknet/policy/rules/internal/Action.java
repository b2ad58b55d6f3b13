package io.alknet.policy.rules.internal;

/** What a matching rule does. */
enum Action {
    ALLOW,
    DENY
}
