package io.alknet.interfaces.forward.internal;

import io.alknet.api.AlknetException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ForwardSpecTest {

    @Test
    void threeFieldsBindLoopback() {
        assertThat(ForwardSpec.parse("-L", "8080:db.internal:5432", "127.0.0.1"))
                .isEqualTo(new ForwardSpec("127.0.0.1", 8080, "db.internal", 5432));
    }

    @Test
    void fourFieldsAndIpv6InBrackets() {
        assertThat(ForwardSpec.parse("-L", "0.0.0.0:8080:10.0.0.5:80", "127.0.0.1"))
                .isEqualTo(new ForwardSpec("0.0.0.0", 8080, "10.0.0.5", 80));
        assertThat(ForwardSpec.parse("-L", "[::1]:8443:[2001:db8::7]:443", "127.0.0.1"))
                .isEqualTo(new ForwardSpec("::1", 8443, "2001:db8::7", 443));
        assertThat(ForwardSpec.parse("-L", "*:8080:web:80", "127.0.0.1").bindHost()).isEqualTo("0.0.0.0");
        assertThat(ForwardSpec.parse("-L", ":8080:web:80", "127.0.0.1").bindHost()).isEqualTo("0.0.0.0");
    }

    @Test
    void refusesMalformedSpecsQuotingThem() {
        assertThatThrownBy(() -> ForwardSpec.parse("-L", "8080:db", "127.0.0.1")).isInstanceOf(AlknetException.class)
                .hasMessageContaining("bad -L spec '8080:db'").hasMessageContaining("[BIND:]PORT:HOST:HOSTPORT");
        assertThatThrownBy(() -> ForwardSpec.parse("-L", "http:db:80", "127.0.0.1")).hasMessageContaining("'http' is not a port");
        assertThatThrownBy(() -> ForwardSpec.parse("-L", "8080:db:0", "127.0.0.1")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> ForwardSpec.parse("-L", "8080:db:70000", "127.0.0.1")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> ForwardSpec.parse("-L", "[::1:8080:db:80", "127.0.0.1")).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> ForwardSpec.parse("-L", "8080::80", "127.0.0.1")).hasMessageContaining("host is empty");
        assertThatThrownBy(() -> ForwardSpec.parse("-L", "a:b:c:d:e", "127.0.0.1")).hasMessageContaining("expected");
    }

    @Test
    void refusesAmbiguousNumericHostsInsteadOfGuessing() {
        assertThatThrownBy(() -> ForwardSpec.parse("-L", "8080:0177.0.0.1:80", "127.0.0.1")).isInstanceOf(AlknetException.class)
                .hasMessageContaining("bad -L spec '8080:0177.0.0.1:80'").hasMessageContaining("ambiguous numeric address");
        assertThatThrownBy(() -> ForwardSpec.parse("-L", "8080:127.1:80", "127.0.0.1")).hasMessageContaining("ambiguous");
        assertThatThrownBy(() -> ForwardSpec.parse("-L", "8080:2130706433:80", "127.0.0.1")).hasMessageContaining("ambiguous");
        assertThatThrownBy(() -> ForwardSpec.parse("-R", "0x7f.1:8080:localhost:80", "localhost")).hasMessageContaining("ambiguous");
        assertThat(ForwardSpec.parse("-L", "8080:0.0.0.0:80", "127.0.0.1").host()).as("unambiguous; the server decides").isEqualTo("0.0.0.0");
        assertThat(ForwardSpec.parse("-L", "8080:[::ffff:127.0.0.1]:80", "127.0.0.1").host()).isEqualTo("::ffff:127.0.0.1");
    }
}
