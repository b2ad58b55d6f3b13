package io.alknet.policy.rules;

/** What a matching rule does. */
enum Action {
    ALLOW,
    DENY
}
