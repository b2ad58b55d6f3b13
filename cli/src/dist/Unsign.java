import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Removes the JAR signatures from the signed jars in a directory (BouncyCastle's), so that the JDK's AOT cache can
 * hold their classes: it skips every class of a signed jar ("Skipping …: Signed JAR"), and BouncyCastle's ~800
 * classes were then loaded and verified from the jar at every start (time to first byte of a new connect 1.8 s
 * against 0.8-1.0 s unsigned, same machine). OpenJDK does not check a JCE provider's signature. Drops the signature
 * files and the manifest's per-entry digests; keeps the main manifest section (Multi-Release, …). A jar without
 * signature files is left as it is. JDK only, run as a source file: java Unsign.java DIRECTORY
 */
public class Unsign {

    private static final Pattern SIGNATURE = Pattern.compile("META-INF/[^/]+\\.(SF|RSA|DSA|EC)");

    public static void main(String[] args) throws IOException {
        List<Path> jars = new ArrayList<>();
        try (var listing = Files.list(Path.of(args[0]))) {
            listing.filter(path -> path.toString().endsWith(".jar")).sorted().forEach(jars::add);
        }
        for (Path jar : jars) {
            if (signed(jar)) {
                unsign(jar);
                System.out.println("unsigned " + jar.getFileName() + " (so the start-up cache can hold its classes)");
            }
        }
    }

    private static boolean signed(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().anyMatch(entry -> SIGNATURE.matcher(entry.getName()).matches());
        }
    }

    private static void unsign(Path jar) throws IOException {
        Path copy = jar.resolveSibling(jar.getFileName() + ".unsigned");
        try (ZipFile zip = new ZipFile(jar.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(copy))) {
            for (ZipEntry entry : zip.stream().toList()) {
                if (SIGNATURE.matcher(entry.getName()).matches()) {
                    continue;
                }
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                if (entry.getName().equals("META-INF/MANIFEST.MF")) {
                    bytes = mainSection(bytes);
                }
                ZipEntry written = new ZipEntry(entry.getName());
                written.setTime(entry.getTime());
                out.putNextEntry(written);
                out.write(bytes);
                out.closeEntry();
            }
        }
        Files.move(copy, jar, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The manifest's main section: the per-entry sections after it hold the digests a signature covered. */
    private static byte[] mainSection(byte[] manifest) {
        String text = new String(manifest, StandardCharsets.UTF_8).replace("\r\n", "\n");
        int end = text.indexOf("\n\n");
        String main = end < 0 ? text : text.substring(0, end + 1);
        return (main.endsWith("\n") ? main : main + "\n").replace("\n", "\r\n").concat("\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
