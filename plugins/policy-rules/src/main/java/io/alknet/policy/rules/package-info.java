/**
 * The {@code rules} forwarding policy: ordered allow/deny rules from a text file, first match wins.
 * Entry point: {@link io.alknet.policy.rules.RulesPlugin}.
 */
package io.alknet.policy.rules;
