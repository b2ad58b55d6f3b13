package io.alknet.transport.tls.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What nginx's static and index modules answer for a {@code root}: the stealth listener's {@code decoy-dir}, or,
 * without one, a root that does not exist (every {@code GET} a 404). A file is served with {@code Last-Modified},
 * {@code ETag} and {@code Accept-Ranges} as nginx does; a directory without its slash is redirected, one without
 * {@code index.html} is forbidden. Range and conditional requests get the whole file (nginx would answer 206 or 304).
 *
 * <p>Files are read once and kept (up to {@value #CACHED_FILE} bytes each and {@value #CACHE_TOTAL} in all), so
 * answering a request costs the event loop a file-attribute lookup, not a read of the file; a file changed on disk
 * (another size or modification time) is read again. Larger files are read for each request.
 */
final class DecoyFiles {

    /** nginx's {@code mime.types} for the usual web files; anything else is {@code default_type}. */
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html"), Map.entry("htm", "text/html"), Map.entry("css", "text/css"),
            Map.entry("js", "application/javascript"), Map.entry("txt", "text/plain"), Map.entry("xml", "text/xml"),
            Map.entry("json", "application/json"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("svg", "image/svg+xml"),
            Map.entry("ico", "image/x-icon"), Map.entry("webp", "image/webp"), Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"), Map.entry("pdf", "application/pdf"));
    private static final String DEFAULT_TYPE = "application/octet-stream";

    /** The answer: a status with nginx's page (and a redirect target), or a file. */
    sealed interface Answer permits Page, File {
    }

    record Page(int status, String location) implements Answer {
    }

    record File(byte[] content, String type, Instant lastModified, String etag) implements Answer {
    }

    static final int CACHED_FILE = 1 << 20;
    static final long CACHE_TOTAL = 32L << 20;

    private final Optional<Path> root;
    private final java.util.concurrent.ConcurrentHashMap<Path, Cached> cache = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong cachedBytes = new java.util.concurrent.atomic.AtomicLong();

    private static final java.util.concurrent.ConcurrentHashMap<Optional<Path>, DecoyFiles> SHARED = new java.util.concurrent.ConcurrentHashMap<>();

    /** The files of {@code root}, one instance (and one cache) per root for all connections. */
    static DecoyFiles of(Optional<Path> root) {
        return SHARED.computeIfAbsent(root.map(path -> path.toAbsolutePath().normalize()), DecoyFiles::new);
    }

    DecoyFiles(Optional<Path> root) {
        this.root = root.map(path -> path.toAbsolutePath().normalize());
    }

    /**
     * @param scheme  and {@code port} of the listener, for the absolute {@code Location} nginx sends
     * @param address the listener's address, the host of a redirect when the request named none
     */
    Answer answer(NginxRequest request, String scheme, String address, int port) {
        String method = request.method();
        if (!method.equals("GET") && !method.equals("HEAD") && !method.equals("POST")) {
            return new Page(405, null);
        }
        if (root.isEmpty()) {
            return new Page(404, null);
        }
        Path directory = root.get();
        String path = new String(request.path().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                java.nio.charset.StandardCharsets.UTF_8);
        Path target = directory.resolve(path.substring(1)).normalize();
        if (!target.startsWith(directory)) {
            return new Page(404, null); // nginx resolved every ".." already; this only guards the file system
        }
        if (path.endsWith("/")) {
            Path index = target.resolve("index.html");
            if (Files.isRegularFile(index)) {
                return file(index, method);
            }
            return new Page(Files.isDirectory(target) ? 403 : 404, null);
        }
        if (Files.isDirectory(target)) {
            String host = request.host().isEmpty() ? address : request.host();
            String shownPort = port == (scheme.equals("https") ? 443 : 80) ? "" : ":" + port;
            String query = request.uri().indexOf('?') >= 0 ? request.uri().substring(request.uri().indexOf('?')) : "";
            return new Page(301, scheme + "://" + host + shownPort + request.path() + "/" + query);
        }
        return Files.isRegularFile(target) ? file(target, method) : new Page(404, null);
    }

    private Answer file(Path file, String method) {
        if (method.equals("POST")) {
            return new Page(405, null);
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            long modified = attributes.lastModifiedTime().toInstant().getEpochSecond();
            byte[] content = content(file, attributes);
            return new File(content, type(file), Instant.ofEpochSecond(modified),
                    "\"" + Long.toHexString(modified) + "-" + Long.toHexString(content.length) + "\"");
        } catch (IOException e) {
            return new Page(403, null); // nginx: a file it cannot open is forbidden
        }
    }

    private record Cached(long size, java.nio.file.attribute.FileTime modified, byte[] content) {
    }

    private byte[] content(Path file, BasicFileAttributes attributes) throws IOException {
        Cached cached = cache.get(file);
        if (cached != null && cached.size() == attributes.size() && cached.modified().equals(attributes.lastModifiedTime())) {
            return cached.content();
        }
        byte[] content = Files.readAllBytes(file);
        if (content.length <= CACHED_FILE) {
            Cached fresh = new Cached(attributes.size(), attributes.lastModifiedTime(), content);
            Cached old = cache.put(file, fresh);
            long total = cachedBytes.addAndGet(content.length - (old == null ? 0 : old.content().length));
            if (total > CACHE_TOTAL) {
                cache.clear(); // a decoy site is small; one that is not is simply read again
                cachedBytes.set(0);
            }
        }
        return content;
    }

    private static String type(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? DEFAULT_TYPE : TYPES.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), DEFAULT_TYPE);
    }
}
