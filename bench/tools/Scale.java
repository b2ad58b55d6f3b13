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
 * Scale probe for one running {@code alknet serve}: opens SESSIONS idle authenticated SSH sessions, then
 * STREAMS idle forwarded streams (direct-tcpip channels to a local sink that holds its end open), and
 * reports the server's live heap (after a full GC) and RSS at each step, per session and per stream.
 * At full load it times what a newcomer sees: a new session (TCP + key exchange + authentication) and
 * a channel open on it. Prints {@code key=value} lines on stdout; progress goes to stderr.
 *
 * usage: java -cp 'cli/target/alknet-cli.jar:cli/target/lib/*' Scale.java
 *            SERVER_PID PORT KEY_FILE USER SINK_PORT SESSIONS STREAMS
 */
public class Scale {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    public static void main(String[] args) throws Exception {
        long serverPid = Long.parseLong(args[0]);
        int port = Integer.parseInt(args[1]);
        Path keyFile = Path.of(args[2]);
        String user = args[3];
        int sinkPort = Integer.parseInt(args[4]);
        int sessions = Integer.parseInt(args[5]);
        int streams = Integer.parseInt(args[6]);

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

        Sample base = Sample.of(serverPid);
        out("baseline_heap_mb", base.heapMb());
        out("baseline_rss_mb", base.rssMb());

        ConcurrentLinkedQueue<ClientSession> open = new ConcurrentLinkedQueue<>();
        long started = System.nanoTime();
        parallel(sessions, 32, "sessions", i -> open.add(login(client, port, user, key)));
        out("sessions_open_s", String.format("%.1f", (System.nanoTime() - started) / 1e9));
        Sample withSessions = Sample.of(serverPid);
        out("sessions", open.size());
        out("sessions_heap_mb", withSessions.heapMb());
        out("sessions_rss_mb", withSessions.rssMb());
        out("heap_kb_per_session", kbPer(withSessions.heapKb - base.heapKb, open.size()));
        out("rss_kb_per_session", kbPer(withSessions.rssKb - base.rssKb, open.size()));
        out("server_threads", withSessions.threads);
        newcomer(client, port, user, key, sinkPort, "sessions");
        boolean sessionsAlive = open.stream().allMatch(ClientSession::isOpen);
        out("sessions_all_still_open", sessionsAlive);
        // One process may hold only so many descriptors (often 20,000 hard): sessions and streams (each
        // stream is also a socket to its target) are measured one after the other, not at once.
        closeAll(open);
        Thread.sleep(2000);

        // Streams ride on 10 sessions of their own (1,000 each for 10,000), not on the idle ones above.
        int carriers = Math.max(1, Math.min(10, streams));
        List<ClientSession> carrierSessions = new ArrayList<>();
        for (int i = 0; i < carriers; i++) {
            carrierSessions.add(login(client, port, user, key));
        }
        Sample beforeStreams = Sample.of(serverPid);
        int sinkBefore;
        synchronized (held) {
            sinkBefore = held.size();
        }
        ConcurrentLinkedQueue<ChannelDirectTcpip> channels = new ConcurrentLinkedQueue<>();
        started = System.nanoTime();
        parallel(streams, 32, "streams", i -> channels.add(openStream(carrierSessions.get(i % carriers), sinkPort)));
        out("streams_open_s", String.format("%.1f", (System.nanoTime() - started) / 1e9));
        Sample withStreams = Sample.of(serverPid);
        int sinkHeld;
        synchronized (held) {
            sinkHeld = held.size() - sinkBefore;
        }
        out("streams", channels.size());
        out("streams_at_sink", sinkHeld);
        out("streams_heap_mb", withStreams.heapMb());
        out("streams_rss_mb", withStreams.rssMb());
        out("heap_kb_per_stream", kbPer(withStreams.heapKb - beforeStreams.heapKb, channels.size()));
        out("rss_kb_per_stream", kbPer(withStreams.rssKb - beforeStreams.rssKb, channels.size()));
        out("server_threads_loaded", withStreams.threads);

        newcomer(client, port, user, key, sinkPort, "streams");
        boolean streamsAlive = channels.stream().allMatch(ChannelDirectTcpip::isOpen);
        out("streams_all_still_open", streamsAlive);
        out("server_open_fds_loaded", openFds(serverPid));

        closeAll(channels);
        closeAll(carrierSessions);
        client.stop();
        sink.close();
        System.exit(sessionsAlive && streamsAlive ? 0 : 1);
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
    record Sample(long heapKb, long rssKb, int threads) {
        private static final Pattern USED = Pattern.compile("heap\\s+total.*?used (\\d+)K");

        static Sample of(long pid) throws Exception {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            run(jcmd, Long.toString(pid), "GC.run");
            String info = run(jcmd, Long.toString(pid), "GC.heap_info");
            Matcher used = USED.matcher(info);
            if (!used.find()) {
                throw new IllegalStateException("cannot read heap usage from: " + info);
            }
            Map<String, String> status = new java.util.HashMap<>();
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    status.put(line.substring(0, colon), line.substring(colon + 1).trim());
                }
            }
            long rss = Long.parseLong(status.get("VmRSS").split("\\s+")[0]);
            int threads = Integer.parseInt(status.get("Threads"));
            return new Sample(Long.parseLong(used.group(1)), rss, threads);
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
