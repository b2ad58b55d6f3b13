/** The rules policy's implementation: the rule file, its rules and the policy. Not for use outside this plugin. */
package io.alknet.policy.rules.internal;
