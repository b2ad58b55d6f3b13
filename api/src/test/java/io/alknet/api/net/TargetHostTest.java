package io.alknet.api.net;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TargetHostTest {

    @Test
    void canonicalAddressesAreLiteralsAndNamesAreNot() {
        assertThat(TargetHost.literal("127.0.0.1")).contains(ip("127.0.0.1"));
        assertThat(TargetHost.literal("0.0.0.0")).contains(ip("0.0.0.0"));
        assertThat(TargetHost.literal("255.255.255.255")).contains(ip("255.255.255.255"));
        assertThat(TargetHost.literal("::1")).contains(ip("::1"));
        assertThat(TargetHost.literal("[::]")).contains(ip("::"));
        assertThat(TargetHost.literal("[::ffff:0.0.0.0]")).contains(ip("0.0.0.0"));
        assertThat(TargetHost.literal("2001:db8::0001")).contains(ip("2001:db8::1"));
        assertThat(TargetHost.literal("example.com")).isEmpty();
        assertThat(TargetHost.literal("example.com.")).isEmpty();
        assertThat(TargetHost.literal("10.0.0.1.example")).isEmpty();
        assertThat(TargetHost.literal("1e100.net")).isEmpty();
        assertThat(TargetHost.literal("0x7f.example")).isEmpty();
    }

    /** What inet_aton, browsers or a proxy may read as another address than Java does: refused, never guessed. */
    @ParameterizedTest
    @ValueSource(strings = {"0177.0.0.1", "127.000.000.001", "1.2.3.04", "127.1", "127.0.1", "2130706433", "0", "0x7f.1",
            "0x7f000001", "0X7F.0.0.1", "127.0.0.1.", "256.0.0.1", "1.2.3.4.5", "foo.123", "::ffff:0177.0.0.1", "[::ffff:127.1]"})
    void ambiguousNumericFormsAreRefused(String host) {
        assertThatThrownBy(() -> TargetHost.literal(host)).isInstanceOf(AlknetException.class)
                .satisfies(e -> assertThat(((AlknetException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("ambiguous numeric address")
                .hasMessageContaining("four decimal numbers")
                .satisfies(e -> assertThat(host.length() < 5 || !e.getMessage().contains(host)).as("the message names no destination").isTrue());
        assertThat(TargetHost.isLiteral(host)).isFalse();
    }

    @Test
    void malformedIpv6IsRefusedNotResolved() {
        assertThatThrownBy(() -> TargetHost.literal("fe80::1%eth0")).hasMessageContaining("zone");
        assertThatThrownBy(() -> TargetHost.literal("1:2:3")).hasMessageContaining("not an IPv6 address");
        assertThatThrownBy(() -> TargetHost.literal("[127.0.0.1]")).hasMessageContaining("brackets");
    }

    @Test
    void unspecifiedAddressesInEverySpelling() {
        assertThat(TargetHost.isUnspecified(ip("0.0.0.0"))).isTrue();
        assertThat(TargetHost.isUnspecified(ip("0.1.2.3"))).isTrue();
        assertThat(TargetHost.isUnspecified(ip("::"))).isTrue();
        assertThat(TargetHost.isUnspecified(ip("::ffff:0.0.0.0"))).isTrue();
        assertThat(TargetHost.isUnspecified(ip("64:ff9b::0.0.0.0"))).isTrue();
        assertThat(TargetHost.isUnspecified(ip("127.0.0.1"))).isFalse();
        assertThat(TargetHost.isUnspecified(ip("::1"))).isFalse();
        assertThat(TargetHost.isUnspecified(ip("10.0.0.1"))).isFalse();
    }

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }
}
