/**
 * Logback converters that keep every log line one line: {@link io.alknet.cli.logging.EscapedMessageConverter}
 * and {@link io.alknet.cli.logging.EscapedThrowableConverter}, used by the shipped {@code logback.xml} and
 * meant for the logback configuration of applications that embed alknet (docs/security.md).
 */
package io.alknet.cli.logging;
