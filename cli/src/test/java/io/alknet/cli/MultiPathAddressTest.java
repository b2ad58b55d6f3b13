package io.alknet.cli;

import io.alknet.api.AlknetException;
import io.alknet.api.transport.TransportAddress;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The alknet:// address: what serve prints, connect reads back. */
class MultiPathAddressTest {

    private static final String FP = "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8";
    private static final String ID = "97e9302f9d7be4e270818fb182d821f8d68a01d29bd1e121d2f560366bec0800";

    @Test
    void pathsInOrderAndTheHostKey() {
        MultiPathAddress address = MultiPathAddress.parse("alknet://iroh://" + ID + "?addr=127.0.0.1:4433&addr=[::1]:4433,"
                + "tls://example.com:443,tcp://example.com#" + FP, "ADDRESS");
        assertThat(address.paths()).extracting(TransportAddress::scheme).containsExactly("iroh", "tls", "tcp");
        assertThat(address.paths().getFirst().params().get("addr")).containsExactly("127.0.0.1:4433", "[::1]:4433");
        assertThat(address.paths().get(2).port()).isEqualTo(22);
        assertThat(address.fingerprint()).contains(FP);
    }

    @Test
    void whatServePrintsParsesBack() {
        List<TransportAddress> listening = List.of(TransportAddress.of("tcp", "0.0.0.0", 2222), TransportAddress.of("tls", "127.0.0.1", 443));
        String printed = MultiPathAddress.format(listening, FP, Optional.of("vpn.example.com"));
        assertThat(printed).isEqualTo("alknet://tcp://vpn.example.com:2222,tls://127.0.0.1:443#" + FP);
        MultiPathAddress parsed = MultiPathAddress.parse(printed, "ADDRESS");
        assertThat(parsed.paths()).containsExactly(TransportAddress.of("tcp", "vpn.example.com", 2222), TransportAddress.of("tls", "127.0.0.1", 443));
        assertThat(parsed.fingerprint()).contains(FP);
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> MultiPathAddress.parse("alknet://#" + FP, "ADDRESS")).isInstanceOf(AlknetException.class)
                .hasMessageContaining("no path");
        assertThatThrownBy(() -> MultiPathAddress.parse("alknet://tcp://example.com:22#MD5:00", "ADDRESS"))
                .hasMessageContaining("is not a host key fingerprint");
        assertThatThrownBy(() -> MultiPathAddress.parse("alknet://example.com:22", "ADDRESS"))
                .hasMessageContaining("has no scheme");
        assertThat(MultiPathAddress.is("ALKNET://tcp://x:1")).isTrue();
        assertThat(MultiPathAddress.is("tcp://x:1")).isFalse();
    }
}
