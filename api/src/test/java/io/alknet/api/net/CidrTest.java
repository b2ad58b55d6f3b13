package io.alknet.api.net;

import io.alknet.api.AlknetException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CidrTest {

    @Test
    void containsAddressesInsideTheNetworkOnly() {
        Cidr cidr = Cidr.parse("10.0.0.0/8");
        assertThat(cidr.contains(ip("10.1.2.3"))).isTrue();
        assertThat(cidr.contains(ip("11.0.0.1"))).isFalse();
        assertThat(Cidr.parse("fe80::/10").contains(ip("fe80::1"))).isTrue();
        assertThat(Cidr.parse("fe80::/10").contains(ip("fec0::1"))).isFalse();
    }

    @Test
    void aBareAddressIsASingleHost() {
        assertThat(Cidr.parse("192.0.2.7").contains(ip("192.0.2.7"))).isTrue();
        assertThat(Cidr.parse("192.0.2.7").contains(ip("192.0.2.8"))).isFalse();
        assertThat(Cidr.parse("[fd00:ec2::254]").contains(ip("fd00:ec2::254"))).isTrue();
    }

    @Test
    void ipv4EmbeddedInIpv6MatchesTheIpv4Network() {
        Cidr linkLocal = Cidr.parse("169.254.0.0/16");
        assertThat(linkLocal.contains(ip("::ffff:169.254.169.254"))).isTrue();
        assertThat(linkLocal.contains(ip("::169.254.169.254"))).isTrue();
        assertThat(linkLocal.contains(ip("64:ff9b::169.254.169.254"))).isTrue();
        assertThat(linkLocal.contains(ip("::1"))).isFalse();
    }

    @Test
    void hostBitsAreCleared() {
        assertThat(Cidr.parse("10.9.8.7/8").toString()).isEqualTo("10.0.0.0/8");
    }

    @Test
    void refusesGarbage() {
        assertThatThrownBy(() -> Cidr.parse("example.com/8")).isInstanceOf(AlknetException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).isInstanceOf(AlknetException.class);
    }

    @Test
    void refusesAmbiguousNumericForms() {
        // Java reads 010.0.0.0 as 10.0.0.0, inet_aton as 8.0.0.0: a rule must not mean two things
        assertThatThrownBy(() -> Cidr.parse("010.0.0.0/8")).isInstanceOf(AlknetException.class).hasMessageContaining("ambiguous");
        assertThatThrownBy(() -> Cidr.parse("127.1")).isInstanceOf(AlknetException.class).hasMessageContaining("ambiguous");
        assertThat(Cidr.isIpLiteral("0177.0.0.1")).isFalse();
        assertThat(Cidr.isIpLiteral("2130706433")).isFalse();
        assertThat(Cidr.isIpLiteral("[::1]")).isTrue();
    }

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }
}
