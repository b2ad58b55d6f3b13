import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelDirectTcpip;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.util.net.SshdSocketAddress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scale probe for one running {@code alknet serve}: opens COUNT idle authenticated SSH sessions (mode
 * {@code sessions}) or COUNT idle forwarded streams (mode {@code streams}: direct-tcpip channels on 10
 * sessions, each to a local sink that holds its end open), and reports the server's live heap (after a
 * full GC) and RSS before and after, per session or per stream.
 * At full load it times what a newcomer sees: a new session (TCP + key exchange + authentication) and
 * a channel open on it. Prints {@code key=value} lines on stdout; progress goes to stderr.
 *
 * usage: java -cp 'cli/target/alknet-cli.jar:cli/target/lib/*' Scale.java
 *            SERVER_PID PORT KEY_FILE USER SINK_PORT sessions|streams COUNT
 */
public class Scale {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    public static void main(String[] args) throws Exception {
        long serverPid = Long.parseLong(args[0]);
        int port = Integer.parseInt(args[1]);
        Path keyFile = Path.of(args[2]);
        String user = args[3];
        int sinkPort = Integer.parseInt(args[4]);
        String mode = args[5];
        int count = Integer.parseInt(args[6]);

        List<SocketChannel> held = new ArrayList<>();
        ServerSocketChannel sink = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), sinkPort), 4096);
        Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                try {
                    SocketChannel accepted = sink.accept();
                    synchronized (held) {
                        held.add(accepted); // held open and idle: the far end of a forwarded stream
                    }
                } catch (IOException e) {
                    return;
                }
            }
        });

        KeyPair key = new FileKeyPairProvider(keyFile).loadKeys(null).iterator().next();
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier((session, address, serverKey) -> true); // loopback, our own server
        client.start();
        boolean alive;
        if (mode.equals("sessions")) {
            Sample base = Sample.of(serverPid);
            ConcurrentLinkedQueue<ClientSession> open = new ConcurrentLinkedQueue<>();
            long started = System.nanoTime();
            parallel(count, 32, "sessions", i -> open.add(login(client, port, user, key)));
            out("sessions_open_s", String.format("%.1f", (System.nanoTime() - started) / 1e9));
            Sample loaded = Sample.of(serverPid);
            report("sessions", open.size(), base, loaded);
            newcomer(client, port, user, key, sinkPort, "sessions");
            alive = open.stream().allMatch(ClientSession::isOpen);
            closeAll(open);
        } else {
            // The streams ride on 10 sessions (1,000 each for 10,000), logged in before the baseline.
            int carriers = Math.max(1, Math.min(10, count));
            List<ClientSession> carrierSessions = new ArrayList<>();
            for (int i = 0; i < carriers; i++) {
                carrierSessions.add(login(client, port, user, key));
            }
            Sample base = Sample.of(serverPid);
            ConcurrentLinkedQueue<ChannelDirectTcpip> channels = new ConcurrentLinkedQueue<>();
            long started = System.nanoTime();
            parallel(count, 32, "streams", i -> channels.add(openStream(carrierSessions.get(i % carriers), sinkPort)));
            out("streams_open_s", String.format("%.1f", (System.nanoTime() - started) / 1e9));
            Sample loaded = Sample.of(serverPid);
            synchronized (held) {
                out("streams_at_sink", held.size());
            }
            report("streams", channels.size(), base, loaded);
            newcomer(client, port, user, key, sinkPort, "streams");
            alive = channels.stream().allMatch(ChannelDirectTcpip::isOpen);
            closeAll(channels);
            closeAll(carrierSessions);
        }
        out(mode + "_all_still_open", alive);
        client.stop();
        sink.close();
        System.exit(alive ? 0 : 1);
    }

    private static void report(String what, int count, Sample base, Sample loaded) {
        out(what, count);
        out(what + "_baseline_heap_mb", base.heapMb());
        out(what + "_baseline_rss_mb", base.rssMb());
        out(what + "_heap_mb", loaded.heapMb());
        out(what + "_rss_mb", loaded.rssMb());
        out(what + "_heap_kb_each", kbPer(loaded.heapKb - base.heapKb, count));
        out(what + "_rss_kb_each", kbPer(loaded.rssKb - base.rssKb, count));
        out(what + "_server_threads", loaded.threads);
        out(what + "_server_fds", loaded.fds);
    }

    /** What a newcomer sees at this load: a new session, and a channel open on it (medians of 11). */
    private static void newcomer(SshClient client, int port, String user, KeyPair key, int sinkPort, String load) throws Exception {
        long[] login = new long[11];
        long[] channelOpen = new long[11];
        for (int i = 0; i < login.length; i++) {
            long t0 = System.nanoTime();
            ClientSession fresh = login(client, port, user, key);
            long t1 = System.nanoTime();
            ChannelDirectTcpip channel = openStream(fresh, sinkPort);
            long t2 = System.nanoTime();
            login[i] = t1 - t0;
            channelOpen[i] = t2 - t1;
            channel.close(true);
            fresh.close(true);
        }
        out(load + "_new_session_ms", median(login));
        out(load + "_new_channel_ms", median(channelOpen));
    }

    private static void closeAll(java.util.Collection<? extends org.apache.sshd.common.Closeable> closeables) {
        try (var closer = Executors.newVirtualThreadPerTaskExecutor()) {
            closeables.forEach(c -> closer.execute(() -> c.close(true)));
        }
    }

    private static long openFds(long pid) {
        String[] fds = new java.io.File("/proc/" + pid + "/fd").list();
        return fds == null ? -1 : fds.length;
    }

    private static ClientSession login(SshClient client, int port, String user, KeyPair key) throws IOException {
        ClientSession session = client.connect(user, "127.0.0.1", port).verify(TIMEOUT).getSession();
        session.addPublicKeyIdentity(key);
        session.auth().verify(TIMEOUT);
        return session;
    }

    private static ChannelDirectTcpip openStream(ClientSession session, int sinkPort) throws IOException {
        ChannelDirectTcpip channel = session.createDirectTcpipChannel(new SshdSocketAddress("127.0.0.1", 0),
                new SshdSocketAddress("127.0.0.1", sinkPort));
        channel.open().verify(TIMEOUT);
        return channel;
    }

    interface Step {
        void run(int index) throws Exception;
    }

    /** Runs COUNT steps, at most WIDTH at a time; fails on the first error. */
    private static void parallel(int count, int width, String what, Step step) throws Exception {
        Semaphore slots = new Semaphore(width);
        AtomicInteger done = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count && failures.isEmpty(); i++) {
                slots.acquire();
                int index = i;
                executor.execute(() -> {
                    try {
                        step.run(index);
                        int n = done.incrementAndGet();
                        if (n % 1000 == 0) {
                            System.err.printf("   %s: %d/%d%n", what, n, count);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    } finally {
                        slots.release();
                    }
                });
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(what + ": " + failures.peek(), failures.peek());
        }
    }

    private static void out(String key, Object value) {
        System.out.println(key + "=" + value);
    }

    private static String kbPer(long kb, int count) {
        return count == 0 ? "-" : String.format("%.1f", (double) kb / count);
    }

    private static String median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("%.1f", sorted[sorted.length / 2] / 1e6);
    }

    /** Live heap after a full GC (via jcmd) and resident set size of the server process. */
    record Sample(long heapKb, long rssKb, int threads, long fds) {
        // G1 prints one line for the heap ("garbage-first heap   total reserved 6172672K, committed 393216K, used
        // 15225K"); Serial and Parallel one per generation ("DefNew     total 4928K, used 12K", "Tenured    total
        // 10944K, used 5678K"; "PSYoungGen", "ParOldGen"), which are summed
        private static final Pattern USED = Pattern.compile("garbage-first heap\\s+total.*?used (\\d+)K");
        private static final Pattern GENERATION_USED = Pattern.compile("(?m)^\\s*(?:DefNew|Tenured|PSYoungGen|ParOldGen"
                + "|def new generation|tenured generation)\\s+total \\d+K, used (\\d+)K");

        static Sample of(long pid) throws Exception {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            run(jcmd, Long.toString(pid), "GC.run");
            String info = run(jcmd, Long.toString(pid), "GC.heap_info");
            long usedKb = usedKb(info);
            Map<String, String> status = new java.util.HashMap<>();
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    status.put(line.substring(0, colon), line.substring(colon + 1).trim());
                }
            }
            long rss = Long.parseLong(status.get("VmRSS").split("\\s+")[0]);
            int threads = Integer.parseInt(status.get("Threads"));
            return new Sample(usedKb, rss, threads, openFds(pid));
        }

        static long usedKb(String heapInfo) {
            Matcher used = USED.matcher(heapInfo);
            if (used.find()) {
                return Long.parseLong(used.group(1));
            }
            Matcher generations = GENERATION_USED.matcher(heapInfo);
            long sum = 0;
            boolean any = false;
            while (generations.find()) {
                sum += Long.parseLong(generations.group(1));
                any = true;
            }
            if (!any) {
                throw new IllegalStateException("cannot read heap usage from: " + heapInfo);
            }
            return sum;
        }

        String heapMb() {
            return String.format("%.0f", heapKb / 1024.0);
        }

        String rssMb() {
            return String.format("%.0f", rssKb / 1024.0);
        }

        private static String run(String... command) throws Exception {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        }
    }
}
