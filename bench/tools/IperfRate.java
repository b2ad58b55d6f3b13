import java.io.InputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads iperf3 -J output on stdin and prints the receiver's rate in MB/s (10^6 bytes per second). */
public class IperfRate {
    public static void main(String[] args) throws Exception {
        String json = new String(System.in.readAllBytes());
        int received = json.indexOf("\"sum_received\"");
        if (received < 0) {
            System.out.println(0);
            return;
        }
        Matcher matcher = Pattern.compile("\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)").matcher(json);
        if (!matcher.find(received)) {
            System.out.println(0);
            return;
        }
        System.out.printf("%.0f%n", Double.parseDouble(matcher.group(1)) / 8 / 1e6);
    }
}
